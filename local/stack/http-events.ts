/**
 * HTTP API calls without the server: the payload 2.0 event the template's HTTP API would
 * hand a route's function (as the local HTTP API builds it), and a handler's JSON answer.
 */
import { buildEvent, iamAuthorizer, newRequestId } from '../http-api/event.js';
import type { HttpApiEventV2 } from '../http-api/types.js';
import type { TemplateModel } from '../template/index.js';
import type { LambdaHandler } from './functions.js';
import { LOCAL_CREDENTIALS } from './stack.js';

export interface HttpCall {
  /** The route's `{name}` parts, as the caller means them (encoded in the path here). */
  pathParameters?: Record<string, string>;
  /** A string as it is, anything else as JSON. */
  body?: unknown;
  query?: Record<string, string>;
}

export interface HttpResult {
  statusCode: number;
  body: any;
}

/** The event of one request to `routeKey` (`POST /rooms/{room}/messages`), signed by the local account when the route wants IAM. */
export function httpApiEvent(model: TemplateModel, routeKey: string, call: HttpCall = {}): HttpApiEventV2 {
  const found = model.httpApis.flatMap((api) => api.routes.map((route) => ({ api, route }))).find(({ route }) => `${route.method} ${route.path}` === routeKey);
  if (!found) throw new Error(`no HTTP API route ${JSON.stringify(routeKey)} in the template`);
  const { api, route } = found;
  const parameters = call.pathParameters ?? {};
  const path = route.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => encodeURIComponent(parameters[name] ?? ''));
  const query = Object.entries(call.query ?? {});
  const body = call.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof call.body === 'string' ? call.body : JSON.stringify(call.body));
  return buildEvent({
    apiId: api.id,
    accountId: model.accountId,
    stage: api.stageName,
    routeKey,
    method: route.method,
    path: api.stageName === '$default' ? path : `/${api.stageName}${path}`,
    rawQuery: new URLSearchParams(query).toString(),
    query,
    headers: { host: `${api.id}.execute-api.${model.region}.amazonaws.com`, 'content-type': 'application/json' },
    pathParameters: route.path.includes('{') ? { ...parameters } : undefined,
    body,
    requestId: newRequestId(),
    now: Date.now(),
    sourceIp: '127.0.0.1',
    localPort: 443,
    authorizer: route.auth.type === 'AWS_IAM' ? iamAuthorizer(LOCAL_CREDENTIALS.accessKeyId, model.accountId) : undefined,
  });
}

/** Invokes an HTTP API function and parses its JSON answer. */
export async function callHttp(handler: LambdaHandler, event: unknown): Promise<HttpResult> {
  const result = (await handler(event)) as { statusCode: number; body: string };
  return { statusCode: result.statusCode, body: JSON.parse(result.body) };
}

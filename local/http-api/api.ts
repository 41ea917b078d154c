/** The request pipeline of the local HTTP API: size, route, IAM auth, event, invoke, answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildEvent, iamAuthorizer, newRequestId } from './event.js';
import { loggableUrl } from '../shared/log-safe.js';
import { parseQuery, decodeComponent } from '../shared/query.js';
import { readBody } from '../shared/read-body.js';
import { collectHeaders, declaredLength, sourceIpOf, splitUrl } from '../shared/request.js';
import { INTERNAL_ERROR, NOT_FOUND, TOO_LARGE, UNAVAILABLE, jsonAnswer, send, toAnswer, type HttpAnswer } from './response.js';
import { createRouter } from './routes.js';
import { verifySigV4 } from '../shared/sigv4/index.js';
import type { HttpApi, HttpApiOptions, IamAuthorizer } from './types.js';

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;
const TIMED_OUT = Symbol('timed out');

/** The path the routes see: without the named stage; undefined when the stage does not match. */
function routePath(path: string, stage: string): string | undefined {
  if (stage === '$default') return path;
  const prefix = `/${stage}`;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
}

async function invokeWithin(options: HttpApiOptions, target: string, event: unknown, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  const call = Promise.resolve().then(() => options.invoke(target, event));
  call.catch(() => undefined); // a late failure after the deadline must not go unhandled
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHttpApi(options: HttpApiOptions): HttpApi {
  const router = createRouter(options.routes);
  const stage = options.stage ?? '$default';
  const accountId = options.accountId ?? '000000000000';
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function answer(req: IncomingMessage, requestId: string): Promise<{ answer: HttpAnswer; routeKey?: string; matched: boolean }> {
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = collectHeaders(req.rawHeaders);
    const { encodedPath, rawQuery } = splitUrl(req.url ?? '/');
    const path = decodeComponent(encodedPath);
    const inStage = routePath(path, stage);
    const match = inStage === undefined ? undefined : router.match(method, inStage);
    if (match === undefined) return { answer: NOT_FOUND(), matched: false };
    const length = declaredLength(headers);
    if (length !== undefined && length > maxBody) return { answer: TOO_LARGE(), matched: true, routeKey: match.routeKey };
    const { body, tooLarge } = await readBody(req, maxBody);
    if (tooLarge) return { answer: TOO_LARGE(), matched: true, routeKey: match.routeKey };
    const query = parseQuery(rawQuery);
    const now = Date.now();
    let authorizer: IamAuthorizer | undefined;
    if (match.route.auth === 'AWS_IAM') {
      const verdict = await verifySigV4({ method, encodedPath, query, headers, body }, { region: options.region, credentials: options.credentials, now });
      if (!verdict.ok) return { answer: jsonAnswer(403, verdict.message), matched: true, routeKey: match.routeKey };
      authorizer = iamAuthorizer(verdict.accessKeyId, accountId);
    }
    const event = buildEvent({
      apiId: options.apiId,
      accountId,
      stage,
      routeKey: match.routeKey,
      method,
      path,
      rawQuery,
      query,
      headers,
      pathParameters: match.pathParameters,
      body,
      requestId,
      now,
      sourceIp: sourceIpOf(req),
      localPort: req.socket.localPort ?? 0,
      authorizer,
    });
    let result: unknown;
    try {
      result = await invokeWithin(options, match.route.target, event, timeoutMs);
    } catch (error) {
      options.log?.(`http-api ${requestId} ${match.route.target} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { answer: INTERNAL_ERROR(), matched: true, routeKey: match.routeKey };
    }
    if (result === TIMED_OUT) {
      options.log?.(`http-api ${requestId} ${match.route.target} timed out after ${timeoutMs} ms`);
      return { answer: UNAVAILABLE(), matched: true, routeKey: match.routeKey };
    }
    const mapped = toAnswer(result);
    if (mapped === undefined) options.log?.(`http-api ${requestId} ${match.route.target} returned a malformed response`);
    return { answer: mapped ?? INTERNAL_ERROR(), matched: true, routeKey: match.routeKey };
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const started = Date.now();
    const requestId = newRequestId();
    if (closed) {
      req.resume();
      send(res, UNAVAILABLE(), requestId);
      return false;
    }
    const work = answer(req, requestId).catch((error: unknown) => {
      options.log?.(`http-api ${requestId} error: ${error instanceof Error ? error.message : String(error)}`);
      return { answer: INTERNAL_ERROR(), matched: false, routeKey: undefined };
    });
    inFlight.add(work);
    try {
      const outcome = await work;
      if (!req.complete) req.resume(); // drain what was not read (404, early 413)
      const close: Record<string, string> = outcome.answer.status === 413 ? { connection: 'close' } : {};
      send(res, outcome.answer, requestId, close);
      const route = outcome.routeKey === undefined ? '-' : `"${outcome.routeKey}"`;
      options.log?.(`${req.method ?? '-'} ${loggableUrl(req.url ?? '/')} ${outcome.answer.status} ${Date.now() - started}ms route=${route} requestId=${requestId}`);
      return outcome.matched;
    } finally {
      inFlight.delete(work);
    }
  }

  return {
    handleRequest,
    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Builds the payload format 2.0 event an HTTP API hands to a Lambda integration. */
import { randomBytes } from 'node:crypto';
import { joinQuery, type QueryPairs } from '../shared/query.js';
import type { HttpApiEventV2, IamAuthorizer } from './types.js';

export interface EventInput {
  apiId: string;
  accountId: string;
  stage: string;
  routeKey: string;
  method: string;
  /** The decoded path, stage included when the stage is named (as API Gateway reports it). */
  path: string;
  rawQuery: string;
  query: QueryPairs;
  headers: Record<string, string>;
  pathParameters: Record<string, string> | undefined;
  body: Buffer;
  requestId: string;
  now: number;
  sourceIp: string;
  localPort: number;
  authorizer: IamAuthorizer | undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** API Gateway's request ids look like `JKJaXmPLvHcESHA=`: 10 bytes in base64. */
export function newRequestId(): string {
  return randomBytes(10).toString('base64');
}

function traceId(now: number): string {
  return `Root=1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** JSON, XML, JavaScript and text/* travel as text; everything else (and no type) as base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
}

/** `cookie` headers become the `cookies` array and leave `headers`. */
function splitCookies(headers: Record<string, string>): string[] | undefined {
  const header = headers['cookie'];
  if (header === undefined) return undefined;
  delete headers['cookie'];
  const cookies = header.split(/[;,]/).map((c) => c.trim()).filter((c) => c !== '');
  return cookies.length > 0 ? cookies : undefined;
}

export function buildEvent(input: EventInput): HttpApiEventV2 {
  const headers = { ...input.headers };
  const cookies = splitCookies(headers);
  const forwarded = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwarded === undefined ? input.sourceIp : `${forwarded}, ${input.sourceIp}`;
  headers['x-forwarded-port'] = String(input.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= traceId(input.now);
  const host = headers['host'] ?? 'localhost';
  const domainName = host.replace(/:\d+$/, '');
  const event: HttpApiEventV2 = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.path,
    rawQueryString: input.rawQuery,
    headers,
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: input.method,
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: input.routeKey,
      stage: input.stage,
      time: requestTime(input.now),
      timeEpoch: input.now,
    },
    isBase64Encoded: false,
  };
  if (cookies !== undefined) event.cookies = cookies;
  if (input.query.length > 0) event.queryStringParameters = joinQuery(input.query);
  if (input.pathParameters !== undefined) event.pathParameters = { ...input.pathParameters };
  if (input.authorizer !== undefined) event.requestContext.authorizer = input.authorizer;
  if (input.body.length > 0) {
    const text = isTextContentType(headers['content-type']);
    event.body = text ? input.body.toString('utf8') : input.body.toString('base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

/** What API Gateway reports for a caller signing with the account's own (root) keys. */
export function iamAuthorizer(accessKey: string, accountId: string): IamAuthorizer {
  return {
    iam: {
      accessKey,
      accountId,
      callerId: accountId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:iam::${accountId}:root`,
      userId: accountId,
    },
  };
}

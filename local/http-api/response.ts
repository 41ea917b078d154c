/**
 * How an HTTP API (payload format 2.0) turns a Lambda result into an HTTP response, and
 * the JSON error answers API Gateway itself gives.
 */
import type { ServerResponse } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** Headers the gateway owns; a function's values for them are ignored. */
const OWNED = new Set(['content-length', 'transfer-encoding', 'connection', 'date', 'apigw-requestid']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatted(result: Record<string, unknown>): HttpAnswer | undefined {
  const { statusCode, headers, cookies, body, isBase64Encoded } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== 'boolean') return undefined;
  const out: HttpAnswer = { status: statusCode, headers: {}, cookies: [], body: Buffer.alloc(0) };
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return undefined;
    for (const [name, value] of Object.entries(headers)) {
      if (!TOKEN.test(name)) return undefined;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
      const text = String(value);
      if (/[\r\n\0]/.test(text)) return undefined;
      if (!OWNED.has(name.toLowerCase())) out.headers[name.toLowerCase()] = text;
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((c): c is string => typeof c === 'string' && !/[\r\n\0]/.test(c))) return undefined;
    out.cookies = cookies;
  }
  if (typeof body === 'string') out.body = isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (out.body.length > 0 && out.headers['content-type'] === undefined) out.headers['content-type'] = 'text/plain; charset=utf-8';
  return out;
}

/**
 * The function's result as HTTP: an object with `statusCode` is used as it is; any other
 * value is a 200 whose JSON body is that value (a string is sent as is). Undefined when
 * the result has a `statusCode` but is not a valid response.
 */
export function toAnswer(result: unknown): HttpAnswer | undefined {
  if (isRecord(result) && Object.prototype.hasOwnProperty.call(result, 'statusCode')) return formatted(result);
  let body: string;
  try {
    body = typeof result === 'string' ? result : (JSON.stringify(result ?? null) ?? 'null');
  } catch {
    return undefined;
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(body, 'utf8') };
}

export function jsonAnswer(status: number, message: string): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(JSON.stringify({ message })) };
}

export const NOT_FOUND = (): HttpAnswer => jsonAnswer(404, 'Not Found');
export const TOO_LARGE = (): HttpAnswer => jsonAnswer(413, 'Request Entity Too Large');
export const INTERNAL_ERROR = (): HttpAnswer => jsonAnswer(500, 'Internal Server Error');
export const UNAVAILABLE = (): HttpAnswer => jsonAnswer(503, 'Service Unavailable');

export function send(res: ServerResponse, answer: HttpAnswer, requestId: string, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  const headers: Record<string, string | string[]> = { ...answer.headers, ...extra, 'apigw-requestid': requestId };
  if (answer.cookies.length > 0) headers['set-cookie'] = answer.cookies;
  headers['content-length'] = String(answer.body.length);
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

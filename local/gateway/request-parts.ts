import type { IncomingMessage } from 'node:http';
import { sourceIpOf } from '../shared/request.js';

/** What the `$connect` request carries into events, kept as API Gateway passes it on. */
export interface RequestParts {
  /** Header names in the case the client sent them; the last value wins. */
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  /** Undefined when there is no query string (API Gateway then leaves the keys out). */
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  sourceIp: string;
  userAgent: string;
  /** The Host header, or the address the request came in on. */
  domainName: string;
}

export function requestParts(req: IncomingMessage): RequestParts {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const parts: RequestParts = {
    headers,
    multiValueHeaders,
    sourceIp: sourceIpOf(req),
    userAgent: req.headers['user-agent'] ?? '',
    domainName: req.headers.host ?? `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 0}`,
  };
  const query = parseQuery(req.url ?? '');
  if (query) {
    parts.queryStringParameters = query.single;
    parts.multiValueQueryStringParameters = query.multi;
  }
  return parts;
}

function parseQuery(url: string): { single: Record<string, string>; multi: Record<string, string[]> } | undefined {
  const at = url.indexOf('?');
  if (at < 0 || at === url.length - 1) return undefined;
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return Object.keys(single).length > 0 ? { single, multi } : undefined;
}

/** The path of a request target, without its query string. */
export function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const at = target.indexOf('?');
  return at < 0 ? target : target.slice(0, at);
}

/** A header of a request, looked up without regard to case. */
export function headerOf(parts: RequestParts, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(parts.headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

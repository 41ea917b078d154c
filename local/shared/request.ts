/** Reading what arrived at the HTTP API or the gateway: URL parts, headers as API Gateway reports them, the sender. */
import type { IncomingMessage } from 'node:http';
import { put } from './query.js';

export interface UrlParts {
  /** The path as sent (still percent-encoded); what a SigV4 signature covers. */
  encodedPath: string;
  /** Everything after `?`, as sent. */
  rawQuery: string;
}

export function splitUrl(url: string): UrlParts {
  const hash = url.indexOf('#');
  const clean = hash < 0 ? url : url.slice(0, hash);
  const q = clean.indexOf('?');
  const encodedPath = q < 0 ? clean : clean.slice(0, q);
  return { encodedPath: encodedPath === '' ? '/' : encodedPath, rawQuery: q < 0 ? '' : clean.slice(q + 1) };
}

/** Header names lower-cased; a header sent more than once has its values joined with commas. */
export function collectHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    put(out, name, Object.prototype.hasOwnProperty.call(out, name) ? `${out[name]},${value}` : value);
  }
  return out;
}

/** The declared length, when there is a valid one. */
export function declaredLength(headers: Record<string, string>): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** The client's address without the IPv4-mapped IPv6 prefix. */
export function sourceIpOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

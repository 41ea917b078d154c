/**
 * SigV4 signing (service `execute-api` by default) of a request about to be sent with
 * fetch: `await signHeaders(url, { method, headers, body }, { credentials, region })`
 * answers the headers to send (authorization, x-amz-date, x-amz-content-sha256 with the
 * payload's hash, x-amz-security-token for temporary keys, and the caller's own).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import type { Credentials } from './types.js';

export interface SigningOptions {
  /** Static keys or a provider of them (called on every signing; memoize if it is costly). */
  credentials: Credentials;
  region: string;
  /** Default `execute-api`. */
  service?: string;
  /** Default now; for tests of clock skew. */
  signingDate?: Date;
}

export type SignableBody = string | Uint8Array | ArrayBuffer | undefined | null;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The URL's query in the shape @smithy/signature-v4 canonicalises: pairs decoded once,
 * `+` kept as a plus (SigV4 has no form-encoding), repeated keys as arrays.
 */
export function signingQueryOf(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    const seen = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    const next = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function bytesOf(body: SignableBody): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  return body instanceof ArrayBuffer ? new Uint8Array(body) : body;
}

/** The headers to send, signed (host excluded: fetch sets it to the same value). */
export async function signHeaders(
  url: string | URL,
  init: { method?: string; headers?: HeadersInit; body?: SignableBody },
  options: SigningOptions,
): Promise<Record<string, string>> {
  const target = new URL(url);
  const headers: Record<string, string> = { host: target.host };
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  const body = bytesOf(init.body);
  const request: HttpRequest = {
    method: (init.method ?? 'GET').toUpperCase(),
    protocol: target.protocol,
    hostname: target.hostname,
    path: target.pathname,
    query: signingQueryOf(target.search),
    headers,
    ...(body === undefined ? {} : { body }),
  };
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign(request, options.signingDate === undefined ? {} : { signingDate: options.signingDate });
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name.toLowerCase() !== 'host') out[name] = value;
  }
  return out;
}

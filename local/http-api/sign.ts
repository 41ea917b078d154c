/**
 * Sends SigV4-signed requests (service `execute-api`) to an HTTP API, local or on AWS:
 * `await signedFetch(url, { method: 'POST', body }, { credentials, region })`.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { parseQuery, signingQuery } from './query.js';

export interface SigningOptions {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region: string;
  /** Default `execute-api`. */
  service?: string;
  /** Default now; for tests of clock skew. */
  signingDate?: Date;
}

export type SignableBody = string | Uint8Array | ArrayBuffer | undefined | null;

function bodyOf(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('signedFetch signs string, Uint8Array or ArrayBuffer bodies only');
}

/** The headers to send (host excluded: fetch sets it to the same value). */
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
  const body = bodyOf(init.body);
  const request: HttpRequest = {
    method: (init.method ?? 'GET').toUpperCase(),
    protocol: target.protocol,
    hostname: target.hostname,
    path: target.pathname,
    query: signingQuery(parseQuery(target.search.slice(1))),
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

/** fetch, with the request signed first. The body must be a string or bytes. */
export async function signedFetch(url: string | URL, init: RequestInit = {}, options: SigningOptions): Promise<Response> {
  const body = bodyOf(init.body);
  const headers = await signHeaders(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, body }, options);
  return fetch(url, { ...init, headers });
}

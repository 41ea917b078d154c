/**
 * SigV4 signing (service `execute-api` by default) of a request about to be sent with
 * fetch: `await signHeaders(url, { method, headers, body }, { credentials, region })`
 * answers the headers to send (authorization, x-amz-date, x-amz-content-sha256 with the
 * payload's hash, x-amz-security-token for temporary keys, and the caller's own).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { parseQuery, signingQuery } from './query.js';
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

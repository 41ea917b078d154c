/**
 * Sends SigV4-signed requests (service `execute-api`) to an HTTP API, local or on AWS:
 * `await signedFetch(url, { method: 'POST', body }, { credentials, region })`.
 * The signing itself is the publisher client's.
 */
import { signHeaders, type SignableBody, type SigningOptions } from '@roomcast/client/publisher';

export { signHeaders, type SignableBody, type SigningOptions };

function bodyOf(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('signedFetch signs string, Uint8Array or ArrayBuffer bodies only');
}

/** fetch, with the request signed first. The body must be a string or bytes. */
export async function signedFetch(url: string | URL, init: RequestInit = {}, options: SigningOptions): Promise<Response> {
  const body = bodyOf(init.body);
  const headers = await signHeaders(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, body }, options);
  return fetch(url, { ...init, headers });
}

/** A local HTTP API on a free port with a recording fake `invoke`, and a SigV4 signer. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { startHttpApi, type HttpApiEventV2, type HttpApiOptions, type HttpRoute } from '../../local/http-api/index.js';

export const CREDENTIALS = { accessKeyId: 'AKIALOCALTEST0000001', secretAccessKey: 'local/secret+key0000000000000000000000000' };
export const REGION = 'eu-west-1';
export const API_ID = 'abc123xyz0';

export interface Call {
  target: string;
  event: HttpApiEventV2;
}

export interface RunningApi {
  url: string;
  calls: Call[];
  logs: string[];
  close(): Promise<void>;
}

export type Reply = (call: Call) => unknown;

const echo: Reply = () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });

export async function startApi(routes: HttpRoute[], reply: Reply = echo, overrides: Partial<HttpApiOptions> = {}): Promise<RunningApi> {
  const calls: Call[] = [];
  const logs: string[] = [];
  const started = await startHttpApi({
    apiId: API_ID,
    region: REGION,
    routes,
    credentials: CREDENTIALS,
    log: (line) => logs.push(line),
    async invoke(target, event) {
      const call = { target, event: event as HttpApiEventV2 };
      calls.push(call);
      return reply(call);
    },
    ...overrides,
  });
  return { url: started.url, calls, logs, close: () => started.close() };
}

export interface ToSign {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface SignWith {
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  service?: string;
  signingDate?: Date;
}

/** Signs the way the AWS SDKs do: an HttpRequest through SignatureV4 with Sha256. */
export async function sign(base: string, what: ToSign, using: SignWith = {}): Promise<HttpRequest> {
  const url = new URL(base);
  const request: HttpRequest = {
    method: what.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: what.path,
    query: what.query ?? {},
    headers: { host: url.host, ...what.headers },
    ...(what.body === undefined ? {} : { body: what.body }),
  };
  const signer = new SignatureV4({
    service: using.service ?? 'execute-api',
    region: using.region ?? REGION,
    credentials: using.credentials ?? CREDENTIALS,
    sha256: Sha256,
  });
  return signer.sign(request, using.signingDate === undefined ? {} : { signingDate: using.signingDate });
}

const escape = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function urlOf(request: HttpRequest): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(request.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) pairs.push(v === null ? escape(key) : `${escape(key)}=${escape(v)}`);
  }
  const query = pairs.length > 0 ? `?${pairs.join('&')}` : '';
  return `${request.protocol}//${request.hostname}:${request.port ?? ''}${request.path}${query}`;
}

/** Sends a signed request with fetch (host is left to fetch: it sets the same value). */
export function send(request: HttpRequest, body: string | Uint8Array | undefined = request.body as string | Uint8Array | undefined): Promise<Response> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'host'));
  return fetch(urlOf(request), { method: request.method, headers, ...(body === undefined ? {} : { body: body as BodyInit }) });
}

export async function json(response: Response): Promise<unknown> {
  return JSON.parse(await response.text()) as unknown;
}

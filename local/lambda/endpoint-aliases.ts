/**
 * Inside a function's worker: HTTPS requests to an API of the local application reach
 * the local server that plays it, over plain HTTP. A function built for AWS makes its
 * management API client from its event, `https://{domainName}/{stage}` or
 * `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`; neither name nor TLS
 * exists locally. The request keeps its path, method, body and headers (so its SigV4
 * signature, made for the original Host, still verifies); only where it goes changes.
 * Bundled into the worker bootstrap: no imports but Node's.
 */
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';

export interface EndpointAlias {
  /** The host name a function uses, lower case (`abc123.execute-api.us-east-1.amazonaws.com`, `127.0.0.1`). */
  host: string;
  /** Its port (443 when the URL names none). */
  port: number;
  /** The local server that answers for it. */
  target: { host: string; port: number };
}

type RequestArgs = Parameters<typeof https.request>;
type Callback = (res: http.IncomingMessage) => void;

/** The local target of an https request to `host`:`port`, if one of the aliases names it. */
export function aliasFor(aliases: readonly EndpointAlias[], host: string, port: number): EndpointAlias | undefined {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return aliases.find((alias) => alias.host === name && alias.port === port);
}

/** https.request's arguments as one set of options and the callback. */
export function requestOptions(args: readonly unknown[]): { options: https.RequestOptions; callback?: Callback } {
  const [first, second, third] = args;
  const callback = [second, third].find((arg): arg is Callback => typeof arg === 'function');
  const fromUrl = typeof first === 'string' || first instanceof URL ? urlOptions(new URL(first)) : {};
  const own = (typeof first === 'object' && !(first instanceof URL) ? first : typeof second === 'object' ? second : {}) as https.RequestOptions | null;
  return { options: { ...fromUrl, ...(own ?? {}) }, ...(callback ? { callback } : {}) };
}

/** Options for the plain HTTP request to the alias's target, Host kept as the function wrote it. */
export function localOptions(options: https.RequestOptions, alias: EndpointAlias, agent: http.Agent): http.RequestOptions {
  const headers = { ...((options.headers as Record<string, string | string[] | number> | undefined) ?? {}) };
  if (!Object.keys(headers).some((key) => key.toLowerCase() === 'host')) {
    headers.host = alias.port === 443 ? alias.host : `${alias.host}:${alias.port}`;
  }
  const { method, path, timeout, signal, auth } = options;
  return {
    protocol: 'http:',
    host: alias.target.host,
    port: alias.target.port,
    headers,
    agent,
    ...(method ? { method } : {}),
    ...(path ? { path } : {}),
    ...(timeout === undefined ? {} : { timeout }),
    ...(signal ? { signal } : {}),
    ...(auth ? { auth } : {}),
  };
}

/** Routes this worker's https requests to the aliases' local servers. */
export function routeToLocalEndpoints(aliases: readonly EndpointAlias[]): void {
  if (aliases.length === 0) return;
  const agent = new http.Agent({ keepAlive: true });
  const request = https.request;
  const routed = ((...args: RequestArgs): http.ClientRequest => {
    const { options, callback } = requestOptions(args);
    const host = String(options.hostname ?? options.host ?? 'localhost');
    const alias = aliasFor(aliases, host, Number(options.port ?? 443));
    if (!alias) return (request as (...all: unknown[]) => http.ClientRequest)(...args);
    return http.request(localOptions(options, alias, agent), callback);
  }) as typeof https.request;
  https.request = routed;
  https.get = ((...args: RequestArgs) => {
    const req = routed(...args);
    req.end();
    return req;
  }) as typeof https.get;
  // `import { request } from 'node:https'` sees the routed functions too.
  syncBuiltinESMExports();
}

function urlOptions(url: URL): https.RequestOptions {
  return {
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: `${url.pathname}${url.search}`,
    ...(url.username ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
  };
}

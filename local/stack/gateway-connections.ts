/**
 * The `@connections` management API of a local gateway (local/gateway) for handlers called
 * in-process (tests, benchmarks): every connection the caller names is a real socket on the gateway,
 * and what the functions post reaches it through the gateway's own management API (SigV4
 * verified, 410 for a closed connection, 413 over 128 KB, its post faults and delay).
 *
 * The gateway picks its connections' ids, as API Gateway does, and callers name theirs. So
 * the endpoint the functions get is a front on the gateway that only translates: it checks
 * the caller's signature with the gateway's own checker, puts the socket's id in place of
 * the name, signs the request again and passes it on; the gateway's answer goes back as it
 * is. A request for a name without an open socket goes on untouched (the gateway answers
 * 410 for it, or 403 when its signature is wrong).
 */
import { createServer, Agent, request, type IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import {
  managementErrorOf,
  sendManagementError,
  startGateway,
  type GatewayCredentials,
  type ManagementApiErrorName,
  type PostStatusFault,
} from '../gateway/index.js';
import { checkSignature } from '../gateway/sigv4.js';
import { readBody } from '../shared/read-body.js';
import { NAME_PARAMETER, NamedSockets, type NamedSocket, type ReceivedFrame } from './named-sockets.js';

export type ConnectionPost = ReceivedFrame;

export interface ConnectionsApi {
  /** `http://127.0.0.1:PORT/STAGE`: the management API endpoint, like `https://{api}.execute-api.{region}.amazonaws.com/{stage}`. */
  endpoint: string;
  stage: string;
  /** Opens a socket named `connectionId` on the gateway (requests for it wait until it is open). */
  register(connectionId: string): void;
  /** Closes it from the client's side. */
  unregister(connectionId: string): void;
  isRegistered(connectionId: string): boolean;
  /** Frames one connection's socket received, in order. */
  posts(connectionId: string): string[];
  allPosts(): ConnectionPost[];
  /** Connections the DELETE call closed, in order. */
  deleted(): string[];
  /**
   * The next `count` requests for `connectionId` fail with the management API error of
   * `status`, answered by the front from the gateway's error table; with `*`, the next
   * `count` posts to any connection, by the gateway's own post fault (410, 429 or 500).
   */
  failNext(connectionId: string, count: number, status: number): void;
  /** The gateway answers posts only after `ms` (0: at once). */
  holdPosts(ms: number): void;
  /** The most requests that were in the front at once since the last reset. */
  maxInFlight(): number;
  reset(): void;
  close(): Promise<void>;
}

export interface GatewayConnectionsOptions {
  stage: string;
  region: string;
  credentials: GatewayCredentials;
}

const SHA256 = Hash.bind(null, 'sha256');
/** Callers open hundreds of connections and post thousands of frames: no API Gateway quota here. */
const NO_QUOTAS = { connectRatePerSecond: 1_000_000, requestRatePerSecond: 1_000_000, requestBurst: 1_000_000 };
/** Headers of one hop that do not go on to the next. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

export async function startGatewayConnections(options: GatewayConnectionsOptions): Promise<ConnectionsApi> {
  const { stage, region, credentials } = options;
  const sockets = new NamedSockets();
  const gateway = await startGateway({
    apiId: 'roomcaststack',
    stage,
    region,
    credentials,
    routeSelectionExpression: '$request.body.action',
    routes: [{ routeKey: '$connect', target: 'connect', hasRouteResponse: false }],
    limits: NO_QUOTAS,
    async invoke(_target, event) {
      const { requestContext, queryStringParameters } = event as { requestContext: { connectionId: string }; queryStringParameters?: Record<string, string> };
      sockets.connected(queryStringParameters?.[NAME_PARAMETER], requestContext.connectionId);
      return { statusCode: 200 };
    },
  });
  sockets.url = gateway.url;
  const target = new URL(gateway.connectionsUrl);
  const base = target.pathname.replace(/\/$/, '');
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: SHA256, applyChecksum: false });
  const faults: Array<{ name: string; remaining: number; error: ManagementApiErrorName }> = [];
  const deleted: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;

  const takeFault = (name: string): ManagementApiErrorName | undefined => {
    const fault = faults.find((item) => item.remaining > 0 && item.name === name);
    if (fault) fault.remaining -= 1;
    return fault?.error;
  };

  /**
   * To the gateway: for `id` and signed again, or else as received but addressed to the
   * gateway (its Host check serves only its own address; a signature made for this front
   * then fails there, as a bad one would).
   */
  const pass = async (req: IncomingMessage, body: Buffer, id?: string): Promise<Answer> => {
    if (id === undefined) return send(agent, target, { method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...forwardable(req.headers), host: target.host } }, body);
    const signed = await signer.sign({
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: `${base}/@connections/${encodeURIComponent(id)}`,
      query: {},
      headers: { host: target.host, ...(body.length > 0 ? { 'content-type': 'application/octet-stream', 'content-length': String(body.length) } : {}) },
      ...(body.length > 0 ? { body } : {}),
    });
    return send(agent, target, { method: signed.method, path: signed.path, headers: signed.headers }, body);
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { body } = await readBody(req, Number.MAX_SAFE_INTEGER);
    const name = nameOf(req.url, base);
    if (name === undefined || (await checkSignature(req, body, credentials, region))) return reply(res, await pass(req, body));
    const injected = takeFault(name);
    if (injected !== undefined) return sendManagementError(res, injected);
    const found = await sockets.find(name);
    if (!found) return reply(res, await pass(req, body, name));
    const answer = await pass(req, body, found.id);
    await settle(req.method, answer.status, name, found.socket);
    reply(res, answer);
  };

  /** What a 2xx answer did is visible to the caller before it gets the answer. */
  const settle = async (method: string | undefined, status: number, name: string, socket: NamedSocket): Promise<void> => {
    if (method === 'POST' && status === 200) await socket.arrival();
    if (method === 'DELETE' && status === 204) {
      deleted.push(name);
      await socket.closed;
    }
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    serve(req, res)
      .catch(() => (res.headersSent ? res.destroy() : sendManagementError(res, 'InternalServerErrorException')))
      .finally(() => (inFlight -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}${base}`,
    stage,
    register: (name) => sockets.open(name),
    unregister: (name) => sockets.close(name),
    isRegistered: (name) => sockets.has(name),
    posts: (name) => sockets.received(name).map((frame) => frame.data),
    allPosts: () => sockets.received(),
    deleted: () => [...deleted],
    failNext(name, count, status) {
      const error = managementErrorOf(status)?.name;
      if (!error) throw new Error(`no management API error answers ${status}`);
      if (name === '*') gateway.gateway.faults.set({ postStatus: { status: status as PostStatusFault['status'], share: 1, count } });
      else faults.push({ name, remaining: count, error });
    },
    holdPosts: (ms) => gateway.gateway.faults.set({ postDelayMs: ms }),
    maxInFlight: () => mostInFlight,
    reset() {
      sockets.reset();
      gateway.gateway.faults.clear();
      deleted.length = 0;
      faults.length = 0;
      mostInFlight = 0;
    },
    async close() {
      await sockets.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      await gateway.close();
    },
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(agent: Agent, target: URL, head: { method: string; path: string; headers: Record<string, string> }, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, hostname: target.hostname, port: target.port, ...head }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function reply(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, forwardable(answer.headers));
  res.end(answer.body);
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) kept[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return kept;
}

/** The name in `{stage}/@connections/{name}` (`@` may come as `%40`); undefined for any other path. */
function nameOf(url: string | undefined, base: string): string | undefined {
  const path = (url ?? '/').split('?')[0]!;
  for (const at of ['@', '%40']) {
    const head = `${base}/${at}connections/`;
    const rest = path.startsWith(head) ? path.slice(head.length) : '';
    if (rest === '' || rest.includes('/')) continue;
    try {
      return decodeURIComponent(rest);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

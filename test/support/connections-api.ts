import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MANAGEMENT_API_ERROR_TYPES } from '../../local/gateway/index.js';
import { readBody } from '../../local/shared/read-body.js';

/** PostToConnection's limit on `Data` (API Gateway WebSocket message size). */
const MAX_POST_BYTES = 128 * 1024;


export interface ConnectionPost {
  connectionId: string;
  data: string;
  at: number;
}

export interface ConnectionsApi {
  /** `http://127.0.0.1:PORT/STAGE`: the management API endpoint, like `https://{api}.execute-api.{region}.amazonaws.com/{stage}`. */
  endpoint: string;
  stage: string;
  register(connectionId: string, identity?: { sourceIp?: string; userAgent?: string }): void;
  unregister(connectionId: string): void;
  isRegistered(connectionId: string): boolean;
  /** Frames posted to one connection, in order. */
  posts(connectionId: string): string[];
  allPosts(): ConnectionPost[];
  /** Connection ids the DELETE call closed, in order. */
  deleted(): string[];
  /** The next `count` requests for `connectionId` (or any, with `*`) fail with `status`. */
  failNext(connectionId: string, count: number, status: number): void;
  /** Posts are answered only after `ms` (0: at once). */
  holdPosts(ms: number): void;
  /** The most requests that were in the server at once since the last reset. */
  maxInFlight(): number;
  /** Called for each accepted post (e.g. to forward frames to real sockets). */
  onPost(listener: (post: ConnectionPost) => void): () => void;
  reset(): void;
  close(): Promise<void>;
}

interface Connection {
  connectedAt: Date;
  identity: { sourceIp: string; userAgent: string };
}

/** A local HTTP server speaking API Gateway's `@connections` management API. */
export async function startConnectionsApi(options: { stage?: string } = {}): Promise<ConnectionsApi> {
  const stage = options.stage ?? 'local';
  const connections = new Map<string, Connection>();
  const posts: ConnectionPost[] = [];
  const deleted: string[] = [];
  const faults: Array<{ target: string; remaining: number; status: number }> = [];
  const listeners = new Set<(post: ConnectionPost) => void>();
  let holdMs = 0;
  let inFlight = 0;
  let mostInFlight = 0;

  const takeFault = (connectionId: string): number | undefined => {
    const fault = faults.find((item) => item.remaining > 0 && (item.target === connectionId || item.target === '*'));
    if (!fault) return undefined;
    fault.remaining -= 1;
    return fault.status;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { body } = await readBody(req, Number.MAX_SAFE_INTEGER);
    const url = new URL(req.url ?? '/', 'http://local');
    const match = /^\/([^/]+)\/@connections\/([^/]+)$/.exec(url.pathname);
    if (!match || decodeURIComponent(match[1] ?? '') !== stage) return fail(res, 403, 'Forbidden');
    const connectionId = decodeURIComponent(match[2] ?? '');
    const injected = takeFault(connectionId);
    if (injected !== undefined) return fail(res, injected);
    const connection = connections.get(connectionId);
    if (!connection) return fail(res, 410);
    switch (req.method) {
      case 'POST': {
        if (body.length > MAX_POST_BYTES) return fail(res, 413, 'Message too long');
        const post = { connectionId, data: body.toString('utf8'), at: Date.now() };
        posts.push(post);
        listeners.forEach((listener) => listener(post));
        return send(res, 200);
      }
      case 'GET':
        return send(res, 200, {
          connectedAt: connection.connectedAt.toISOString(),
          identity: connection.identity,
          lastActiveAt: connection.connectedAt.toISOString(),
        });
      case 'DELETE':
        connections.delete(connectionId);
        deleted.push(connectionId);
        return send(res, 204);
      default:
        return fail(res, 403, 'Forbidden');
    }
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    const held = req.method === 'POST' && holdMs > 0 ? new Promise((resolve) => setTimeout(resolve, holdMs)) : Promise.resolve();
    held
      .then(() => handle(req, res))
      .catch((error: unknown) => fail(res, 500, String(error)))
      .finally(() => (inFlight -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}/${stage}`,
    stage,
    register(connectionId, identity = {}) {
      connections.set(connectionId, {
        connectedAt: new Date(),
        identity: { sourceIp: identity.sourceIp ?? '127.0.0.1', userAgent: identity.userAgent ?? 'roomcast-test' },
      });
    },
    unregister: (connectionId) => void connections.delete(connectionId),
    isRegistered: (connectionId) => connections.has(connectionId),
    posts: (connectionId) => posts.filter((post) => post.connectionId === connectionId).map((post) => post.data),
    allPosts: () => [...posts],
    deleted: () => [...deleted],
    failNext(connectionId, count, status) {
      faults.push({ target: connectionId, remaining: count, status });
    },
    holdPosts(ms) {
      holdMs = ms;
    },
    maxInFlight: () => mostInFlight,
    onPost(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    reset() {
      connections.clear();
      posts.length = 0;
      deleted.length = 0;
      faults.length = 0;
      holdMs = 0;
      mostInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-amzn-RequestId': randomUUID() });
  res.end(text);
}

/**
 * An error the way API Gateway sends it: the type in `x-amzn-ErrorType` and a JSON body.
 * A 410 has no message (the SDK then says "UnknownError", as it does against AWS).
 */
function fail(res: ServerResponse, status: number, message?: string): void {
  const type = MANAGEMENT_API_ERROR_TYPES[status] ?? 'InternalServerErrorException';
  const text = JSON.stringify(message === undefined ? {} : { message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-ErrorType': type,
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

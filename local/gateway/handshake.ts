import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { runAuthorizer } from './authorizer.js';
import { Connection, type ConnectionHooks } from './connection.js';
import type { GatewayCore } from './core.js';
import { connectEvent, type ConnectionFacts } from './events.js';
import { refuseUpgrade } from './http-util.js';
import { uniqueId } from './ids.js';
import { errorMessage } from './messages.js';
import { isObject } from './policy.js';
import { pathOf, requestParts } from './request-parts.js';

export interface Upgrader {
  wss: WebSocketServer;
  /** The `Sec-WebSocket-Protocol` the 101 answer of a request carries. */
  protocols: WeakMap<IncomingMessage, string>;
  hooks: ConnectionHooks;
}

/**
 * One WebSocket handshake, as API Gateway runs it: path and rate checks, the authorizer,
 * then `$connect`; the socket is upgraded only once both allowed it.
 */
export async function handshake(core: GatewayCore, upgrader: Upgrader, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  socket.on('error', () => undefined); // a client that goes away mid-handshake is no error
  const refuse = (status: number, body: string): void => refuseUpgrade(socket, status, body);
  const json = (message: string): string => JSON.stringify({ message });
  if (pathOf(req.url) !== core.stagePath()) return refuse(403, json('Forbidden'));
  if (core.closing || core.faults.down) return refuse(503, json('Service Unavailable'));
  if (!isWebSocketRequest(req)) return refuse(400, json('Bad Request'));
  if (!core.connectRate.take()) {
    core.log('handshake refused: over the new connections rate');
    return refuse(429, json('Too Many Requests'));
  }
  const parts = requestParts(req);
  const facts: ConnectionFacts = {
    apiId: core.options.apiId,
    stage: core.options.stage,
    connectionId: uniqueId((id) => core.connections.has(id)),
    connectedAt: Date.now(),
    sourceIp: parts.sourceIp,
    userAgent: parts.userAgent,
    domainName: parts.domainName,
  };
  const connection = new Connection(facts, core.limits, upgrader.hooks, core.options.serializeMessages === true);
  core.connections.set(facts.connectionId, connection);
  try {
    if (core.options.authorizer) {
      const outcome = await runAuthorizer(core, core.options.authorizer, facts, parts);
      if (!outcome.allowed) return refuse(outcome.status, json(outcome.message));
      facts.authorizer = outcome.authorizer;
    }
    let protocol: string | undefined;
    const route = core.routes.get('$connect');
    if (route) {
      let result: unknown;
      try {
        result = await core.options.invoke(route.target, connectEvent(facts, parts));
      } catch (error) {
        core.log(`${facts.connectionId} $connect failed: ${errorMessage(error)}`);
        return refuse(500, json('Internal server error'));
      }
      const status = isObject(result) && result.statusCode !== undefined ? Number(result.statusCode) : 200;
      if (!Number.isInteger(status) || status < 100 || status > 599) {
        core.log(`${facts.connectionId} $connect answered an invalid statusCode ${String(status)}`);
        return refuse(500, json('Internal server error'));
      }
      if (status < 200 || status > 299) {
        const body = isObject(result) && typeof result.body === 'string' ? result.body : '';
        return refuse(status, body);
      }
      protocol = subprotocolOf(result);
    }
    if (socket.destroyed) return;
    if (core.closing || core.faults.down) return refuse(503, json('Service Unavailable'));
    if (protocol !== undefined) upgrader.protocols.set(req, protocol);
    // ws upgrades synchronously here (no verifyClient, no extensions) or drops the socket.
    upgrader.wss.handleUpgrade(req, socket, head, (ws) => connection.open(ws, socket));
    if (connection.state === 'open') core.log(`${facts.connectionId} connected`);
  } finally {
    if (connection.state === 'connecting') {
      connection.abandon();
      core.connections.delete(facts.connectionId);
    }
  }
}

function isWebSocketRequest(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    String(req.headers.upgrade).toLowerCase() === 'websocket' &&
    /^[+/0-9A-Za-z]{22}==$/.test(String(req.headers['sec-websocket-key'] ?? '')) &&
    req.headers['sec-websocket-version'] === '13'
  );
}

/**
 * The subprotocol `$connect` answered, passed on as it is: API Gateway does not check it
 * against the offered ones, the client does (and fails the handshake on a mismatch or
 * on no answer at all).
 */
function subprotocolOf(result: unknown): string | undefined {
  if (!isObject(result) || !isObject(result.headers)) return undefined;
  for (const [name, value] of Object.entries(result.headers)) {
    if (name.toLowerCase() === 'sec-websocket-protocol' && typeof value === 'string') return value;
  }
  return undefined;
}

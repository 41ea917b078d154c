import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Connection, ConnectionHooks } from './connection.js';
import { handleConnectionsRequest } from './connections-api.js';
import { GatewayCore } from './core.js';
import { disconnectEvent } from './events.js';
import { handshake, type Upgrader } from './handshake.js';
import { sendJson } from './http-util.js';
import { errorMessage, receiveMessage } from './messages.js';
import type { Gateway, GatewayOptions } from './types.js';

/** How long `close()` lets clients answer the close frame before dropping them. */
const CLOSE_GRACE_MS = 1000;

export function createGateway(options: GatewayOptions): Gateway {
  const core = new GatewayCore(options);
  const hooks: ConnectionHooks = {
    message: (connection, data, isBinary) => receiveMessage(core, connection, data, isBinary),
    closed: (connection, code, reason) => disconnected(core, connection, code, reason),
  };
  const protocols = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false, // API Gateway does not negotiate compression
    maxPayload: core.limits.messageBytes,
    handleProtocols: () => false, // the header comes from $connect, see below
  });
  wss.on('headers', (headers, req) => {
    const protocol = protocols.get(req);
    if (protocol !== undefined) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
  });
  const upgrader: Upgrader = { wss, protocols, hooks };
  const detach: Array<() => void> = [];

  const gateway: Gateway = {
    attach(server: Server, basePath = ''): void {
      core.basePath = basePath.replace(/\/+$/, '');
      const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
        if (!gateway.handleRequest(req, res)) sendJson(res, 404, { message: 'Not Found' });
      };
      const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => gateway.handleUpgrade(req, socket, head);
      server.on('request', onRequest);
      server.on('upgrade', onUpgrade);
      detach.push(() => {
        server.off('request', onRequest);
        server.off('upgrade', onUpgrade);
      });
    },
    handleRequest: (req, res) => handleConnectionsRequest(core, req, res),
    handleUpgrade(req, socket, head): void {
      handshake(core, upgrader, req, socket, head).catch((error: unknown) => {
        core.log(`handshake failed: ${errorMessage(error)}`);
        socket.destroy();
      });
    },
    connections: () => [...core.connections.values()].filter((c) => c.state === 'open').map((c) => c.id),
    faults: core.faults,
    async close(): Promise<void> {
      core.closing = true;
      const open = [...core.connections.values()];
      for (const connection of open) connection.close(1001, 'Going away');
      const grace = setTimeout(() => open.forEach((connection) => connection.terminate()), CLOSE_GRACE_MS);
      await Promise.all(open.map((connection) => connection.whenClosed()));
      clearTimeout(grace);
      core.cancelSleeps();
      await core.idle();
      for (const undo of detach.splice(0)) undo();
      wss.close();
    },
  };
  return gateway;
}

function disconnected(core: GatewayCore, connection: Connection, code: number, reason: string): void {
  core.connections.delete(connection.id);
  core.log(`${connection.id} disconnected ${code} ${reason}`);
  const route = core.routes.get('$disconnect');
  if (!route || core.disconnectDropped()) return;
  // Once the connection's messages in flight have finished, so handlers see $disconnect last
  // (their invocations run on after the close; what they post to the connection gets 410).
  const work = connection.settled().then(() => core.options.invoke(route.target, disconnectEvent(connection.facts, code, reason)));
  core.track(work.catch((error: unknown) => core.log(`${connection.id} $disconnect failed: ${errorMessage(error)}`)));
}

/**
 * roomcast's client for Node: on `ws`, which sees a refused handshake's HTTP status (a 401
 * ends a client with a fixed token at once); on Node's global WebSocket (Node 22+) when
 * `ws` is not installed.
 */
import { connect as connectWith } from './client.js';
import type { ConnectOptions, RoomcastClient, WebSocketConstructor } from './types.js';

export * from './index.js';

export function connect(options: ConnectOptions): RoomcastClient {
  return connectWith({ loadWebSocket: loadWs, ...options });
}

async function loadWs(): Promise<WebSocketConstructor> {
  const { WebSocket } = await import('ws');
  return WebSocket;
}

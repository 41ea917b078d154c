/** roomcast's client for Node: the global WebSocket where there is one (Node 22+), else `ws`. */
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

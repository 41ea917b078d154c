import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { openWebSocket } from '../../layers/core/src/adapters/canary-websocket.js';
import type { SocketListener } from '../../layers/core/src/app/canary/ports.js';

/** The adapter on the runtime's global WebSocket (Node.js 22+, as on Lambda); skipped where there is none. */
describe.runIf(typeof globalThis.WebSocket === 'function')('openWebSocket', () => {
  let server: WebSocketServer;
  let url = '';
  const accepted: Array<{ socket: ServerSocket; query: string }> = [];

  beforeAll(async () => {
    server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      verifyClient: (info: { req: { url?: string } }) => !info.req.url?.includes('token=refused'),
    });
    server.on('connection', (socket, request) => {
      accepted.push({ socket, query: new URL(request.url ?? '/', 'ws://x').search });
      socket.on('message', (data) => socket.send(`echo:${String(data)}`));
    });
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
  });

  afterAll(async () => {
    for (const { socket } of accepted) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  function recorder(): SocketListener & { texts: string[]; closes: string[] } {
    const texts: string[] = [];
    const closes: string[] = [];
    return { texts, closes, message: (text) => texts.push(text), closed: (reason) => closes.push(reason) };
  }

  it('opens, sends and receives text frames, and stays quiet when closed on purpose', async () => {
    const listener = recorder();
    const socket = await openWebSocket(`${url}?token=a.b.c`, listener);
    socket.send('{"action":"ping"}');
    await expect.poll(() => listener.texts).toEqual(['echo:{"action":"ping"}']);
    expect(accepted.at(-1)?.query).toBe('?token=a.b.c');
    socket.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listener.closes).toEqual([]);
  });

  it('tells the listener when the server closes the socket', async () => {
    const listener = recorder();
    await openWebSocket(url, listener);
    accepted.at(-1)?.socket.close(1001, 'going away');
    await expect.poll(() => listener.closes).toEqual(['close code 1001 (going away)']);
  });

  it('rejects when the handshake is refused, without the URL (it carries the token) in the error', async () => {
    const failure = openWebSocket(`${url}?token=refused`, recorder());
    await expect(failure).rejects.toThrow(/handshake failed/);
    await expect(failure).rejects.not.toThrow(/refused/);
  });
});

/**
 * The Node entry over a real socket: a tiny server speaking the protocol (subscribe with
 * snapshot or since, live messages, ping), a server-side drop mid-stream, and the resume.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { connect, type ClientState, type RoomcastClient, type RoomMessage } from '../../client/sdk/node.js';
import { positionOf as pos } from '../support/positions.js';

interface Stored {
  id: string;
  pos: string;
  ts: number;
  data: unknown;
}

/** The protocol, minimally: enough to show that the client resumes without loss. */
function tinyServer() {
  const wss = new WebSocketServer({ port: 0 });
  const history = new Map<string, Stored[]>();
  const rooms = new Map<WebSocket, Set<string>>();
  const subscribes: Record<string, unknown>[] = [];
  const tokens: string[] = [];
  const send = (socket: WebSocket, frame: object) => socket.send(JSON.stringify(frame));

  wss.on('connection', (socket, request) => {
    tokens.push(new URL(request.url ?? '/', 'ws://x').searchParams.get('token') ?? '');
    rooms.set(socket, new Set());
    socket.on('close', () => rooms.delete(socket));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { action: string; rooms?: string[]; snapshot?: number | true; since?: Record<string, string> };
      if (frame.action === 'ping') return send(socket, { type: 'pong' });
      if (frame.action !== 'subscribe' || !frame.rooms) return;
      subscribes.push(frame);
      for (const room of frame.rooms) rooms.get(socket)?.add(room);
      send(socket, { type: 'subscribed', rooms: frame.rooms });
      for (const room of frame.rooms) {
        const all = history.get(room) ?? [];
        const since = frame.since?.[room];
        const count = frame.snapshot === true ? 20 : (frame.snapshot ?? 0);
        if (since === undefined && count === 0) continue;
        const messages = since === undefined ? all.slice(-count) : all.filter((item) => item.pos > since);
        send(socket, { type: 'snapshot', room, messages, complete: true });
      }
    });
  });

  const publish = (room: string, n: number) => {
    const list = history.get(room) ?? [];
    history.set(room, list);
    const stored = { id: `${room}/${n}`, pos: pos(list.length + 1), ts: Date.now(), data: { n } };
    list.push(stored);
    for (const [socket, held] of rooms) if (held.has(room)) send(socket, { type: 'message', room, ...stored });
  };
  const port = new Promise<number>((resolve) => wss.on('listening', () => resolve((wss.address() as AddressInfo).port)));
  const dropAll = () => {
    for (const socket of rooms.keys()) socket.terminate();
    rooms.clear();
  };
  return { wss, port, publish, dropAll, subscribes, tokens };
}

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Node transport over a real socket', () => {
  let client: RoomcastClient | undefined;
  let wss: WebSocketServer | undefined;
  afterEach(async () => {
    client?.close();
    await new Promise((resolve) => (wss ? wss.close(resolve) : resolve(undefined)));
  });

  it('receives snapshot and live messages, and resumes with since after the server drops the socket', async () => {
    const server = tinyServer();
    wss = server.wss;
    const port = await server.port;
    for (let n = 1; n <= 3; n += 1) server.publish('scores:1', n);

    let issued = 0;
    client = connect({ url: `ws://127.0.0.1:${port}/prod`, getToken: () => `token-${++issued}`, backoff: { baseMs: 20, capMs: 100 } });
    const states: ClientState[] = [];
    client.on('state', (state) => states.push(state));
    const got: number[] = [];
    client.subscribe('scores:1', (message: RoomMessage<{ n: number }>) => got.push(message.data.n), { snapshot: true });

    await until(() => got.length === 3, 'the snapshot');
    for (let n = 4; n <= 6; n += 1) server.publish('scores:1', n);
    await until(() => got.length === 6, 'live messages');

    server.dropAll();
    for (let n = 7; n <= 9; n += 1) server.publish('scores:1', n);
    await until(() => server.subscribes.length === 2, 'the resubscribe');
    expect(server.subscribes[1]).toEqual({ action: 'subscribe', rooms: ['scores:1'], since: { 'scores:1': pos(6) } });
    await until(() => got.length === 9, 'the resumed messages');
    server.publish('scores:1', 10);
    await until(() => got.length === 10, 'live after resume');

    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(server.tokens).toEqual(['token-1', 'token-2']);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('sees the 401 of a refused handshake and stops with AUTH_FAILED when the token cannot change', async () => {
    const refusing = (wss = new WebSocketServer({ port: 0, verifyClient: (_info, done) => done(false, 401) }));
    await new Promise((resolve) => refusing.on('listening', resolve));
    const { port } = refusing.address() as AddressInfo;
    client = connect({ url: `ws://127.0.0.1:${port}/prod`, token: 'expired' });
    const errors: { code: string; retryable: boolean }[] = [];
    client.on('error', ({ code, retryable }) => errors.push({ code, retryable }));
    await until(() => client!.state === 'closed', 'the client to give up');
    expect(errors).toEqual([{ code: 'AUTH_FAILED', retryable: false }]);
  });
});

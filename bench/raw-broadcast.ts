/**
 * The ceiling the pipeline is measured against: a minimal `ws` server on this machine that
 * broadcasts each published message to the sockets of its room, at once, with nothing in
 * between (no authorizer, no storage, no queue, no Lambda). It speaks just enough of the
 * protocol for the same clients and the same publisher to measure it: `subscribe` answered
 * with `subscribed`, and `POST /rooms/{room}/messages` (signatures are not checked) answered
 * with 202 after the `message` frame was handed to every socket of the room.
 * It runs in its own process, like the local cloud.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { forkHelper, isHelper, serveHelper, type Helper } from './helper-process.js';

export interface RawBroadcast {
  wsUrl: string;
  publishUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startRawBroadcast(): Promise<RawBroadcast> {
  const helper: Helper<{ port: number }> = await forkHelper(import.meta.url, {});
  const base = `127.0.0.1:${helper.ready.port}`;
  return { wsUrl: `ws://${base}/raw`, publishUrl: `http://${base}`, pid: helper.pid, stop: () => helper.stop() };
}

const PUBLISH_PATH = /^\/rooms\/([^/?]+)\/messages$/;

async function serve(): Promise<{ ready: { port: number }; stop(): Promise<void> }> {
  const rooms = new Map<string, Set<WebSocket>>();
  let seq = 0;
  const server = createServer((req, res) => void publish(req, res));
  const sockets = new WebSocketServer({ server });

  async function publish(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const room = PUBLISH_PATH.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || room === undefined) return void res.writeHead(404).end('{"message":"Not Found"}');
    const { data, id } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { data?: unknown; id?: string };
    const name = decodeURIComponent(room);
    const message = { room: name, id: id ?? `raw-${seq}`, pos: String(++seq).padStart(16, '0') };
    const frame = JSON.stringify({ type: 'message', ...message, ts: Date.now(), data });
    for (const socket of rooms.get(name) ?? []) socket.send(frame);
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify(message));
  }

  sockets.on('connection', (socket) => {
    const joined = new Set<string>();
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { action?: string; rooms?: string[] };
      const names = frame.rooms ?? [];
      if (frame.action === 'subscribe') {
        for (const name of names) {
          joined.add(name);
          let members = rooms.get(name);
          if (!members) rooms.set(name, (members = new Set()));
          members.add(socket);
        }
        socket.send(JSON.stringify({ type: 'subscribed', rooms: names }));
      } else if (frame.action === 'ping') socket.send('{"type":"pong"}');
    });
    socket.on('close', () => joined.forEach((name) => rooms.get(name)?.delete(socket)));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ready: { port: (server.address() as AddressInfo).port },
    stop: async () => {
      sockets.clients.forEach((socket) => socket.terminate());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

if (isHelper(import.meta.url)) serveHelper(serve);

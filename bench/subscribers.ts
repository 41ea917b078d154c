/**
 * N subscribers, each in its rooms, reporting every message they get with its arrival time:
 * raw protocol sockets (`ws`), or the client SDK (`sdk`: one client, one socket each).
 */
import { connect } from '@roomcast/client/sdk/node';
import type { RoomcastClient } from '@roomcast/client/sdk';
import { BenchSocket } from './bench-socket.js';
import { every, paced } from './paced.js';

export type ClientKind = 'ws' | 'sdk';

export interface Receipt {
  subscriber: number;
  room: string;
  id: string;
  data: unknown;
  at: number;
}

export interface SubscriberPool {
  count: number;
  /** The one listener of every message any subscriber gets (an SDK client's after its de-duplication by id). */
  listen(listener: (receipt: Receipt) => void): void;
  /** Sockets lost while subscribed (an SDK client resumes; a raw socket does not). */
  dropped(): number;
  close(): Promise<void>;
}

export interface PoolOptions {
  kind: ClientKind;
  url: string;
  token?: string;
  count: number;
  /** The rooms each subscriber joins (a raw socket in one frame, an SDK client one by one). */
  roomsOf(subscriber: number): string[];
  /** Opening pace: API Gateway takes 500 new connections a second per account. */
  perSecond: number;
  concurrency: number;
  progress(line: string): void;
}

export async function openSubscribers(options: PoolOptions): Promise<SubscriberPool> {
  const started = performance.now();
  const done = every(
    3000,
    (count) => options.progress(`${count.toLocaleString('en-US')} of ${options.count.toLocaleString('en-US')} subscribers (${options.kind}) in (${Math.round(count / ((performance.now() - started) / 1000))}/s)`),
    options.count,
  );
  return options.kind === 'ws' ? openSockets(options, done) : openClients(options, done);
}

async function openSockets(options: PoolOptions, done: (count: number) => void): Promise<SubscriberPool> {
  const sockets: BenchSocket[] = [];
  let listener: (receipt: Receipt) => void = () => undefined;
  const close = async (): Promise<void> => void (await Promise.all(sockets.map((socket) => socket.close())));
  try {
    await paced(options.count, { ...options, done }, async (index) => {
      const socket = await BenchSocket.open(options.url, options.token);
      sockets.push(socket);
      socket.onMessage = (frame, at) => listener({ subscriber: index, room: String(frame.room), id: String(frame.id), data: frame.data, at });
      await socket.subscribe(options.roomsOf(index));
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    count: options.count,
    listen: (next) => void (listener = next),
    dropped: () => sockets.filter((socket) => socket.dropped).length,
    close,
  };
}

async function openClients(options: PoolOptions, done: (count: number) => void): Promise<SubscriberPool> {
  const clients: RoomcastClient[] = [];
  let listener: (receipt: Receipt) => void = () => undefined;
  let reconnects = 0;
  try {
    await paced(options.count, { ...options, done }, async (index) => {
      const client = connect({ url: options.url, ...(options.token ? { token: options.token } : {}), refresh: false });
      clients.push(client);
      for (const room of options.roomsOf(index)) {
        client.subscribe(room, (message) => listener({ subscriber: index, room, id: message.id, data: message.data, at: performance.now() }), { snapshot: 0 });
      }
      await new Promise<void>((resolve, reject) => {
        const stop = client.on('state', (state) => {
          if (state === 'open') {
            stop();
            resolve();
          } else if (state === 'closed') reject(new Error('an SDK client closed before it opened'));
        });
      });
      client.on('state', (state) => void (state === 'reconnecting' && (reconnects += 1)));
    });
  } catch (error) {
    clients.forEach((client) => client.close());
    throw error;
  }
  return {
    count: options.count,
    listen: (next) => void (listener = next),
    dropped: () => reconnects,
    close: async () => clients.forEach((client) => client.close()),
  };
}

import { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { RoomcastClientError } from './errors.js';
import { Feed } from './feed.js';
import { OccupancyAsks } from './occupancy.js';
import type { Desk } from './requests.js';
import { Room, type Listener } from './room.js';
import type { ClientEvents, ClientState, Clock, ConnectOptions, Occupancy, RoomcastClient, RoomMessage, SubscribeOptions, WebSocketConstructor } from './types.js';

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const MINUTE = 60_000;

/** A ping when nothing was sent for this long (API Gateway closes a socket idle for 10 minutes). */
export const DEFAULT_HEARTBEAT_MS = 5 * MINUTE;
/** A fresh connection at a random time in this window (API Gateway ends a connection after 2 hours). */
export const DEFAULT_REFRESH = { minMs: 100 * MINUTE, maxMs: 115 * MINUTE } as const;

/** With `getToken`: the session is renewed when this share of its token's life has passed. */
export const DEFAULT_RENEW_AT = 0.8;

/** Open a client: one socket for any number of rooms, kept alive and resumed across reconnects. */
export function connect(options: ConnectOptions): RoomcastClient {
  return new Client(options);
}

class Client implements RoomcastClient, Desk {
  private readonly rooms = new Map<string, Room>();
  private readonly events = new Emitter<ClientEvents>();
  private readonly connection: Connection;
  private readonly clock: Clock;
  private readonly gapMs: number;
  readonly asks: OccupancyAsks;

  constructor(options: ConnectOptions) {
    const clock = (this.clock = options.clock ?? systemClock);
    this.asks = new OccupancyAsks();
    this.gapMs = options.gapTimeoutMs ?? 1000;
    const { getToken, token } = options;
    const urls = [options.url].flat();
    if (urls.length === 0) throw new TypeError('url must name at least one endpoint');
    const failoverAfter = options.failoverAfter ?? 3;
    this.connection = new Connection(
      {
        urls,
        failoverAfter,
        token: getToken ?? (token === undefined ? undefined : () => token),
        renewable: getToken !== undefined,
        socket: socketOf(options),
        refresh: options.refresh ?? DEFAULT_REFRESH,
        renewAt: options.renewAt ?? DEFAULT_RENEW_AT,
        handshakeFailures: options.handshakeFailures ?? Math.max(5, failoverAfter * urls.length),
        heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
        pongTimeoutMs: options.pongTimeoutMs ?? 15_000,
        timeoutMs: options.requestTimeoutMs ?? 15_000,
        backoff: { baseMs: 500, capMs: 30_000, ...options.backoff },
        random: options.random ?? Math.random,
        clock,
      },
      this,
      {
        state: (state) => this.events.emit('state', state),
        error: (error) => this.events.emit('error', error),
        endpoint: (url) => this.events.emit('endpoint', url),
        opened: (link) => {
          for (const room of this.rooms.keys()) link.requests.want(room, 'subscribe');
        },
      },
    );
  }

  get state(): ClientState {
    return this.connection.state;
  }

  get endpoint(): string {
    return this.connection.endpoint;
  }

  subscribe<T = unknown>(room: string, onMessage: (message: RoomMessage<T>) => void, options: SubscribeOptions = {}): () => void {
    if (typeof room !== 'string' || room === '') throw new TypeError('room must be a non-empty string');
    if (this.state === 'closed') return () => undefined;
    const listener: Listener = { onMessage: onMessage as (message: RoomMessage) => void, options };
    const known = this.rooms.get(room);
    const joined = known ?? this.open(room, options);
    joined.join(listener, known !== undefined);
    if (!known) this.want(room, 'subscribe');
    return () => {
      if (this.rooms.get(room) !== joined || !joined.leave(listener)) return;
      this.drop(room);
      this.want(room, 'unsubscribe');
    };
  }

  cursor(room: string): string | undefined {
    return this.rooms.get(room)?.feed.cursor();
  }

  conflated(room: string): boolean {
    return !!this.rooms.get(room)?.feed.conflated;
  }

  occupancy(room: string): Promise<Occupancy> {
    const answer = this.asks.ask(room);
    this.connection.current?.requests.poke();
    return answer;
  }

  on<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  close(): void {
    this.connection.close();
    this.asks.close();
    for (const room of [...this.rooms.keys()]) this.drop(room);
  }

  // Desk: what the sockets' requests ask about rooms.
  plan(room: string): { since?: string; snapshot?: number | true } | undefined {
    const entry = this.rooms.get(room);
    if (!entry) return undefined;
    const since = entry.feed.cursor();
    return since === undefined ? { snapshot: entry.snapshot } : { since };
  }

  feed(room: string): Feed | undefined {
    return this.rooms.get(room)?.feed;
  }

  fail(room: string, error: RoomcastClientError): void {
    const entry = this.rooms.get(room);
    if (!entry) return;
    this.drop(room);
    entry.notify(error);
    this.events.emit('error', error);
  }

  report(error: RoomcastClientError): void {
    this.events.emit('error', error);
  }

  private open(room: string, options: SubscribeOptions): Room {
    const entry = new Room(options);
    entry.feed = new Feed(
      options.since,
      {
        deliver: (message) => entry.deliver(message),
        request: () => this.want(room, 'subscribe'),
        incomplete: () => {
          const error = new RoomcastClientError('HISTORY_INCOMPLETE', `messages of ${room} were lost: history no longer holds them`, false, room);
          entry.notify(error);
          this.events.emit('error', error);
        },
      },
      this.clock,
      this.gapMs,
    );
    this.rooms.set(room, entry);
    return entry;
  }

  private drop(room: string): void {
    this.rooms.get(room)?.feed.dispose();
    this.rooms.delete(room);
  }

  private want(room: string, op: 'subscribe' | 'unsubscribe'): void {
    // Without a socket nothing is queued: every room is subscribed when the next one opens.
    this.connection.current?.requests.want(room, op);
  }
}

/**
 * The WebSocket class: the one given; else the one loaded (the Node entry loads `ws`, which
 * sees a refused handshake's HTTP status where Node's global WebSocket does not), falling
 * back to the global one when it cannot be loaded; else the global one (browsers).
 */
function socketOf(options: ConnectOptions): () => Promise<WebSocketConstructor> {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  const { WebSocket: given, loadWebSocket } = options;
  if (given) return () => Promise.resolve(given);
  if (loadWebSocket) {
    let loading: Promise<WebSocketConstructor> | undefined;
    return () => (loading ??= loadWebSocket().catch((error: unknown) => (global ? global : Promise.reject(error))));
  }
  if (global) return () => Promise.resolve(global);
  throw new TypeError('no WebSocket: pass `WebSocket`, or use the Node entry (it loads `ws`)');
}

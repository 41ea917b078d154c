import type { RoomcastClientError } from './errors.js';
import type { RoomMessage } from '../message.js';

export type { RoomMessage } from '../message.js';

/** The connection as the app sees it. */
export type ClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SubscribeOptions {
  /** Recent messages to receive first: a count, or `true` for the server's default (20). */
  snapshot?: number | boolean;
  /** Resume after this cursor (or one position) instead of a snapshot: see `RoomcastClient.cursor`. */
  since?: string;
  /** Errors of this subscription (refused room, lost history). */
  onError?(error: RoomcastClientError): void;
}

/** Timers and time, injectable for tests. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Backoff {
  baseMs: number;
  capMs: number;
}

/** A handler type whose parameter is checked bivariantly, so DOM and `ws` sockets both fit. */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the WebSocket API the client uses (browser, Node 22+, `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onerror: Handler<unknown> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ConnectOptions {
  /** The stage's `wss://` URL, or several (one per region): the first is used, the next on failover. */
  url: string | string[];
  /** Failed attempts in a row at one endpoint before moving to the next (default 3). */
  failoverAfter?: number;
  /** A token sent as `?token=`; it never changes. */
  token?: string;
  /** Called before every connection attempt for a fresh token for that endpoint (wins over `token`). */
  getToken?: (endpoint: { url: string }) => string | Promise<string>;
  /** Reconnect delays: full jitter in [0, min(capMs, baseMs * 2^attempt)). */
  backoff?: Partial<Backoff>;
  /** Send a ping after this long without sending anything (default 5 min). */
  heartbeatMs?: number;
  /** Reconnect when nothing arrives this long after a ping (default 15 s). */
  pongTimeoutMs?: number;
  /** Reconnect when a subscribe stays unanswered this long (default 15 s). */
  requestTimeoutMs?: number;
  /** Wait this long for a skipped position before asking the server (default 1 s). */
  gapTimeoutMs?: number;
  /**
   * With `getToken`: renew the session in place (a `refresh` frame with a new token, no new
   * socket) when this share of the token's life has passed (default 0.8); `false`: never.
   * A renewal that fails opens a new socket with a fresh token instead.
   */
  renewAt?: number | false;
  /** Replace the socket at a random time in this window after it opened (default 100 to 115 min); `false`: never. */
  refresh?: { minMs: number; maxMs: number } | false;
  /** Consecutive failures before the socket opens that count as a refused handshake (default 5, at least `failoverAfter` per endpoint). */
  handshakeFailures?: number;
  /** The WebSocket class to use (default: `globalThis.WebSocket`). */
  WebSocket?: WebSocketConstructor;
  /** Loads a WebSocket class when none is given or global (the Node entry loads `ws`). */
  loadWebSocket?: () => Promise<WebSocketConstructor>;
  clock?: Clock;
  /** Uniform in [0, 1); for jitter. */
  random?: () => number;
}

export interface ClientEvents {
  state: (state: ClientState) => void;
  error: (error: RoomcastClientError) => void;
  /** The client moved to another endpoint (failover). */
  endpoint: (url: string) => void;
}

/** A room's occupancy (the `occupancy` frame): connections subscribed, distinct principals, the region counting, when (ms). */
export interface Occupancy {
  room: string;
  connections: number;
  principals: number;
  region: string;
  at: number;
}

export interface RoomcastClient {
  readonly state: ClientState;
  /** The endpoint in use (or being tried). */
  readonly endpoint: string;
  /**
   * Receive a room's messages in `pos` order per origin region, each once (in a conflated
   * room: only messages newer than the last one received). Returns the unsubscribe function.
   */
  subscribe<T = unknown>(room: string, onMessage: (message: RoomMessage<T>) => void, options?: SubscribeOptions): () => void;
  /**
   * Where the app is in a room: the last position delivered per origin region, comma-joined.
   * Store it and pass it as `since` later to get exactly what followed.
   */
  cursor(room: string): string | undefined;
  /**
   * Whether the server conflates the room (said when it answered the room's last subscribe):
   * the app gets only the newest messages, with holes in `pos` by design. False until then.
   */
  conflated(room: string): boolean;
  /**
   * How many connections are subscribed to a room and how many distinct principals they are,
   * as the region this client is connected to counts them. The token must allow the room
   * (ROOM_FORBIDDEN otherwise); the client need not be subscribed to it. Asked when a socket
   * is open, again on the next one if it is lost; CLOSED when the client closes first.
   */
  occupancy(room: string): Promise<Occupancy>;
  /** Listen to state changes, errors or endpoint changes. Returns the function that stops listening. */
  on<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): () => void;
  /** Close the socket for good. */
  close(): void;
}

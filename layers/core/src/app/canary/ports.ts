/**
 * What the canary needs from the world, declared beside it: a WebSocket client
 * (adapters/canary-websocket.ts on the runtime's global WebSocket; a fake in the tests),
 * its token, the publish, telemetry and time. Injected, so that tests run the canary
 * without AWS and without waiting.
 */
import type { Telemetry } from '../ports.js';
import type { PublishRequest } from '../../protocol/publish-request.js';

export interface CanaryPorts {
  openSocket: OpenSocket;
  /** The handshake's `token`; undefined: connect without one. */
  token(): Promise<string | undefined>;
  /** Store and fan out one message, like any publish. */
  publish(request: PublishRequest): Promise<unknown>;
  metrics: Pick<Telemetry, 'count' | 'latency'>;
  clock: CanaryClock;
  newId(): string;
}

/** An open WebSocket, as the canary uses it. */
export interface CanarySocket {
  send(text: string): void;
  /** Close on purpose; the listener hears nothing more. */
  close(): void;
}

export interface SocketListener {
  /** A text frame from the server. */
  message(text: string): void;
  /** The server or the network closed the socket after it was open. */
  closed(reason: string): void;
}

/** Opens a socket: resolves once it is open, rejects when the handshake fails. */
export type OpenSocket = (url: string, listener: SocketListener) => Promise<CanarySocket>;

/** Time as the canary sees it, so that tests neither wait nor depend on the wall clock. */
export interface CanaryClock {
  now(): number;
  /** Calls `fire` after `ms` milliseconds; the returned function cancels it. */
  timer(ms: number, fire: () => void): () => void;
}

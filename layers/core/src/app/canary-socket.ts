/**
 * What the canary needs of a WebSocket client. Injected: the canary runs on the runtime's
 * global WebSocket (canary-websocket.ts), tests run it on a fake.
 */
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

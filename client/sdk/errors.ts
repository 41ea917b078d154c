/**
 * Codes the client itself raises, beside the protocol's codes (ROOM_FORBIDDEN, THROTTLED, ...)
 * that server `error` frames carry.
 */
export type ClientErrorCode =
  /** A snapshot could not deliver every message after the position asked: some were lost. */
  | 'HISTORY_INCOMPLETE'
  /** The handshake was refused (see "Refused handshakes" in README.md). */
  | 'AUTH_FAILED'
  /** `getToken` threw or rejected; retried with backoff. */
  | 'TOKEN_FAILED'
  /** The server did not answer a `refresh` in time (the socket is replaced with a fresh token). */
  | 'TIMEOUT'
  /** No WebSocket class could be found or loaded. */
  | 'NO_WEBSOCKET'
  /** The client was closed before the question was answered. */
  | 'CLOSED';

export class RoomcastClientError extends Error {
  override readonly name = 'RoomcastClientError';
  readonly code: ClientErrorCode | (string & {});
  /** Whether trying again (or reconnecting) can succeed. */
  readonly retryable: boolean;
  /** The room the error concerns, when it concerns one. */
  readonly room: string | undefined;
  readonly details: unknown;

  constructor(code: string, message: string, retryable: boolean, room?: string, details?: unknown) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    this.room = room;
    this.details = details;
  }

  /** The same error, about one room. */
  about(room: string): RoomcastClientError {
    return new RoomcastClientError(this.code, this.message, this.retryable, room, this.details);
  }
}

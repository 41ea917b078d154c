/**
 * The catalogue of error codes roomcast speaks, on the socket and over HTTP.
 * Codes are stable: clients switch on them. `retryable` tells a client whether
 * sending the same thing again (or reconnecting) can succeed.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly retryable: boolean;
  readonly description: string;
}

export const ERRORS = {
  BAD_FRAME: { status: 400, retryable: false, description: 'The frame is not a JSON object.' },
  UNKNOWN_ACTION: { status: 400, retryable: false, description: 'The frame names an action the server does not know.' },
  INVALID_FRAME: { status: 400, retryable: false, description: 'A field of the frame has the wrong type or value.' },
  FRAME_TOO_LARGE: { status: 413, retryable: false, description: 'The frame is larger than the socket accepts (32 KB).' },
  INVALID_ROOM: { status: 400, retryable: false, description: 'A room name breaks the naming rules.' },
  TOO_MANY_ROOMS: { status: 400, retryable: false, description: 'More rooms in one frame, or on one connection, than allowed.' },
  ROOM_FORBIDDEN: { status: 403, retryable: false, description: "The connection's token does not allow this room." },
  INVALID_POSITION: { status: 400, retryable: false, description: 'A `since` position or cursor is not one the server issued.' },
  CONNECTION_UNKNOWN: { status: 410, retryable: true, description: 'The server no longer knows this connection; reconnect.' },
  UNAUTHORIZED: { status: 401, retryable: false, description: 'No token, or a token that is expired, forged or for another audience.' },
  TOKEN_EXPIRED: { status: 401, retryable: true, description: "The connection's token expired: send `refresh` with a new one, or reconnect with it." },
  ORIGIN_FORBIDDEN: { status: 403, retryable: false, description: 'The Origin header is not in the allowed origins.' },
  INVALID_JSON: { status: 400, retryable: false, description: 'The request body is not JSON.' },
  INVALID_MESSAGE: { status: 400, retryable: false, description: 'The publish body breaks the schema (missing data, wrong id type, ...).' },
  MESSAGE_TOO_LARGE: { status: 413, retryable: false, description: 'The message frame would exceed 128 KB.' },
  BATCH_TOO_LARGE: { status: 400, retryable: false, description: 'More messages in one batch than allowed (25).' },
  NOT_FOUND: { status: 404, retryable: false, description: 'No such route.' },
  PUBLISH_IN_PROGRESS: { status: 409, retryable: true, description: 'Another request with this id is being stored right now; retry shortly.' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, retryable: false, description: 'This id already names a message with another room or other data: nothing was stored; use a new id.' },
  RATE_LIMITED: { status: 429, retryable: true, description: 'This connection sends frames faster than allowed; send again after `details.retryAfterMs`.' },
  THROTTLED: { status: 429, retryable: true, description: 'Too many requests; retry with backoff.' },
  INTERNAL: { status: 500, retryable: true, description: 'An unexpected server error; retry with backoff.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

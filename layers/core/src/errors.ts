import { ERRORS, type ErrorCode } from './protocol/catalogue.js';

/** The one error type of roomcast: a stable code, a message for people, and data. */
export class RoomcastError extends Error {
  override readonly name: string = 'RoomcastError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  get retryable(): boolean {
    return ERRORS[this.code].retryable;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

/** Any thrown value as a RoomcastError; unknown errors become INTERNAL and keep their cause. */
export function asRoomcastError(error: unknown): RoomcastError {
  if (error instanceof RoomcastError) return error;
  return new RoomcastError('INTERNAL', 'Internal error', { cause: error });
}

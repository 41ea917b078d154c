/** The publisher's one error type, and how an HTTP answer becomes one. */
import type { PublishResult } from './types.js';

/**
 * The server's code (the protocol's catalogue: INVALID_MESSAGE, THROTTLED, ...), a code
 * named after the status for API Gateway's own answers (FORBIDDEN for a refused
 * signature, NOT_FOUND, MESSAGE_TOO_LARGE, THROTTLED, INTERNAL, UNAVAILABLE, HTTP_<n>),
 * or one of the client's: NETWORK, TIMEOUT, ABORTED, BAD_RESPONSE, INVALID_ROOM,
 * INVALID_MESSAGE (data that is not JSON).
 */
export type PublishErrorCode = string;

export interface PublishErrorInit {
  code: PublishErrorCode;
  message: string;
  retryable: boolean;
  /** HTTP status; undefined when no answer came (NETWORK, TIMEOUT, ABORTED). */
  status?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
  /** API Gateway's request id (`apigw-requestid`), for support. */
  requestId?: string;
}

export class PublishError extends Error {
  override readonly name: string = 'PublishError';
  readonly code: PublishErrorCode;
  readonly status: number | undefined;
  /** Whether sending the same request again could succeed. */
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;
  /** How many attempts were made before giving up (set by the retry loop). */
  attempts = 1;

  constructor(init: PublishErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.retryable = init.retryable;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}

/** A batch that failed part way: what was stored before the failing request, and every id used. */
export class PublishBatchError extends PublishError {
  override readonly name: string = 'PublishBatchError';
  /** Results of the first `published.length` input messages, which are stored. */
  readonly published: PublishResult[];
  /** The idempotency id of every input message, in input order: resend with them to resume safely. */
  readonly ids: string[];

  constructor(failure: PublishError, offset: number, published: PublishResult[], ids: string[]) {
    const index = failure.details?.['index'];
    const details = typeof index === 'number' ? { ...failure.details, index: index + offset } : failure.details;
    super({
      code: failure.code,
      message: failure.message,
      retryable: failure.retryable,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(details === undefined ? {} : { details }),
      ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
      cause: failure,
    });
    this.attempts = failure.attempts;
    this.published = published;
    this.ids = ids;
  }
}

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'MESSAGE_TOO_LARGE',
  429: 'THROTTLED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'UNAVAILABLE',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * 429 and 5xx are retried unless the server says `retryable: false`; other statuses only
 * when the server says `retryable: true` (409 PUBLISH_IN_PROGRESS always is).
 */
export function isRetryable(status: number, code: string, flag: boolean | undefined): boolean {
  if (code === 'PUBLISH_IN_PROGRESS') return true;
  if (status === 429 || status >= 500) return flag !== false;
  return flag === true;
}

/** A non-2xx answer as a PublishError: the roomcast error body, or API Gateway's `{"message"}`. */
export function errorFromResponse(status: number, text: string, requestId: string | undefined): PublishError {
  const body = parseJson(text);
  const error = isRecord(body) ? body['error'] : undefined;
  const base = { status, ...(requestId === undefined ? {} : { requestId }) };
  if (isRecord(error) && typeof error['code'] === 'string') {
    const flag = typeof error['retryable'] === 'boolean' ? error['retryable'] : undefined;
    return new PublishError({
      ...base,
      code: error['code'],
      message: typeof error['message'] === 'string' ? error['message'] : `HTTP ${status}`,
      retryable: isRetryable(status, error['code'], flag),
      ...(isRecord(error['details']) ? { details: error['details'] } : {}),
    });
  }
  const code = STATUS_CODES[status] ?? `HTTP_${status}`;
  const message = isRecord(body) && typeof body['message'] === 'string' ? body['message'] : text.slice(0, 200) || `HTTP ${status}`;
  return new PublishError({ ...base, code, message, retryable: isRetryable(status, code, undefined) });
}

/** One signed HTTP attempt with its own deadline: an answer's JSON, or a PublishError. */
import { parseRetryAfter } from './backoff.js';
import { PublishError, errorFromResponse } from './errors.js';
import { signHeaders, type SigningOptions } from './sign.js';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  /** JSON text; sent with content-type application/json. */
  body?: string;
}

export interface AttemptContext {
  fetch: typeof fetch;
  signing: SigningOptions;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type Outcome = { ok: true; body: unknown } | { ok: false; error: PublishError; retryAfterMs?: number };

export function abortedError(signal: AbortSignal): PublishError {
  return new PublishError({ code: 'ABORTED', message: 'the call was aborted', retryable: false, cause: signal.reason });
}

async function signed(spec: RequestSpec, signing: SigningOptions): Promise<Record<string, string> | PublishError> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (spec.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await signHeaders(spec.url, { method: spec.method, headers, body: spec.body }, signing);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new PublishError({ code: 'CREDENTIALS', message: `could not sign the request: ${reason}`, retryable: false, cause });
  }
}

function answerOf(status: number, text: string, headers: Headers): Outcome {
  const requestId = headers.get('apigw-requestid') ?? undefined;
  if (status >= 200 && status < 300) {
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch (cause) {
      const error = new PublishError({ code: 'BAD_RESPONSE', message: `HTTP ${status} with a body that is not JSON`, status, retryable: false, cause, ...(requestId === undefined ? {} : { requestId }) });
      return { ok: false, error };
    }
  }
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  return { ok: false, error: errorFromResponse(status, text, requestId), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

/** Signs (afresh: each attempt gets a current date) and sends; never throws. */
export async function attempt(spec: RequestSpec, context: AttemptContext): Promise<Outcome> {
  const { signal, timeoutMs } = context;
  if (signal?.aborted) return { ok: false, error: abortedError(signal) };
  const headers = await signed(spec, context.signing);
  if (headers instanceof PublishError) return { ok: false, error: headers };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`no answer within ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const init: RequestInit = { method: spec.method, headers, signal: controller.signal };
    if (spec.body !== undefined) init.body = spec.body;
    const response = await context.fetch(spec.url, init);
    const text = await response.text();
    return answerOf(response.status, text, response.headers);
  } catch (cause) {
    if (signal?.aborted) return { ok: false, error: abortedError(signal) };
    if (timedOut) {
      return { ok: false, error: new PublishError({ code: 'TIMEOUT', message: `no answer within ${timeoutMs} ms`, retryable: true, cause }) };
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: new PublishError({ code: 'NETWORK', message: `request failed: ${reason}`, retryable: true, cause }) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Sends one request until it succeeds, fails for good, or the attempts run out. */
import { abortedError, attempt, type AttemptContext, type RequestSpec } from './attempt.js';
import { backoffDelay, sleep } from './backoff.js';
import type { PublishError } from './errors.js';
import type { RetryPolicy } from './types.js';

/**
 * The same request (same body, so the same idempotency ids) is sent again after a
 * full-jitter backoff while the failure is retryable: 429, 5xx, 409 PUBLISH_IN_PROGRESS,
 * network errors and timeouts. Rejects with the last PublishError, `attempts` set.
 */
export async function sendWithRetries(spec: RequestSpec, context: AttemptContext, policy: RetryPolicy): Promise<unknown> {
  for (let made = 1; ; made += 1) {
    const outcome = await attempt(spec, context);
    if (outcome.ok) return outcome.body;
    const error: PublishError = outcome.error;
    error.attempts = made;
    if (!error.retryable || made >= policy.attempts) throw error;
    try {
      await sleep(backoffDelay(made - 1, policy, outcome.retryAfterMs), context.signal);
    } catch {
      const aborted = context.signal === undefined ? error : abortedError(context.signal);
      aborted.attempts = made;
      throw aborted;
    }
  }
}

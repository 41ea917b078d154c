/** Full-jitter exponential backoff and an abortable wait. */
import { fullJitter } from '../sdk/backoff.js';
import type { RetryPolicy } from './types.js';

export const DEFAULT_RETRIES: RetryPolicy = { attempts: 5, baseMs: 100, capMs: 5000 };

/** The longest delay setTimeout keeps (a longer one would fire at once). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Fills in defaults and refuses nonsense (attempts < 1, negative times). */
export function retryPolicy(given: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = {
    attempts: given.attempts ?? DEFAULT_RETRIES.attempts,
    baseMs: given.baseMs ?? DEFAULT_RETRIES.baseMs,
    capMs: given.capMs ?? DEFAULT_RETRIES.capMs,
  };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) throw new RangeError('retries.attempts must be an integer >= 1');
  if (!(policy.baseMs >= 0) || !(policy.capMs >= 0 && policy.capMs <= MAX_TIMER_MS)) {
    throw new RangeError(`retries.baseMs must be >= 0 and retries.capMs from 0 to ${MAX_TIMER_MS}`);
  }
  return policy;
}

/**
 * The wait after failed attempt number `retry` (0 for the first retry): uniformly random
 * in [0, min(cap, base * 2^retry)). A server's Retry-After (ms) raises it, up to the cap.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  const jittered = fullJitter(retry, policy, random);
  return retryAfterMs === undefined ? jittered : Math.min(policy.capMs, Math.max(jittered, retryAfterMs));
}

/** Retry-After in seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(ms, MAX_TIMER_MS));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Full-jitter exponential backoff: a uniformly random wait in [0, min(cap, base * 2^attempt)).
 * `random` is injectable so tests are deterministic.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
}

export function fullJitter(attempt: number, { baseMs, capMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * Full-jitter exponential backoff: a uniformly random wait in [0, min(cap, base * 2^attempt)).
 * The rule is the clients' (`@roomcast/client/backoff`), so that the server, the SDK and the
 * publisher back off the same way; here with the server's options shape, `random`
 * injectable so tests are deterministic.
 */
import { fullJitter as clientJitter } from '@roomcast/client/backoff';

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
}

export function fullJitter(attempt: number, { baseMs, capMs, random = Math.random }: BackoffOptions): number {
  return clientJitter(attempt, { baseMs, capMs }, random);
}

import type { Backoff } from './types.js';

/**
 * Full-jitter exponential backoff: a uniformly random wait in [0, min(cap, base * 2^attempt)).
 * The rule roomcast's server, SDK and publisher share: written here, in the clients, which
 * need nothing of the server's code; the server imports it (`@roomcast/client/backoff`).
 */
export function fullJitter(attempt: number, { baseMs, capMs }: Backoff, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt)));
}

/** A uniform pick in [minMs, maxMs]: how long a socket lives before it is replaced. */
export function refreshDelay(window: { minMs: number; maxMs: number }, random: () => number): number {
  return window.minMs + Math.floor(random() * (window.maxMs - window.minMs));
}

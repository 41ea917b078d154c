import { fullJitter as jitter } from '../../layers/core/src/model/backoff.js';
import type { Backoff } from './types.js';

/** Full-jitter exponential backoff (the one rule roomcast's server, SDK and publisher share). */
export function fullJitter(attempt: number, { baseMs, capMs }: Backoff, random: () => number): number {
  return jitter(attempt, { baseMs, capMs, random });
}

/** A uniform pick in [minMs, maxMs]: how long a socket lives before it is replaced. */
export function refreshDelay(window: { minMs: number; maxMs: number }, random: () => number): number {
  return window.minMs + Math.floor(random() * (window.maxMs - window.minMs));
}

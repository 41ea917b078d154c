import { matchesPattern } from './rooms.js';

/**
 * Conflation, for rooms whose subscribers need only the latest message (a score, a price):
 * a delivery job of such a room carries the segment of the room it was planned for, and
 * is skipped when a newer message of the room has since been planned for the same segment
 * (the same connections). Under overload each subscriber thus converges to the latest
 * message instead of working through a backlog. History keeps every message.
 */

/** Whether a room is conflated: a `CONFLATE_ROOMS` pattern matches it (`*` as in token patterns). */
export function isConflated(patterns: readonly string[], room: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, room));
}

/** A job at `pos` is superseded once its segment has been planned for a later position. */
export function isSuperseded(pos: string, latestPlanned: string | undefined): boolean {
  return latestPlanned !== undefined && latestPlanned > pos;
}

import type { StoredMessage } from './message.js';
import { cursorOf, decodePosition, type Position } from './positions.js';

/** What a reader gets back after a cursor: messages oldest first, and whether any were missed. */
export interface Resumed {
  messages: StoredMessage[];
  /** false: history no longer holds every message after the cursor (retention or a gap), or `limit` cut it short. */
  complete: boolean;
}

/**
 * Whether a window of a room's latest messages holds everything of `entry`'s origin after
 * it: the window is the whole history (`whole`), or it reaches back to that origin's next
 * message (later ones of that origin sort after it, so they are in the window too).
 */
export function windowCovers(window: readonly StoredMessage[], whole: boolean, entry: Position): boolean {
  return whole || window.some((message) => message.origin === entry.origin && decodePosition(message.pos).seq <= entry.seq + 1);
}

/** The messages of `entry`'s origin after it, from a list holding them in position order. */
export function afterEntry(messages: readonly StoredMessage[], entry: Position): StoredMessage[] {
  return messages.filter((message) => message.origin === entry.origin && decodePosition(message.pos).seq > entry.seq);
}

/**
 * Merge what each origin has after the cursor (`perOrigin[i]` for `cursor[i]`) into one
 * list in position order, cut at `limit`. Complete when fewer than `limit` came back and
 * each origin's first message is the one right after the cursor's (or there is none).
 */
export function mergeResumed(cursor: readonly Position[], perOrigin: readonly (readonly StoredMessage[])[], limit: number): Resumed {
  const all = perOrigin.flat().sort((a, b) => (a.pos < b.pos ? -1 : a.pos > b.pos ? 1 : 0));
  const messages = all.slice(0, limit);
  const contiguous = cursor.every((entry, index) => {
    const first = perOrigin[index]?.[0];
    return first === undefined || decodePosition(first.pos).seq === entry.seq + 1;
  });
  return { messages, complete: contiguous && all.length < limit };
}

/**
 * A room's cursor at a snapshot: the latest position per origin among `window` (the room's
 * latest messages) and `older` (the latest message of each origin missing from the window).
 */
export function headsOf(window: readonly StoredMessage[], older: readonly (StoredMessage | undefined)[]): string | undefined {
  const positions = [...window, ...older].flatMap((message) => (message ? [message.pos] : []));
  return positions.length > 0 ? cursorOf(positions) : undefined;
}

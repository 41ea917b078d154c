import type { StoredMessage } from './message.js';
import { cursorOf, decodePosition, encodePosition, type Position } from './positions.js';

/** What a reader gets back after a cursor: messages oldest first, and whether any were missed. */
export interface Resumed {
  messages: StoredMessage[];
  /** false: history no longer holds every message after the cursor (retention or a gap), or it was cut short (`more`). */
  complete: boolean;
  /** History holds more after these messages than `limit` or the read allowance let through: resume after `nextCursor` for them. */
  more: boolean;
}

/** What one origin gave after its cursor entry: its messages in seq order, and whether more follow them. */
export interface OriginRead {
  messages: readonly StoredMessage[];
  more: boolean;
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
 * list in position order, cut at `limit`. Each origin's part is a prefix of what follows its
 * entry, so the merged list is too. Complete when nothing was cut short (no origin has
 * `more`, fewer than `limit` came back) and each origin's first message is the one right
 * after the cursor's (or there is none).
 */
export function mergeResumed(cursor: readonly Position[], perOrigin: readonly OriginRead[], limit: number): Resumed {
  const all = perOrigin.flatMap((read) => read.messages).sort((a, b) => (a.pos < b.pos ? -1 : a.pos > b.pos ? 1 : 0));
  const messages = all.slice(0, limit);
  const contiguous = cursor.every((entry, index) => {
    const first = perOrigin[index]?.messages[0];
    return first === undefined || decodePosition(first.pos).seq === entry.seq + 1;
  });
  const more = all.length >= limit || perOrigin.some((read) => read.more);
  return { messages, complete: contiguous && !more, more };
}

/**
 * Where a reader resumes after reading `messages` from `cursor`: each origin's last message
 * read, or its cursor entry when none was (an entry before an origin's first message,
 * seq 0, is left out: an origin a cursor does not name is read from its start anyway).
 */
export function nextCursor(cursor: readonly Position[], messages: readonly StoredMessage[]): string | undefined {
  const positions = [...cursor.filter((entry) => entry.seq >= 1).map(encodePosition), ...messages.map((message) => message.pos)];
  return positions.length > 0 ? cursorOf(positions) : undefined;
}

/**
 * A room's cursor at a snapshot: the latest position per origin among `window` (the room's
 * latest messages) and `older` (the latest message of each origin missing from the window).
 */
export function headsOf(window: readonly StoredMessage[], older: readonly (StoredMessage | undefined)[]): string | undefined {
  const positions = [...window, ...older].flatMap((message) => (message ? [message.pos] : []));
  return positions.length > 0 ? cursorOf(positions) : undefined;
}

import type { MessagesPort } from './ports.js';
import type { StoredMessage } from '../model/message.js';
import { decodePosition, type Position } from '../model/positions.js';
import type { ReadAllowance } from '../model/read-budget.js';
import { afterEntry, mergeResumed, windowCovers, type OriginRead, type Resumed } from '../model/resume.js';

/** A room's latest messages at hand, and whether they are its whole history. */
export interface LatestWindow {
  messages: readonly StoredMessage[];
  whole: boolean;
}

/**
 * Everything after a cursor, origin by origin, merged in position order: from `window` for
 * the origins it covers (no read), from the table's by-origin index for the rest, page by
 * page, each page no larger than what `allowance` can still pay for. Origins are read one
 * after the other, so the allowance goes to the cursor's entries in order; what it cannot
 * pay for is left for a later read (`more`).
 */
export async function resumeAfter(store: MessagesPort, room: string, cursor: readonly Position[], limit: number, allowance: ReadAllowance, window?: LatestWindow): Promise<Resumed> {
  const perOrigin: OriginRead[] = [];
  for (const entry of cursor) {
    if (window && windowCovers(window.messages, window.whole, entry)) {
      const after = afterEntry(window.messages, entry);
      perOrigin.push({ messages: after.slice(0, limit), more: after.length > limit });
    } else {
      perOrigin.push(await readOrigin(store, room, entry, limit, allowance));
    }
  }
  return mergeResumed(cursor, perOrigin, limit);
}

/** One origin's messages after its entry, at most `limit`, in pages the allowance pays for. */
async function readOrigin(store: MessagesPort, room: string, entry: Position, limit: number, allowance: ReadAllowance): Promise<OriginRead> {
  const messages: StoredMessage[] = [];
  let seq = entry.seq;
  while (messages.length < limit) {
    const size = allowance.pageSize(limit - messages.length);
    if (size === 0) return { messages, more: true };
    const page = await store.afterOrigin(room, entry.origin, seq, size);
    allowance.spend(page.units);
    messages.push(...page.messages);
    const last = page.messages.at(-1);
    if (!page.more || !last) return { messages, more: false };
    seq = decodePosition(last.pos).seq;
  }
  return { messages, more: true };
}

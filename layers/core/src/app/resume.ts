import type { MessagesPort } from './ports.js';
import type { StoredMessage } from '../model/message.js';
import type { Position } from '../model/positions.js';
import { afterEntry, mergeResumed, windowCovers, type Resumed } from '../model/resume.js';

/** A room's latest messages at hand, and whether they are its whole history. */
export interface LatestWindow {
  messages: readonly StoredMessage[];
  whole: boolean;
}

/**
 * Everything after a cursor, origin by origin: from `window` for the origins it covers,
 * from the table's by-origin index for the rest, merged in position order.
 */
export async function resumeAfter(store: MessagesPort, room: string, cursor: readonly Position[], limit: number, window?: LatestWindow): Promise<Resumed> {
  const perOrigin = await Promise.all(
    cursor.map((entry) =>
      window && windowCovers(window.messages, window.whole, entry)
        ? afterEntry(window.messages, entry).slice(0, limit)
        : store.afterOrigin(room, entry.origin, entry.seq, limit),
    ),
  );
  return mergeResumed(cursor, perOrigin, limit);
}

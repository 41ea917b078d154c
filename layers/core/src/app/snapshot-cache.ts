import type { MessagesPort } from './ports.js';
import type { StoredMessage } from '../model/message.js';
import { parseCursor } from '../model/positions.js';
import { messageBytes, type ReadAllowance } from '../model/read-budget.js';
import { headsOf, nextCursor, type Resumed } from '../model/resume.js';
import { resumeAfter } from './resume.js';

export interface Snapshot extends Resumed {
  /** The room's cursor at this snapshot (latest snapshots only): resume after it to miss nothing. */
  cursor?: string;
  /** Where to resume for what this answer left out (`more`): its messages' positions over the cursor asked. */
  next?: string;
}

/** A room's latest messages, as one read of the table gave them. */
export interface Window {
  messages: StoredMessage[];
  /** The messages are the room's whole history (the read reached its start). */
  whole: boolean;
  /** The latest position per origin, including origins that published before the window. */
  cursor: string | undefined;
  /** The regions that have published to the room (as far as this region has heard). */
  origins: ReadonlySet<string>;
  /** The window's weight in the cache: its messages' item sizes. */
  bytes: number;
}

/** Windows kept at most (a bound on entries, beside the bound on bytes). */
const MAX_ROOMS = 1000;
/** Bytes of windows kept at most by default: a small share of the smallest function's memory. */
export const SNAPSHOT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The latest window of each room's history, shared by every subscribe this function
 * instance serves for `ttlMs`. Concurrent subscribes to one room wait on the same read,
 * so a storm of subscribes costs one history read per room per `ttlMs` per instance.
 * The window can be up to `ttlMs` old; a message published inside that gap reaches the
 * subscriber live (its subscription was stored before the window was read), and the
 * client SDK asks for any position it skipped. The windows kept weigh at most `maxBytes`
 * (a window is at most one DynamoDB page, 1 MB); the least recently read go first.
 */
export class SnapshotCache {
  private readonly windows = new Map<string, { at: number; window: Promise<Window>; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly store: MessagesPort,
    private readonly windowSize: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxBytes: number = SNAPSHOT_CACHE_BYTES,
  ) {}

  /** The bytes of the windows kept now. */
  get weight(): number {
    return this.bytes;
  }

  async latest(room: string, count: number): Promise<Snapshot> {
    return latestIn(await this.window(room), count);
  }

  async since(room: string, since: string, limit: number, allowance: ReadAllowance): Promise<Snapshot> {
    return sinceIn(this.store, room, await this.window(room), since, limit, allowance);
  }

  /** The room's window: the one kept if it is younger than `ttlMs`, else a new read. */
  window(room: string): Promise<Window> {
    const at = this.now();
    const cached = this.windows.get(room);
    if (cached && at - cached.at < this.ttlMs) return cached.window;
    if (cached) this.forget(room);
    const window = this.read(room);
    const entry = { at, window, bytes: 0 };
    this.windows.set(room, entry);
    window.then(
      ({ bytes }) => {
        if (this.windows.get(room) !== entry) return;
        entry.bytes = bytes;
        this.bytes += bytes;
        this.shrink();
      },
      () => {
        if (this.windows.get(room) === entry) this.forget(room);
      },
    );
    this.shrink();
    return window;
  }

  private forget(room: string): void {
    const entry = this.windows.get(room);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.windows.delete(room);
  }

  /** Drop the oldest windows while there are too many or they weigh too much (a window heavier than the bound is not kept). */
  private shrink(): void {
    while (this.windows.size > MAX_ROOMS || this.bytes > this.maxBytes) this.forget(this.windows.keys().next().value!);
  }

  /** The latest messages, and the latest one of each origin that has none among them. */
  private async read(room: string): Promise<Window> {
    const [page, counted] = await Promise.all([this.store.latestPage(room, this.windowSize), this.store.origins(room)]);
    const { messages } = page;
    const origins = new Set([...counted, ...messages.map((message) => message.origin)]);
    const missing = [...origins].filter((origin) => !messages.some((message) => message.origin === origin));
    const older = await Promise.all(missing.map((origin) => this.store.latestOf(room, origin)));
    const bytes = [...messages, ...older].reduce((sum, message) => sum + (message ? messageBytes(message) : 0), 0);
    return { messages, whole: !page.more, cursor: headsOf(messages, older), origins, bytes };
  }
}

/** The latest `count` messages of a window, complete, with the room's cursor. */
export function latestIn({ messages, cursor }: Window, count: number): Snapshot {
  return { messages: messages.slice(Math.max(0, messages.length - count)), complete: true, more: false, ...(cursor ? { cursor } : {}) };
}

/**
 * Everything after a cursor, from the window for the origins it covers, from the table for
 * the rest, within `allowance`. Only the room's origins are read: an entry naming an origin
 * the room has never had (here) has nothing after it. An origin of the room that the cursor
 * does not name is news to its holder (it had not published, or not reached this region,
 * when the cursor was taken): it is answered from its first message.
 */
export async function sinceIn(store: MessagesPort, room: string, window: Window, since: string, limit: number, allowance: ReadAllowance): Promise<Snapshot> {
  const asked = parseCursor(since);
  const named = new Set(asked.map((entry) => entry.origin));
  const unheard = (window.cursor ? parseCursor(window.cursor) : []).filter((head) => !named.has(head.origin)).map((head) => ({ clock: 0, origin: head.origin, seq: 0 }));
  const cursor = [...asked.filter((entry) => window.origins.has(entry.origin)), ...unheard];
  const resumed = await resumeAfter(store, room, cursor, limit, allowance, window);
  const next = resumed.more ? nextCursor(cursor, resumed.messages) : undefined;
  return { ...resumed, ...(next ? { next } : {}) };
}

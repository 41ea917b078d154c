import type { MessagesPort } from './ports.js';
import type { StoredMessage } from '../model/message.js';
import { parseCursor } from '../model/positions.js';
import { headsOf, type Resumed } from '../model/resume.js';
import { resumeAfter } from './resume.js';

export interface Snapshot extends Resumed {
  /** The room's cursor at this snapshot (latest snapshots only): resume after it to miss nothing. */
  cursor?: string;
}

interface Window {
  messages: StoredMessage[];
  /** The latest position per origin, including origins that published before the window. */
  cursor: string | undefined;
}

const MAX_ROOMS = 1000;

/**
 * The latest window of each room's history, shared by every subscribe this function
 * instance serves for `ttlMs`. Concurrent subscribes to one room wait on the same read,
 * so a storm of subscribes costs one history read per room per `ttlMs` per instance.
 * The window can be up to `ttlMs` old; a message published inside that gap reaches the
 * subscriber live (its subscription was stored before the window was read), and the
 * client SDK asks for any position it skipped.
 */
export class SnapshotCache {
  private readonly windows = new Map<string, { at: number; window: Promise<Window> }>();

  constructor(
    private readonly store: MessagesPort,
    private readonly windowSize: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async latest(room: string, count: number): Promise<Snapshot> {
    const { messages, cursor } = await this.window(room);
    return { messages: messages.slice(Math.max(0, messages.length - count)), complete: true, ...(cursor ? { cursor } : {}) };
  }

  /**
   * Everything after a cursor, from the window for the origins it covers, from the table for
   * the rest. An origin of the room that the cursor does not name is news to its holder (it
   * had not published, or not reached this region, when the cursor was taken): it is
   * answered from its first message.
   */
  async since(room: string, since: string, limit: number): Promise<Snapshot> {
    const asked = parseCursor(since);
    const { messages, cursor } = await this.window(room);
    const named = new Set(asked.map((entry) => entry.origin));
    const unheard = (cursor ? parseCursor(cursor) : []).filter((head) => !named.has(head.origin)).map((head) => ({ clock: 0, origin: head.origin, seq: 0 }));
    return resumeAfter(this.store, room, [...asked, ...unheard], limit, { messages, whole: messages.length < this.windowSize });
  }

  private window(room: string): Promise<Window> {
    const at = this.now();
    const cached = this.windows.get(room);
    if (cached && at - cached.at < this.ttlMs) return cached.window;
    const window = this.read(room);
    const entry = { at, window };
    this.windows.delete(room);
    this.windows.set(room, entry);
    if (this.windows.size > MAX_ROOMS) this.windows.delete(this.windows.keys().next().value!);
    window.catch(() => {
      if (this.windows.get(room) === entry) this.windows.delete(room);
    });
    return window;
  }

  /** The latest messages, and the latest one of each origin that has none among them. */
  private async read(room: string): Promise<Window> {
    const [messages, origins] = await Promise.all([this.store.latest(room, this.windowSize), this.store.origins(room)]);
    const missing = origins.filter((origin) => !messages.some((message) => message.origin === origin));
    const older = await Promise.all(missing.map((origin) => this.store.latestOf(room, origin)));
    return { messages, cursor: headsOf(messages, older) };
  }
}

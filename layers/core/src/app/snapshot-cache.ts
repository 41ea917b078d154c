import type { MessagesStore } from '../adapters/messages-store.js';
import type { StoredMessage } from '../model/message.js';
import { decodePosition } from '../model/positions.js';

export interface Snapshot {
  messages: StoredMessage[];
  /** false: history no longer reaches back to what was asked (retention or a gap). */
  complete: boolean;
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
  private readonly windows = new Map<string, { at: number; messages: Promise<StoredMessage[]> }>();

  constructor(
    private readonly store: MessagesStore,
    private readonly windowSize: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async latest(room: string, count: number): Promise<Snapshot> {
    const window = await this.window(room);
    return { messages: window.slice(Math.max(0, window.length - count)), complete: true };
  }

  async since(room: string, since: string, limit: number): Promise<Snapshot> {
    const after = decodePosition(since);
    const window = await this.window(room);
    const first = window[0];
    const covered = !first || decodePosition(first.pos) <= after + 1;
    if (covered || window.length < this.windowSize) {
      const messages = window.filter((message) => message.pos > since).slice(0, limit);
      return { messages, complete: covered };
    }
    const messages = await this.store.after(room, since, limit);
    const head = messages[0];
    return { messages, complete: head !== undefined && decodePosition(head.pos) === after + 1 && messages.length < limit };
  }

  private window(room: string): Promise<StoredMessage[]> {
    const at = this.now();
    const cached = this.windows.get(room);
    if (cached && at - cached.at < this.ttlMs) return cached.messages;
    const messages = this.store.latest(room, this.windowSize);
    const entry = { at, messages };
    this.windows.delete(room);
    this.windows.set(room, entry);
    if (this.windows.size > MAX_ROOMS) this.windows.delete(this.windows.keys().next().value!);
    messages.catch(() => {
      if (this.windows.get(room) === entry) this.windows.delete(room);
    });
    return messages;
  }
}

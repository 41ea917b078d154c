import type { RoomcastClientError } from './errors.js';
import type { Feed } from './feed.js';
import type { RoomMessage, SubscribeOptions } from './types.js';

/** What `snapshot: true` means: the server's default count. */
const DEFAULT_SNAPSHOT = 20;

export interface Listener {
  onMessage(message: RoomMessage): void;
  options: SubscribeOptions;
  /** Messages held for a late listener until its replay runs (after `subscribe` returned). */
  held?: RoomMessage[];
}

const count = (snapshot: SubscribeOptions['snapshot']): number =>
  snapshot === true ? DEFAULT_SNAPSHOT : typeof snapshot === 'number' ? Math.max(0, Math.floor(snapshot)) : 0;

/**
 * The app's side of one room: its listeners, the history option the room was joined with
 * (the first listener's), and the last messages kept to replay to a listener that joins
 * later with a `snapshot` of its own.
 */
export class Room {
  readonly listeners = new Set<Listener>();
  /** The snapshot asked when the room was joined; used until something was delivered. */
  readonly snapshot: number | true | undefined;
  feed!: Feed;
  private readonly recent: RoomMessage[] = [];
  private keep = 0;

  constructor(options: SubscribeOptions) {
    this.snapshot = options.snapshot === true ? true : count(options.snapshot) || undefined;
  }

  /**
   * Add a listener. One that joins a room already joined first receives up to its `snapshot`
   * of kept messages, in a microtask (never before `subscribe` returned), then what followed.
   */
  join(listener: Listener, late: boolean): void {
    const wanted = count(listener.options.snapshot);
    this.keep = Math.max(this.keep, wanted);
    this.listeners.add(listener);
    if (!late || wanted === 0) return;
    const held = (listener.held = this.recent.slice(-wanted));
    queueMicrotask(() => {
      listener.held = undefined;
      for (const message of held) if (this.listeners.has(listener)) call(() => listener.onMessage(message));
    });
  }

  /** Remove a listener; true when it was the last one. */
  leave(listener: Listener): boolean {
    return this.listeners.delete(listener) && this.listeners.size === 0;
  }

  deliver(message: RoomMessage): void {
    if (this.keep > 0) {
      this.recent.push(message);
      if (this.recent.length > this.keep) this.recent.shift();
    }
    for (const listener of [...this.listeners]) {
      if (listener.held) listener.held.push(message);
      else call(() => listener.onMessage(message));
    }
  }

  /** Tell the listeners' `onError` about an error of this room. */
  notify(error: RoomcastClientError): void {
    for (const listener of [...this.listeners]) {
      const { onError } = listener.options;
      if (onError) call(() => onError(error));
    }
  }
}

/** Run an app callback; what it throws is reported without breaking the client. */
function call(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

import { compare, follows } from './positions.js';
import type { Clock, RoomMessage } from './types.js';

export interface FeedHooks {
  /** Hand a message to the app: called in `pos` order, once per message. */
  deliver(message: RoomMessage): void;
  /** Ask the server for every message after `last` (a subscribe with `since`). */
  request(): void;
  /** Messages were lost for good: the app should know (HISTORY_INCOMPLETE). */
  incomplete(): void;
}

/** How a snapshot ended: its verdict, the `since` it answered and its highest position. */
export interface SnapshotEnd {
  complete: boolean;
  since: string | undefined;
  max: string | undefined;
}

/** Ids remembered per room to drop duplicates. */
const REMEMBERED_IDS = 256;
/** Gap requests answered without filling the gap before the client moves on. */
const GAP_TRIES = 3;

/**
 * One room's stream: drops duplicates, orders by `pos`, holds messages that skip a position
 * until the missing ones arrive or the gap timeout asks the server, and merges snapshots
 * with live messages.
 */
export class Feed {
  /** The last position delivered to the app (or the `since` the app started from). */
  last: string | undefined;
  private pending = 0;
  private asked = false;
  private tries = 0;
  private timer: unknown;
  private readonly buffer = new Map<string, RoomMessage>();
  private readonly ids = new Set<string>();

  constructor(
    since: string | undefined,
    private readonly hooks: FeedHooks,
    private readonly clock: Clock,
    private readonly gapMs: number,
  ) {
    this.last = since;
  }

  live(message: RoomMessage): void {
    this.add(message);
    this.drain();
  }

  /** A subscribe for this room went out: a snapshot will answer it. */
  expect(): void {
    this.pending += 1;
    this.asked = false;
    this.drain();
  }

  /** A request went unanswered (its socket closed, or the server refused it). */
  cancel(): void {
    if (this.pending > 0) this.pending -= 1;
    this.drain();
  }

  /** One frame of a snapshot: delivered in order as it comes. */
  part(messages: readonly RoomMessage[]): void {
    for (const message of messages) this.add(message);
    this.drain(true);
  }

  /**
   * The last frame of a snapshot (already given to `part`). Positions at or below its highest
   * one that are still missing are gone: with `complete` they were never used (a failed
   * publish); without it history no longer holds them, and the app is told.
   */
  end({ complete, since, max }: SnapshotEnd): void {
    if (this.pending > 0) this.pending -= 1;
    const top = max ?? (complete ? undefined : this.highest());
    const skipped = top !== undefined && this.drainThrough(top);
    if (!complete) {
      if (skipped || max === undefined) this.hooks.incomplete();
      // More than one snapshot holds: fetch the next part from where this one ended.
      if (max !== undefined && (since === undefined || compare(max, since) > 0)) this.ask();
    }
    this.drain();
  }

  /** Stop the gap timer for good (the room was left). */
  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer.clear();
  }

  private add(message: RoomMessage): void {
    const { pos, id } = message;
    if (this.last !== undefined && compare(pos, this.last) <= 0) return;
    if (this.ids.has(id) || this.buffer.has(pos)) return;
    this.buffer.set(pos, message);
  }

  private sorted(): string[] {
    return [...this.buffer.keys()].sort(compare);
  }

  private highest(): string | undefined {
    return this.sorted().pop();
  }

  /** Deliver what follows `last` without a gap; the first message sets `last` when none is known. */
  private drain(baseline = false): void {
    for (const pos of this.sorted()) {
      const first = this.last === undefined && (baseline || this.pending === 0);
      if (!first && (this.last === undefined || !follows(this.last, pos))) break;
      this.emit(pos);
    }
    this.arm();
  }

  /** Deliver everything up to `top` in order, over gaps; true when a gap was skipped. */
  private drainThrough(top: string): boolean {
    let skipped = false;
    for (const pos of this.sorted()) {
      if (compare(pos, top) > 0) break;
      if (this.last !== undefined && !follows(this.last, pos)) skipped = true;
      this.emit(pos);
    }
    return skipped;
  }

  private emit(pos: string): void {
    const message = this.buffer.get(pos);
    if (!message) return;
    this.buffer.delete(pos);
    this.last = pos;
    this.tries = 0;
    this.ids.add(message.id);
    if (this.ids.size > REMEMBERED_IDS) this.ids.delete(this.ids.values().next().value as string);
    this.hooks.deliver(message);
  }

  private ask(): void {
    this.asked = true;
    this.hooks.request();
  }

  /** Run the gap timer while messages wait for a missing position and nothing was asked. */
  private arm(): void {
    const waiting = this.buffer.size > 0 && this.pending === 0 && !this.asked;
    if (!waiting) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    } else if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => this.gap(), this.gapMs);
    }
  }

  private gap(): void {
    this.timer = undefined;
    this.tries += 1;
    if (this.tries <= GAP_TRIES) return this.ask();
    // The server keeps answering without the missing positions: move on, and say so.
    this.tries = 0;
    this.hooks.incomplete();
    const top = this.highest();
    if (top !== undefined) this.drainThrough(top);
    this.arm();
  }
}

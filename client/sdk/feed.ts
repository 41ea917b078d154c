import { compare, cursorOf, entries, follows, nothingOf, originOf, raise } from './positions.js';
import type { Clock, RoomMessage } from './types.js';

export interface FeedHooks {
  /** Hand a message to the app: called in `pos` order per origin (in a conflated room, in rising `pos` order across origins), once per message. */
  deliver(message: RoomMessage): void;
  /** Ask the server for every message after the cursor (a subscribe with `since`). */
  request(): void;
  /** Messages were lost for good: the app should know (HISTORY_INCOMPLETE). */
  incomplete(): void;
}

/** How a snapshot ended: its verdict, the `since` it answered and its highest position per origin. */
export interface SnapshotEnd {
  complete: boolean;
  since: string | undefined;
  max: Map<string, string>;
  /** The server cut the answer short (it sent `next`): more follows what it held. */
  cut?: boolean;
}

/** Ids remembered per room to drop duplicates. */
const REMEMBERED_IDS = 256;
/** Gap requests answered without filling the gap before the client moves on. */
const GAP_TRIES = 3;

/**
 * One room's stream. Messages of each origin region are delivered in `pos` order without a
 * gap: one that skips a position waits until the missing ones arrive or the gap timeout
 * asks the server; origins do not wait for each other. Duplicates are dropped (by `pos`,
 * and by `id`, which also catches one message published twice in two regions), and
 * snapshots merge with live messages.
 *
 * In a conflated room the server skips messages a newer one supersedes, so its holes are
 * never filled: a message is delivered only when its `pos` is above every position the app
 * has (of any origin), nothing waits for a missing position, nothing is asked for it.
 */
export class Feed {
  /** Whether the server conflates this room (it says so in each `subscribed`). */
  conflated = false;
  /** The last position delivered per origin (or the cursor the app started from; in a conflated room, or superseded). */
  private readonly lasts = new Map<string, string>();
  private pending = 0;
  private asked = false;
  private tries = 0;
  private timer: unknown;
  private readonly buffer = new Map<string, RoomMessage>();
  private readonly ids = new Set<string>();
  /**
   * Whether every origin with messages for the app is in `lasts` or has published nothing
   * yet: after a snapshot answered, or with a `since`. Then an origin heard of later starts
   * at its first message (seq 1), and one arriving ahead of it waits as a gap.
   */
  private originsKnown: boolean;

  constructor(
    since: string | undefined,
    private readonly hooks: FeedHooks,
    private readonly clock: Clock,
    private readonly gapMs: number,
  ) {
    for (const pos of entries(since)) raise(this.lasts, pos);
    this.originsKnown = since !== undefined;
  }

  /** Where the app is: resuming after this cursor misses nothing (undefined before anything is known). */
  cursor(): string | undefined {
    return cursorOf(this.lasts);
  }

  live(message: RoomMessage): void {
    this.add(message);
    this.drain();
  }

  /** The server said whether it conflates the room. */
  conflate(on: boolean): void {
    this.conflated = on;
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

  /**
   * One frame of a snapshot: delivered in order as it comes. The last frame of a latest-
   * messages snapshot carries the room's cursor: an origin not heard of yet and absent from
   * the snapshot starts after it (its next message is awaited, not taken as a first).
   */
  part(messages: readonly RoomMessage[], cursor?: string): void {
    const present = new Set(messages.map(({ pos }) => originOf(pos)));
    for (const pos of entries(cursor)) if (!present.has(originOf(pos))) this.start(pos);
    for (const message of messages) this.add(message);
    this.drain(true);
  }

  /**
   * The last frame of a snapshot (already given to `part`). Positions at or below its highest
   * one per origin that are still missing are gone: with `complete` they were never stored
   * (the server leaves no such holes); without it history no longer holds them, and the app
   * is told.
   */
  end({ complete, since, max, cut = false }: SnapshotEnd): void {
    if (this.pending > 0) this.pending -= 1;
    this.originsKnown = true;
    const tops = max.size > 0 || complete || cut ? max : this.highest();
    let skipped = false;
    for (const [origin, top] of tops) skipped = this.drainThrough(origin, top) || skipped;
    if (!complete) {
      // Cut short, an empty answer lost nothing: the server read no further this time.
      if (skipped || (max.size === 0 && !cut)) this.hooks.incomplete();
      // More than one snapshot holds, or the server said there is more: fetch the next part
      // from where this one ended (the cursor, which is the server's `next` once delivered).
      if (cut || advanced(max, since)) this.ask();
    }
    this.drain();
  }

  /** Stop the gap timer for good (the room was left). */
  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer.clear();
  }

  /** An origin not heard of yet starts after `pos`; what waits at or below it is dropped. */
  private start(pos: string): void {
    const origin = originOf(pos);
    if (this.lasts.has(origin)) return;
    this.lasts.set(origin, pos);
    for (const held of this.buffer.keys()) if (originOf(held) === origin && compare(held, pos) <= 0) this.buffer.delete(held);
  }

  private add(message: RoomMessage): void {
    const { pos } = message;
    const last = this.lasts.get(originOf(pos));
    if ((last !== undefined && compare(pos, last) <= 0) || this.buffer.has(pos)) return;
    this.buffer.set(pos, message);
  }

  private sorted(): string[] {
    return [...this.buffer.keys()].sort(compare);
  }

  private highest(): Map<string, string> {
    const tops = new Map<string, string>();
    for (const pos of this.buffer.keys()) raise(tops, pos);
    return tops;
  }

  /** Deliver what follows each origin's last without a gap; an origin's first message sets its last when none is known. */
  private drain(baseline = false): void {
    const blocked = new Set<string>();
    for (const pos of this.sorted()) {
      if (this.conflated) {
        // Live messages wait only for the room's first snapshot; then the newest wins.
        if (!baseline && this.pending > 0 && this.lasts.size === 0) break;
        if (compare(pos, [...this.lasts.values()].sort(compare).pop() ?? '') > 0) this.emit(pos);
        else {
          // Superseded: the cursor passes it, so a resume does not fetch it again.
          this.buffer.delete(pos);
          raise(this.lasts, pos);
        }
        continue;
      }
      const origin = originOf(pos);
      if (blocked.has(origin)) continue;
      let last = this.lasts.get(origin);
      if (last === undefined && !baseline && this.pending === 0 && this.originsKnown) {
        // Its messages all came after the room was known: none may be skipped, from seq 1 on.
        last = nothingOf(pos);
        this.lasts.set(origin, last);
      }
      if (last === undefined ? baseline || this.pending === 0 : follows(last, pos)) this.emit(pos);
      else blocked.add(origin);
    }
    this.arm();
  }

  /** Deliver an origin's messages up to `top` in order, over gaps; true when a gap was skipped. */
  private drainThrough(origin: string, top: string): boolean {
    let skipped = false;
    for (const pos of this.sorted()) {
      if (originOf(pos) !== origin) continue;
      if (compare(pos, top) > 0) break;
      const last = this.lasts.get(origin);
      if (last !== undefined && !follows(last, pos)) skipped = true;
      this.emit(pos);
    }
    return skipped;
  }

  private emit(pos: string): void {
    const message = this.buffer.get(pos);
    if (!message) return;
    this.buffer.delete(pos);
    this.lasts.set(originOf(pos), pos);
    this.tries = 0;
    // The same id at another position (published again in another region): the position
    // counts as delivered, the message is not delivered twice.
    if (this.ids.has(message.id)) return;
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
    for (const [origin, top] of this.highest()) this.drainThrough(origin, top);
    this.arm();
  }
}

/** Whether a snapshot reached past the `since` it answered for some origin. */
function advanced(max: Map<string, string>, since: string | undefined): boolean {
  const from = new Map<string, string>();
  for (const pos of entries(since)) raise(from, pos);
  return [...max.values()].some((pos) => raise(new Map(from), pos));
}

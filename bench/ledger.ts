/**
 * Who should get which message, who got it, how often, and how long after it was published:
 * the count per subscriber and message that loss and duplicates are read from.
 */
import { summarize, type LatencySummary } from './stats.js';

export interface Tally {
  publishes: number;
  /** Deliveries owed: each accepted publish times the subscribers of its room. */
  expected: number;
  /** Deliveries that arrived, each (subscriber, message) once. */
  delivered: number;
  lost: number;
  /** Extra copies of a message one subscriber already had. */
  duplicates: number;
  /** Messages at subscribers not in their room. */
  unexpected: number;
  subscribersWithLoss: number;
  subscribersWithDuplicates: number;
  /** Receive time minus publish time, of each first copy. */
  latencyMs: LatencySummary | null;
  /** From the first publish sent to the last delivery received. */
  durationMs: number;
  deliveriesPerSecond: number;
}

export class Ledger {
  private readonly roomSizes = new Map<number, number>();
  /** seq -> publish time, room, first copies so far; only accepted publishes are owed. */
  private readonly sent = new Map<number, { at: number; room: number; accepted: boolean; firsts: number; failed: boolean }>();
  /** seq -> copies per subscriber. */
  private readonly copies = new Map<number, Uint16Array>();
  private readonly latencies: number[] = [];
  private owed = 0;
  private firsts = 0;
  private unexpected = 0;
  private firstSentAt = Number.POSITIVE_INFINITY;
  private lastReceivedAt = Number.NEGATIVE_INFINITY;

  /** `roomOf[subscriber]`: the room index each subscriber is in. */
  constructor(private readonly roomOf: readonly number[]) {
    for (const room of roomOf) this.roomSizes.set(room, (this.roomSizes.get(room) ?? 0) + 1);
  }

  published(seq: number, room: number, at: number): void {
    this.sent.set(seq, { at, room, accepted: false, firsts: 0, failed: false });
    this.copies.set(seq, new Uint16Array(this.roomOf.length));
    this.firstSentAt = Math.min(this.firstSentAt, at);
  }

  /** The publish failed for good: nothing is owed, nothing awaited. */
  failed(seq: number): void {
    const message = this.sent.get(seq);
    if (message) message.failed = true;
  }

  /** Messages sent (and not failed) that some subscriber of their room has not got yet. */
  outstanding(): number {
    let count = 0;
    for (const message of this.sent.values()) if (!message.failed && message.firsts < (this.roomSizes.get(message.room) ?? 0)) count += 1;
    return count;
  }

  /** The publish was answered 202: its deliveries are owed. */
  accepted(seq: number): void {
    const message = this.sent.get(seq);
    if (!message || message.accepted) return;
    message.accepted = true;
    this.owed += this.roomSizes.get(message.room) ?? 0;
  }

  received(subscriber: number, seq: number, at: number): void {
    const message = this.sent.get(seq);
    const copies = this.copies.get(seq);
    if (!message || !copies) return;
    if (this.roomOf[subscriber] !== message.room) {
      this.unexpected += 1;
      return;
    }
    copies[subscriber] = Math.min(copies[subscriber]! + 1, 0xffff);
    if (copies[subscriber] === 1) {
      this.firsts += 1;
      message.firsts += 1;
      this.latencies.push(at - message.at);
    }
    this.lastReceivedAt = Math.max(this.lastReceivedAt, at);
  }

  /** Every owed delivery arrived. */
  settled(): boolean {
    return this.firsts >= this.owed;
  }

  deliveredCount(): number {
    return this.firsts;
  }

  tally(): Tally {
    const lossBy = new Set<number>();
    const duplicatesBy = new Set<number>();
    let lost = 0;
    let duplicates = 0;
    let delivered = 0;
    for (const [seq, message] of this.sent) {
      const copies = this.copies.get(seq)!;
      this.roomOf.forEach((room, subscriber) => {
        if (room !== message.room) return;
        const count = copies[subscriber]!;
        if (count > 1) {
          duplicates += count - 1;
          duplicatesBy.add(subscriber);
        }
        if (count > 0) delivered += 1;
        else if (message.accepted) {
          lost += 1;
          lossBy.add(subscriber);
        }
      });
    }
    const durationMs = Number.isFinite(this.lastReceivedAt) ? this.lastReceivedAt - this.firstSentAt : 0;
    return {
      publishes: this.sent.size,
      expected: this.owed,
      delivered,
      lost,
      duplicates,
      unexpected: this.unexpected,
      subscribersWithLoss: lossBy.size,
      subscribersWithDuplicates: duplicatesBy.size,
      latencyMs: summarize(this.latencies),
      durationMs: Math.round(durationMs),
      deliveriesPerSecond: durationMs > 0 ? Math.round((delivered / durationMs) * 1000) : 0,
    };
  }
}

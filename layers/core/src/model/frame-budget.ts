import { MESSAGE_ITEM_UNITS } from './read-budget.js';

/**
 * How many frames each connection may send: a token bucket per connection (`burst` frames
 * at once, refilled at `ratePerSecond`), and a count of the frames it refused in the
 * current flood window. Kept in memory by each function instance: no I/O per frame (see
 * "Frame rate per connection" in docs/operations.md for why, and what that costs).
 */
export interface FrameBudgetSettings {
  /** Frames per second a connection may send in the long run; 0: no limit. */
  ratePerSecond: number;
  /** Frames a connection may send at once. */
  burst: number;
  /** Connections remembered at most; the least recently seen are forgotten first. */
  maxConnections?: number;
}

export type FrameVerdict =
  | { admit: true }
  | {
      admit: false;
      /** When the next frame would be admitted. */
      retryAfterMs: number;
      /** The first frame refused in this flood window (worth one log line). */
      first: boolean;
      /** The refusal that makes this connection a flood: close it (once per window). */
      close: boolean;
    };

/** History read units one frame of the budget pays for: the largest message's (model/read-budget.ts). */
export const READ_UNITS_PER_FRAME = MESSAGE_ITEM_UNITS;
/** Refusals are counted in windows of this length. */
export const FLOOD_WINDOW_MS = 10_000;
/** A connection with this many times `burst` frames refused in one window is closed. */
export const FLOOD_FACTOR = 5;
const DEFAULT_MAX_CONNECTIONS = 10_000;
const ADMIT: FrameVerdict = { admit: true };

interface Bucket {
  tokens: number;
  refilledAt: number;
  refused: number;
  windowStart: number;
}

export class FrameBudgets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly settings: FrameBudgetSettings) {}

  /** Spend one frame of a connection's budget, at `now` (ms). */
  take(connectionId: string, now: number): FrameVerdict {
    const { ratePerSecond, burst } = this.settings;
    if (ratePerSecond <= 0) return ADMIT;
    const bucket = this.touch(connectionId, now);
    const elapsed = Math.max(0, now - bucket.refilledAt);
    bucket.tokens = Math.min(burst, bucket.tokens + (elapsed * ratePerSecond) / 1000);
    bucket.refilledAt = Math.max(bucket.refilledAt, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return ADMIT;
    }
    if (now - bucket.windowStart >= FLOOD_WINDOW_MS) {
      bucket.windowStart = now;
      bucket.refused = 0;
    }
    bucket.refused += 1;
    return {
      admit: false,
      retryAfterMs: Math.ceil(((1 - bucket.tokens) * 1000) / ratePerSecond),
      first: bucket.refused === 1,
      close: bucket.refused === FLOOD_FACTOR * burst,
    };
  }

  /**
   * The read units the frame this connection just had admitted may spend on history beyond
   * its snapshot windows: the admitted frame pays for READ_UNITS_PER_FRAME, and each whole
   * frame still in its bucket for as many more, at most `cap`. Reading within it and paying
   * with `chargeReads` never takes the bucket below zero.
   */
  readAllowance(connectionId: string, cap: number): number {
    if (this.settings.ratePerSecond <= 0) return cap;
    const tokens = this.buckets.get(connectionId)?.tokens ?? this.settings.burst - 1;
    return Math.min(cap, READ_UNITS_PER_FRAME * (1 + Math.floor(Math.max(0, tokens))));
  }

  /** Pay for `units` read by the frame just admitted: one frame more per started READ_UNITS_PER_FRAME beyond the first. */
  chargeReads(connectionId: string, units: number): void {
    const bucket = this.buckets.get(connectionId);
    if (this.settings.ratePerSecond <= 0 || !bucket) return;
    bucket.tokens -= Math.max(0, Math.ceil(units / READ_UNITS_PER_FRAME) - 1);
  }

  /** The connection's bucket, now the most recently seen; forgets the oldest over the bound. */
  private touch(connectionId: string, now: number): Bucket {
    const bucket = this.buckets.get(connectionId) ?? { tokens: this.settings.burst, refilledAt: now, refused: 0, windowStart: now };
    this.buckets.delete(connectionId);
    this.buckets.set(connectionId, bucket);
    // Forgetting a connection only forgives it (a full bucket): the bound never refuses anyone.
    if (this.buckets.size > (this.settings.maxConnections ?? DEFAULT_MAX_CONNECTIONS)) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    return bucket;
  }
}

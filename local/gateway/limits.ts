import type { GatewayLimits } from './types.js';

export const DEFAULT_LIMITS: GatewayLimits = {
  frameBytes: 32 * 1024,
  messageBytes: 128 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  maxDurationMs: 2 * 60 * 60 * 1000,
  connectRatePerSecond: 500,
  requestRatePerSecond: 10_000,
  requestBurst: 5_000,
  integrationTimeoutMs: 29_000,
};

export function resolveLimits(given: Partial<GatewayLimits> | undefined): GatewayLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof GatewayLimits>) {
    const value = given?.[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value < 0) throw new Error(`gateway limit ${key} must be a number >= 0, got ${value}`);
      limits[key] = value;
    }
  }
  return limits;
}

/**
 * The account-wide token bucket: `burst` tokens at most, refilled at `ratePerSecond`.
 * Refilled lazily on each take, so it needs no timer.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** At most `perSecond` events in each wall-clock second. */
export class RateWindow {
  private second = -1;
  private count = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(): boolean {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.count = 0;
    }
    if (this.count >= this.perSecond) return false;
    this.count += 1;
    return true;
  }
}

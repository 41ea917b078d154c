/** A function's concurrency: at most `limit` invocations at once, the others wait (FIFO) or are refused. */
import type { ThrottleMode } from './types.js';

interface Waiter {
  grant(): void;
  refuse(): void;
  timer: NodeJS.Timeout;
}

export class Slots {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  }

  get inUse(): number {
    return this.active;
  }

  /** Resolves true once a slot is held (release it!), false when throttled. */
  acquire(mode: ThrottleMode, queueTimeoutMs: number): Promise<boolean> {
    if (this.active < this.limit && this.waiters.length === 0) {
      this.active++;
      return Promise.resolve(true);
    }
    if (mode === 'reject' || queueTimeoutMs <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve(true);
        },
        refuse: () => {
          clearTimeout(waiter.timer);
          resolve(false);
        },
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          resolve(false);
        }, queueTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Give a slot back; the longest waiter, if any, gets it at once. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.active = Math.max(0, this.active - 1);
  }

  /** Refuse everyone still waiting (on close). */
  refuseAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.refuse();
  }
}

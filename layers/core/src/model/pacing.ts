/**
 * The account's PostToConnection quota, one function instance's share of it: at most
 * `ratePerSecond` posts a second in the long run and `burst` at once (the generic cell
 * rate algorithm: each post reserves the next slot). Shared by every post of the instance,
 * so that all deliver instances together run at the quota instead of overrunning it into
 * 429s. No I/O; the caller waits what `reserve` answers.
 */
export class PostPacer {
  private nextSlot = 0;

  constructor(
    /** Posts a second; 0: no limit. */
    readonly ratePerSecond: number,
    private readonly burst = 1,
  ) {}

  /** Reserve one post at `now` (ms): how long to wait before making it. */
  reserve(now: number): number {
    if (this.ratePerSecond <= 0) return 0;
    const interval = 1000 / this.ratePerSecond;
    const slot = Math.max(this.nextSlot, now);
    this.nextSlot = slot + interval;
    return Math.max(0, slot - now - (this.burst - 1) * interval);
  }
}

/**
 * One deliver instance's share of the quota: the quota split evenly over the most
 * instances the event source may run (its MaximumConcurrency), with a burst of half a
 * second of it, as API Gateway's own bucket holds half a second of the account's rate
 * (5,000 at 10,000 a second): a job of a small room is posted at once, a large fan-out at
 * the quota.
 */
export function instanceShare(quotaPerSecond: number, maxConcurrency: number): { ratePerSecond: number; burst: number } {
  if (quotaPerSecond <= 0) return { ratePerSecond: 0, burst: 1 };
  const ratePerSecond = quotaPerSecond / Math.max(1, maxConcurrency);
  return { ratePerSecond, burst: Math.max(1, Math.floor(ratePerSecond / 2)) };
}

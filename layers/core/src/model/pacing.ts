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
    private ratePerSecond: number,
    private burst = 1,
  ) {}

  /** A new share (the instances posting changed); posts already reserved keep their slots. */
  setShare(share: { ratePerSecond: number; burst: number }): void {
    this.ratePerSecond = share.ratePerSecond;
    this.burst = share.burst;
  }

  get rate(): number {
    return this.ratePerSecond;
  }

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
 * One deliver instance's share of the quota: the quota split evenly over the instances
 * posting, with a burst of half a second of it, as API Gateway's own bucket holds half a
 * second of the account's rate (5,000 at 10,000 a second): all of them together post at most
 * what the account's bucket allows, a job of a small room is posted at once.
 */
export function instanceShare(quotaPerSecond: number, instances: number): { ratePerSecond: number; burst: number } {
  if (quotaPerSecond <= 0) return { ratePerSecond: 0, burst: 1 };
  const ratePerSecond = quotaPerSecond / Math.max(1, instances);
  return { ratePerSecond, burst: Math.max(1, Math.floor(ratePerSecond / 2)) };
}

/**
 * How many deliver instances are posting, from the delivery jobs in flight (received and
 * not yet deleted): each instance holds at most a batch of them. At least 1 (this one), at
 * most the event source's MaximumConcurrency.
 */
export function postingInstances(jobsInFlight: number, batchSize: number, maxConcurrency: number): number {
  return Math.min(Math.max(1, maxConcurrency), Math.max(1, Math.ceil(jobsInFlight / Math.max(1, batchSize))));
}

/**
 * Fan-out makespan model (pure): how long from a publish until every subscriber of a room
 * has been posted the message, with AWS's quotas and scaling rules as parameters, against
 * the throttle-bound minimum (subscribers / the account's requests per second).
 *
 * A simulation in steps of `stepMs`:
 * - planning: the publish function reads the room's rows and enqueues jobs at a steady
 *   rate from `firstJobsMs` (one page read and sent) on, the last at `planningMs`;
 * - a job can be picked up `pollDelayMs` after it was enqueued;
 * - the SQS event source runs at most `concurrency(t)` invocations: `initialConcurrency`
 *   once jobs are available, `scaleUpPerMinute` more each minute, capped by
 *   `maxConcurrency`; an invocation takes up to `batchSize` jobs;
 * - an invocation posts at the rate its CPU or its network allows, whichever is slower;
 * - all invocations together post at most `requestsPerSecond` (the account's quota, less
 *   `otherRequestsPerSecond`): shared fairly, with no 429 retries (optimistic).
 */

export interface MakespanParameters {
  subscribers: number;
  jobSize: number;
  batchSize: number;
  postConcurrency: number;
  /** Posts one invocation makes per second when nothing else limits it. */
  invocationPostsPerSecond: number;
  invocationOverheadMs: number;
  planningMs: number;
  /** When the first jobs are enqueued (one page read and sent). */
  firstJobsMs: number;
  pollDelayMs: number;
  initialConcurrency: number;
  scaleUpPerMinute: number;
  maxConcurrency: number;
  requestsPerSecond: number;
  otherRequestsPerSecond: number;
  stepMs?: number;
}

export interface Makespan {
  subscribers: number;
  makespanMs: number;
  /** subscribers / available requests per second. */
  minimumMs: number;
  /** makespanMs / minimumMs. */
  ratio: number;
  planningMs: number;
  /** When the posts first reached the quota (undefined: never). */
  throttleBoundFromMs: number | undefined;
  peakConcurrency: number;
  invocations: number;
}

interface Invocation {
  remaining: number;
  /** Time it may start posting (after its overhead). */
  startsAt: number;
}

export function makespan(p: MakespanParameters): Makespan {
  const step = p.stepMs ?? 10;
  const quota = p.requestsPerSecond - p.otherRequestsPerSecond;
  if (quota <= 0) throw new RangeError('no requests per second are left for posts');
  const jobs = Math.ceil(p.subscribers / p.jobSize);
  const running: Invocation[] = [];
  let taken = 0;
  let invocations = 0;
  let peak = 0;
  let firstAvailable: number | undefined;
  let throttledFrom: number | undefined;
  let t = 0;
  for (; taken < jobs || running.length > 0; t += step) {
    if (t > 3_600_000) throw new RangeError('the fan-out does not finish within an hour of model time');
    const enqueued = enqueuedJobs(t - p.pollDelayMs, jobs, p);
    if (enqueued > taken && firstAvailable === undefined) firstAvailable = t;
    const limit = firstAvailable === undefined ? 0 : Math.min(p.maxConcurrency, p.initialConcurrency + Math.floor((p.scaleUpPerMinute * (t - firstAvailable)) / 60_000));
    while (running.length < limit && enqueued > taken) {
      const batch = Math.min(p.batchSize, enqueued - taken);
      const posts = Math.min(batch * p.jobSize, p.subscribers - taken * p.jobSize);
      taken += batch;
      invocations += 1;
      running.push({ remaining: posts, startsAt: t + p.invocationOverheadMs });
    }
    peak = Math.max(peak, running.length);
    const posting = running.filter((invocation) => invocation.startsAt <= t);
    const demand = posting.length * p.invocationPostsPerSecond;
    const share = demand > quota ? quota / demand : 1;
    if (share < 1 && throttledFrom === undefined) throttledFrom = t;
    for (const invocation of posting) {
      const made = Math.min(invocation.remaining, p.invocationPostsPerSecond * share * (step / 1000));
      invocation.remaining -= made;
    }
    for (let index = running.length - 1; index >= 0; index -= 1) if (running[index]!.remaining <= 1e-9) running.splice(index, 1);
  }
  const minimumMs = (p.subscribers / quota) * 1000;
  return { subscribers: p.subscribers, makespanMs: t, minimumMs, ratio: t / minimumMs, planningMs: p.planningMs, throttleBoundFromMs: throttledFrom, peakConcurrency: peak, invocations };
}

/** Jobs enqueued by time `t`: none before the first page, then at a steady rate, the last when planning ends. */
function enqueuedJobs(t: number, jobs: number, p: MakespanParameters): number {
  if (t < p.firstJobsMs) return 0;
  if (t >= p.planningMs || p.planningMs <= p.firstJobsMs) return jobs;
  return Math.floor((jobs * (t - p.firstJobsMs)) / (p.planningMs - p.firstJobsMs));
}

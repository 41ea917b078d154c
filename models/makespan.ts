/**
 * Fan-out makespan model (pure): how long from a publish until every subscriber of a room
 * has been posted the message, with AWS's quotas and scaling rules as parameters, against
 * the throttle-bound minimum (subscribers / the requests per second posts may use).
 *
 * Planning (`simulatePlanning`, event by event): the publish function hands the fan-out on
 * at `handOffMs`, either as delivery jobs it planned itself or as plan tasks on the plan
 * queue. A task can be picked up `pollDelayMs` after it was sent. The planners' SQS event
 * source runs `initialConcurrency` invocations once tasks are available, `scaleUpPerMinute`
 * more each minute, up to `maxConcurrency`; an invocation takes up to `batchSize` tasks and
 * runs them side by side: their requests overlap, their handler time (`cpuMs`) adds up. A
 * task either sends child tasks (another hop through the queue) or reads its partitions
 * (pages in turn, partitions in parallel, all planners together within the table's read
 * units per second) and sends their delivery jobs, which are then enqueued.
 *
 * Delivery (`makespan`, event by event too): a job can be picked up `pollDelayMs` after it
 * was enqueued; the deliver event source scales like the planners', an invocation taking up
 * to `batchSize` jobs; an invocation posts at the rate its CPU or its network allows, and at
 * most at its paced share of the quota: the quota over the invocations posting
 * (layers/core/src/app/post-share.ts counts them from the jobs in flight);
 * all invocations together post at most `requestsPerSecond - otherRequestsPerSecond`, shared
 * fairly, without the 429s and retries an overrun would cause (optimistic there).
 */

/** One plan task: the tasks it hands on, or the partitions it reads and the jobs they make. */
export interface PlanNode {
  /** Child tasks it sends (then it reads nothing). */
  children: PlanNode[];
  /** Delivery jobs it enqueues. */
  jobs: number;
  /** Its Queries: the longest partition's pages in turn. */
  readMs: number;
  /** Read units its Queries consume. */
  readUnits: number;
  /** Its SendMessageBatch requests, after the reads. */
  sendMs: number;
  /** Handler time that takes turns with the other tasks of its invocation. */
  cpuMs: number;
}

export interface ScalingParameters {
  initialConcurrency: number;
  scaleUpPerMinute: number;
  maxConcurrency: number;
  /** Messages per invocation (the event source's BatchSize). */
  batchSize: number;
  /** From a message sent to an invocation holding it. */
  pollDelayMs: number;
  /** From an invocation's end until its slot takes the next batch. */
  nextBatchMs: number;
  invocationOverheadMs: number;
}

export interface PlanningParameters extends ScalingParameters {
  /** When the publish function has sent its plan tasks, or the jobs it planned itself. */
  handOffMs: number;
  /** Jobs the publish function enqueued itself (a small room). */
  inlineJobs: number;
  /** Plan tasks it sent. */
  tasks: PlanNode[];
  /** The table's read units per second, all planners together. */
  readUnitsPerSecond: number;
}

export interface Planning {
  /** [ms, jobs]: delivery jobs enqueued, in time order. */
  arrivals: Array<[number, number]>;
  /** When the first and the last job were enqueued. */
  firstJobsMs: number;
  planningMs: number;
  /** Hops through the plan queue on the longest path (0: planned inside the publish). */
  hops: number;
  peakConcurrency: number;
  invocations: number;
  longestInvocationMs: number;
}

/** Concurrency an event source allows `elapsed` ms after messages first became available. */
export function concurrencyAt(s: Pick<ScalingParameters, 'initialConcurrency' | 'scaleUpPerMinute' | 'maxConcurrency'>, elapsed: number): number {
  return Math.min(s.maxConcurrency, s.initialConcurrency + Math.floor((s.scaleUpPerMinute * elapsed) / 60_000));
}

export function simulatePlanning(p: PlanningParameters): Planning {
  const arrivals: Array<[number, number]> = p.inlineJobs > 0 ? [[p.handOffMs, p.inlineJobs]] : [];
  const queue = p.tasks.map((node) => ({ at: p.handOffMs + p.pollDelayMs, node, depth: 1 }));
  let busy: number[] = [];
  let readFreeAt = 0;
  let firstAvailable: number | undefined;
  let result = { hops: 0, peakConcurrency: 0, invocations: 0, longestInvocationMs: 0 };
  let t = queue[0]?.at ?? p.handOffMs;
  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at);
    busy = busy.filter((freeAt) => freeAt > t);
    let ready = queue.findIndex((task) => task.at > t);
    if (ready < 0) ready = queue.length;
    if (ready > 0) firstAvailable ??= t;
    const limit = firstAvailable === undefined ? 0 : concurrencyAt(p, t - firstAvailable);
    while (busy.length < limit && ready > 0) {
      const taken = queue.splice(0, Math.min(p.batchSize, ready));
      ready -= taken.length;
      const begin = t + p.invocationOverheadMs;
      const cpuEnd = begin + taken.reduce((sum, task) => sum + task.node.cpuMs, 0);
      let end = cpuEnd;
      for (const { node, depth } of taken) {
        let readEnd = begin + node.readMs;
        if (node.readUnits > 0) {
          readFreeAt = Math.max(readFreeAt, begin) + (node.readUnits / p.readUnitsPerSecond) * 1000;
          readEnd = Math.max(readEnd, readFreeAt);
        }
        const done = Math.max(cpuEnd, readEnd + node.sendMs);
        end = Math.max(end, done);
        if (node.jobs > 0) arrivals.push([done, node.jobs]);
        for (const child of node.children) queue.push({ at: done + p.pollDelayMs, node: child, depth: depth + 1 });
        result.hops = Math.max(result.hops, depth);
      }
      busy.push(end + p.nextBatchMs);
      result = { ...result, invocations: result.invocations + 1, peakConcurrency: Math.max(result.peakConcurrency, busy.length), longestInvocationMs: Math.max(result.longestInvocationMs, end - t) };
    }
    if (queue.length === 0) break;
    const next = [...queue.map((task) => task.at), ...busy, nextStep(p, firstAvailable, limit)].filter((time) => time > t);
    t = Math.min(...next);
    if (!Number.isFinite(t)) throw new RangeError('the planning makes no progress');
  }
  arrivals.sort((a, b) => a[0] - b[0]);
  const times = arrivals.map(([at]) => at);
  return { arrivals, firstJobsMs: times[0] ?? p.handOffMs, planningMs: times.at(-1) ?? p.handOffMs, ...result };
}

/** When the event source may next run one more invocation (Infinity: it is at its maximum). */
function nextStep(s: ScalingParameters, firstAvailable: number | undefined, limit: number): number {
  if (firstAvailable === undefined || limit >= s.maxConcurrency || s.scaleUpPerMinute <= 0) return Infinity;
  return firstAvailable + Math.ceil(((limit - s.initialConcurrency + 1) * 60_000) / s.scaleUpPerMinute);
}

export interface MakespanParameters extends ScalingParameters {
  subscribers: number;
  /** [ms, jobs]: when delivery jobs are enqueued (from `simulatePlanning`). */
  arrivals: ReadonlyArray<readonly [number, number]>;
  /** Posts one invocation makes per second when nothing else limits it. */
  invocationPostsPerSecond: number;
  /** Each instance's share of the quota when all MaximumConcurrency instances post; 0: not paced (each shares the quota with those posting). */
  pacedPostsPerSecond: number;
  requestsPerSecond: number;
  otherRequestsPerSecond: number;
}

export interface Makespan {
  subscribers: number;
  makespanMs: number;
  /** subscribers / the requests per second posts may use. */
  minimumMs: number;
  /** makespanMs / minimumMs. */
  ratio: number;
  /** When the last job was enqueued. */
  planningMs: number;
  /** When the posts first ran at the quota (undefined: never). */
  atQuotaFromMs: number | undefined;
  peakConcurrency: number;
  invocations: number;
}

interface Invocation {
  remaining: number;
  /** Time it may start posting (after its overhead). */
  startsAt: number;
}

export function makespan(p: MakespanParameters): Makespan {
  const quota = p.requestsPerSecond - p.otherRequestsPerSecond;
  if (quota <= 0) throw new RangeError('no requests per second are left for posts');
  const jobs = p.arrivals.reduce((sum, [, count]) => sum + count, 0);
  const postsPerJob = jobs > 0 ? p.subscribers / jobs : 0;
  let running: Invocation[] = [];
  let cooling: number[] = [];
  let enqueued = 0;
  let arrived = 0;
  let taken = 0;
  let invocations = 0;
  let peak = 0;
  let firstAvailable: number | undefined;
  let atQuotaFrom: number | undefined;
  let t = 0;
  // Event by event: between two events every posting invocation posts at the same steady rate.
  for (;;) {
    while (arrived < p.arrivals.length && p.arrivals[arrived]![0] + p.pollDelayMs <= t) enqueued += p.arrivals[arrived++]![1];
    if (enqueued > taken) firstAvailable ??= t;
    cooling = cooling.filter((freeAt) => freeAt > t);
    const limit = firstAvailable === undefined ? 0 : concurrencyAt(p, t - firstAvailable);
    while (running.length + cooling.length < limit && enqueued > taken) {
      const batch = Math.min(p.batchSize, enqueued - taken);
      taken += batch;
      invocations += 1;
      running.push({ remaining: batch * postsPerJob, startsAt: t + p.invocationOverheadMs });
    }
    peak = Math.max(peak, running.length + cooling.length);
    if (taken >= jobs && running.length === 0) break;
    const posting = running.filter((invocation) => invocation.startsAt <= t);
    // Paced: the invocations posting share the quota evenly, none above its own rate.
    const perInvocation = p.pacedPostsPerSecond > 0 ? Math.min(p.invocationPostsPerSecond, quota / Math.max(1, posting.length)) : p.invocationPostsPerSecond;
    const demand = posting.length * perInvocation;
    const rate = demand > quota ? quota / posting.length : perInvocation;
    if (demand >= quota * 0.999) atQuotaFrom ??= t;
    const waiting = enqueued > taken;
    const finishAt = new Map(posting.map((invocation) => [invocation, t + (invocation.remaining / rate) * 1000]));
    const next = Math.min(
      ...[
        arrived < p.arrivals.length ? p.arrivals[arrived]![0] + p.pollDelayMs : Infinity,
        ...running.map((invocation) => (invocation.startsAt > t ? invocation.startsAt : Infinity)),
        ...(waiting ? [...cooling, nextStep(p, firstAvailable, limit)] : []),
      ].filter((time) => time > t),
      ...finishAt.values(),
    );
    if (!Number.isFinite(next)) throw new RangeError('the fan-out makes no progress');
    // Those that finish now are done (exactly, whatever the rounding); the others post on.
    const done = posting.filter((invocation) => finishAt.get(invocation)! <= next);
    for (const invocation of posting) invocation.remaining -= (rate * (next - t)) / 1000;
    if (done.length > 0) {
      running = running.filter((invocation) => !done.includes(invocation));
      cooling.push(...done.map(() => next + p.nextBatchMs));
    }
    t = next;
  }
  const minimumMs = (p.subscribers / quota) * 1000;
  const planningMs = p.arrivals.at(-1)?.[0] ?? 0;
  return { subscribers: p.subscribers, makespanMs: t, minimumMs, ratio: t / minimumMs, planningMs, atQuotaFromMs: atQuotaFrom, peakConcurrency: peak, invocations };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelInputs } from '../../models/assumptions.js';
import { AWS_LIMITS } from '../../models/aws-limits.js';
import { makespan, simulatePlanning, type MakespanParameters, type PlanNode, type PlanningParameters } from '../../models/makespan.js';
import { invocationPostsPerSecond, makespanRow, makespanRows, planningParameters, provisionedPollers, roomLayout, suggestedConcurrency } from '../../models/makespan-inputs.js';
import { templateFacts } from '../../models/template-facts.js';
import { layoutOf, partitionCount } from '../../layers/core/src/model/room-partitions.js';

const scaling = { initialConcurrency: 1000, scaleUpPerMinute: 0, maxConcurrency: 1000, batchSize: 10, pollDelayMs: 0, nextBatchMs: 0, invocationOverheadMs: 0 };

/** A fan-out that nothing slows down but the quota: 1,000 jobs of 100, all enqueued at 0. */
const unbounded: MakespanParameters = {
  ...scaling,
  subscribers: 100_000,
  arrivals: [[0, 1000]],
  invocationPostsPerSecond: 1_000_000,
  pacedPostsPerSecond: 0,
  requestsPerSecond: 10_000,
  otherRequestsPerSecond: 0,
};

describe('the delivery model', () => {
  it('meets the throttle-bound minimum when only the quota limits', () => {
    const result = makespan(unbounded);
    expect(result.minimumMs).toBe(10_000);
    expect(result.makespanMs).toBeGreaterThanOrEqual(result.minimumMs);
    expect(result.makespanMs).toBeLessThanOrEqual(result.minimumMs + 1);
    expect(result.atQuotaFromMs).toBe(0);
  });

  it('is bound by concurrency times what one invocation posts when that is below the quota', () => {
    const result = makespan({ ...unbounded, invocationPostsPerSecond: 500, maxConcurrency: 5, subscribers: 10_000, arrivals: [[0, 100]] });
    // 5 invocations x 500 posts/s = 2,500 posts/s: 4 s for 10,000.
    expect(result.makespanMs).toBeCloseTo(4000, 0);
    expect(result.atQuotaFromMs).toBeUndefined();
    expect(result.peakConcurrency).toBe(5);
  });

  it('paces the invocations posting at an even share of the quota, whatever their own rate', () => {
    // 10 instances: a tenth of the quota each, the quota in all; 5 of them: a fifth each, the quota too.
    const paced = { ...unbounded, pacedPostsPerSecond: 1000, maxConcurrency: 10 };
    expect(makespan(paced).makespanMs).toBeCloseTo(10_000, 0);
    expect(makespan(paced).atQuotaFromMs).toBe(0);
    const half = makespan({ ...paced, maxConcurrency: 5 });
    expect(half.makespanMs).toBeCloseTo(10_000, 0);
    expect(half.atQuotaFromMs).toBe(0);
    // Below the quota, an instance's own rate is the limit: 5 of 1,000 a second make half of it.
    const slow = makespan({ ...paced, maxConcurrency: 5, invocationPostsPerSecond: 1000 });
    expect(slow.makespanMs).toBeCloseTo(20_000, 0);
    expect(slow.atQuotaFromMs).toBeUndefined();
    // A room of one batch, alone, may use the whole quota: 1,000 posts in 0.1 s.
    expect(makespan({ ...paced, subscribers: 1000, arrivals: [[0, 10]] }).makespanMs).toBeCloseTo(100, 0);
  });

  it('grows concurrency by the scale-up rate, up to the maximum', () => {
    const slow = { ...unbounded, invocationPostsPerSecond: 100, initialConcurrency: 5, maxConcurrency: 50, subscribers: 200_000, arrivals: [[0, 2000]] as Array<[number, number]> };
    const stepped = makespan({ ...slow, scaleUpPerMinute: 300 });
    expect(stepped.peakConcurrency).toBe(50);
    expect(makespan({ ...slow, scaleUpPerMinute: 0 }).peakConcurrency).toBe(5);
    expect(stepped.makespanMs).toBeLessThan(makespan({ ...slow, scaleUpPerMinute: 60 }).makespanMs);
  });

  it('cannot end before the last jobs are enqueued and polled', () => {
    const result = makespan({ ...unbounded, arrivals: [[50, 500], [30_000, 500]], pollDelayMs: 100 });
    expect(result.planningMs).toBe(30_000);
    expect(result.makespanMs).toBeGreaterThanOrEqual(30_100);
  });

  it('leaves posts only the quota that other traffic does not take', () => {
    const result = makespan({ ...unbounded, otherRequestsPerSecond: 5000 });
    expect(result.minimumMs).toBe(20_000);
    expect(() => makespan({ ...unbounded, otherRequestsPerSecond: 10_000 })).toThrow(RangeError);
  });

  it('never beats the minimum, and every job is in some invocation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 50, max: 20_000 }),
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 0, max: 600 }),
        fc.boolean(),
        (subscribers, perInvocation, maxConcurrency, scaleUp, paced) => {
          const jobs = Math.ceil(subscribers / 100);
          const result = makespan({
            ...unbounded,
            subscribers,
            arrivals: [[0, Math.ceil(jobs / 2)], [500, jobs - Math.ceil(jobs / 2)]],
            invocationPostsPerSecond: perInvocation,
            pacedPostsPerSecond: paced ? unbounded.requestsPerSecond / maxConcurrency : 0,
            initialConcurrency: 2,
            maxConcurrency,
            scaleUpPerMinute: scaleUp,
            nextBatchMs: 10,
          });
          // Never under the minimum, but for floating-point rounding.
          expect(result.makespanMs).toBeGreaterThanOrEqual(result.minimumMs * (1 - 1e-9));
          expect(result.invocations).toBeGreaterThanOrEqual(Math.ceil(jobs / 2 / 10));
        },
      ),
      { numRuns: 40 },
    );
  });
});

const leaf = (over: Partial<PlanNode> = {}): PlanNode => ({ children: [], jobs: 10, readMs: 6, readUnits: 0, sendMs: 10, cpuMs: 0, ...over });
const planningBase: PlanningParameters = { ...scaling, pollDelayMs: 100, handOffMs: 30, inlineJobs: 0, tasks: [], readUnitsPerSecond: 40_000 };

describe('the planning model', () => {
  it('a small room: the jobs are enqueued by the publish itself', () => {
    const result = simulatePlanning({ ...planningBase, inlineJobs: 7 });
    expect(result).toMatchObject({ arrivals: [[30, 7]], planningMs: 30, hops: 0, invocations: 0 });
  });

  it('each hop through the plan queue costs the poll delay and a planner invocation', () => {
    const oneHop = simulatePlanning({ ...planningBase, invocationOverheadMs: 2, tasks: [leaf()] });
    expect(oneHop.planningMs).toBe(30 + 100 + 2 + 6 + 10);
    const split: PlanNode = { ...leaf({ jobs: 0, readMs: 0 }), children: [leaf(), leaf()] };
    const twoHops = simulatePlanning({ ...planningBase, invocationOverheadMs: 2, tasks: [split] });
    expect(twoHops.hops).toBe(2);
    expect(twoHops.planningMs).toBe(30 + 100 + 2 + 10 + 100 + 2 + 6 + 10);
    expect(twoHops.arrivals.reduce((sum, [, jobs]) => sum + jobs, 0)).toBe(20);
  });

  it("an invocation's tasks overlap their requests and take turns on the CPU", () => {
    const tasks = Array.from({ length: 10 }, () => leaf({ cpuMs: 5 }));
    const result = simulatePlanning({ ...planningBase, tasks });
    expect(result.invocations).toBe(1);
    expect(result.planningMs).toBe(30 + 100 + Math.max(10 * 5, 6 + 10));
  });

  it('the event source ramp and the table read rate bound the planners', () => {
    const tasks = Array.from({ length: 20 }, () => leaf());
    const serial = simulatePlanning({ ...planningBase, tasks, batchSize: 1, initialConcurrency: 1, maxConcurrency: 1 });
    expect(serial.invocations).toBe(20);
    expect(serial.peakConcurrency).toBe(1);
    expect(serial.planningMs).toBeGreaterThanOrEqual(130 + 20 * 16);
    const bounded = simulatePlanning({ ...planningBase, tasks: tasks.map(() => leaf({ readUnits: 1000 })), readUnitsPerSecond: 10_000 });
    // 20,000 read units at 10,000 a second: 2 s of reading.
    expect(bounded.planningMs).toBeGreaterThanOrEqual(130 + 2000);
  });
});

describe('the makespan inputs of this stack', () => {
  const setup = { facts: templateFacts(), inputs: modelInputs() };
  const own = invocationPostsPerSecond(setup);

  it('lay a room out as subscribe does: 1,000,000 over 1,364 partitions of at most 1,000 rows', () => {
    const rows = roomLayout(1_000_000, setup.facts.shards, setup.facts.roomPartitionRows);
    expect(rows).toHaveLength(1364);
    expect(rows.reduce((sum, count) => sum + count, 0)).toBe(1_000_000);
    expect(Math.max(...rows)).toBeLessThanOrEqual(1000);
    for (const size of [30_000, 150_000]) {
      const ids = Array.from({ length: size }, (_, index) => `conn-${index.toString(36).padStart(6, '0')}`);
      expect(roomLayout(size, setup.facts.shards, setup.facts.roomPartitionRows)).toHaveLength(partitionCount(layoutOf(ids, setup.facts.shards, setup.facts.roomPartitionRows).shape));
    }
  });

  it('plan a room of 1,000,000 through 10 tasks split into leaves of at most a segment, every subscriber in some job', () => {
    const parameters = planningParameters(1_000_000, setup);
    expect(parameters.tasks).toHaveLength(10);
    const leaves = parameters.tasks.flatMap((task) => task.children);
    expect(leaves.length).toBeGreaterThan(300);
    expect(leaves.every((node) => node.children.length === 0 && node.readMs > 0)).toBe(true);
    expect(leaves.reduce((sum, node) => sum + node.jobs, 0)).toBeGreaterThanOrEqual(1_000_000 / setup.facts.jobSize);
    expect(planningParameters(1000, setup)).toMatchObject({ tasks: [], inlineJobs: 10 });
  });

  it('plan 1,000,000 within 1 s at the assumed AWS latencies, in two hops, within the functions timeouts', () => {
    const row = makespanRow(1_000_000, setup);
    expect(row.planningMs).toBeLessThan(1000);
    expect(row.planHops).toBe(2);
    expect(row.handOffMs).toBeLessThan(row.publishTimeoutMs);
    expect(row.longestPlannerInvocationMs).toBeLessThan(row.planTimeoutMs);
    expect(row.plannerPeakConcurrency).toBeLessThanOrEqual(AWS_LIMITS.sqsEventSourceInitialConcurrency.value + 5);
  });

  it("take the template's quota, and suggest a concurrency that reaches it", () => {
    expect(setup.facts.postQuotaPerSecond).toBe(10_000);
    for (const quota of [10_000, 50_000, 100_000]) {
      const concurrency = suggestedConcurrency(quota, own);
      expect(concurrency * own).toBeGreaterThanOrEqual(quota * 1.25);
      const row = makespanRow(1_000_000, setup, { quota, warm: true });
      expect(row.maxConcurrency).toBe(concurrency);
      expect(row.reachablePostsPerSecond).toBeCloseTo(quota, 6);
      expect(row.atQuotaFromMs).toBeDefined();
    }
  });

  it("the template's 50 instances, paced, fall short of 100,000 a second, and the makespan shows it", () => {
    const row = makespanRow(5_000_000, setup, { quota: 100_000, maxConcurrency: 50 });
    expect(row.reachablePostsPerSecond).toBeCloseTo(50 * own, 6);
    expect(row.atQuotaFromMs).toBeUndefined();
    expect(row.ratio).toBeGreaterThanOrEqual(100_000 / (50 * own));
  });

  it('meet 1.1 times the minimum for rooms of 1,000,000 and more at the default quota, and never beat it', () => {
    const rows = makespanRows([100_000, 1_000_000, 5_000_000], setup, { basis: 'aws-latencies' });
    for (const row of rows) {
      expect(row.makespanMs).toBeGreaterThanOrEqual(row.minimumMs);
      expect(row.minimumMs).toBe((row.subscribers / 10_000) * 1000);
    }
    expect(rows.filter((row) => row.subscribers >= 1_000_000).every((row) => row.ratio <= 1.1)).toBe(true);
    // A room of 100,000 spends its first 0.36 s planning and polling, and ramps to 12 instances after.
    expect(rows[0]!.ratio).toBeLessThan(1.2);
  });

  it('a higher quota shortens the makespan, a warm event source too', () => {
    const [low, mid, high] = makespanRows([1_000_000], setup, { basis: 'aws-latencies', quotas: [10_000, 50_000, 100_000] });
    expect(mid!.makespanMs).toBeLessThan(low!.makespanMs);
    expect(high!.makespanMs).toBeLessThan(mid!.makespanMs);
    expect(makespanRow(1_000_000, setup, { quota: 100_000, warm: true }).makespanMs).toBeLessThan(high!.makespanMs);
  });

  it('in provisioned mode, start with the ready pollers (10 invocations each) and meet 1.1 times the minimum from 1,000,000 subscribers at every quota', () => {
    expect(provisionedPollers(113)).toEqual({ minimum: 12, maximum: 12 });
    expect(provisionedPollers(113, 4)).toEqual({ minimum: 4, maximum: 12 });
    expect(provisionedPollers(5)).toEqual({ minimum: 2, maximum: 2 });
    expect(provisionedPollers(5000, 500)).toEqual({ minimum: 200, maximum: 500 });
    const rows = makespanRows([1_000_000, 5_000_000], setup, { basis: 'aws-latencies', quotas: [10_000, 50_000, 100_000], provisioned: true });
    for (const row of rows) {
      expect(row.pollers).toBeDefined();
      expect(row.maxConcurrency).toBe(row.pollers!.maximum * 10);
      expect(row.ratio).toBeLessThanOrEqual(1.1);
    }
    // The same quota from a cold standard-mode event source misses it at 1,000,000 subscribers.
    const standard = makespanRow(1_000_000, setup, { basis: 'aws-latencies', quota: 100_000 });
    expect(standard.ratio).toBeGreaterThan(1.1);
    // Fewer pollers ready: a ramp of 1,000 invocations a minute from 20.
    const few = makespanRow(1_000_000, setup, { basis: 'aws-latencies', quota: 100_000, provisioned: true, minimumPollers: 2 });
    expect(few.makespanMs).toBeGreaterThan(rows.find((row) => row.quotaPerSecond === 100_000 && row.subscribers === 1_000_000)!.makespanMs);
    expect(few.makespanMs).toBeLessThan(standard.makespanMs);
  });

  it('a deliver function with more memory posts faster, and needs fewer instances for the quota', () => {
    const more = { ...setup, facts: { ...setup.facts, memoryMb: { ...setup.facts.memoryMb, deliver: 1769 } } };
    expect(invocationPostsPerSecond(more)).toBeGreaterThan(own);
    expect(makespanRow(1_000_000, more, { quota: 100_000 }).maxConcurrency).toBeLessThan(makespanRow(1_000_000, setup, { quota: 100_000 }).maxConcurrency);
  });

  it('give a row per planning basis, quota and size, in that order', () => {
    const rows = makespanRows([10_000, 100_000], setup, { quotas: [10_000, 20_000] });
    expect(rows.map((row) => [row.basis, row.quotaPerSecond, row.subscribers])).toEqual([
      ['aws-latencies', 10_000, 10_000],
      ['aws-latencies', 10_000, 100_000],
      ['aws-latencies', 20_000, 10_000],
      ['aws-latencies', 20_000, 100_000],
      ['measured-locally', 10_000, 10_000],
      ['measured-locally', 10_000, 100_000],
      ['measured-locally', 20_000, 10_000],
      ['measured-locally', 20_000, 100_000],
    ]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelInputs } from '../../bench/assumptions.js';
import { AWS_LIMITS } from '../../bench/aws-limits.js';
import { makespan, type MakespanParameters } from '../../bench/makespan.js';
import { makespanParameters, makespanRows, planningMs } from '../../bench/makespan-inputs.js';
import { templateFacts } from '../../bench/template-facts.js';

/** A fan-out that nothing slows down but the quota. */
const unbounded: MakespanParameters = {
  subscribers: 100_000,
  jobSize: 100,
  batchSize: 10,
  postConcurrency: 32,
  invocationPostsPerSecond: 1_000_000,
  invocationOverheadMs: 0,
  planningMs: 0,
  firstJobsMs: 0,
  pollDelayMs: 0,
  initialConcurrency: 1000,
  scaleUpPerMinute: 0,
  maxConcurrency: 1000,
  requestsPerSecond: 10_000,
  otherRequestsPerSecond: 0,
};

describe('the makespan model', () => {
  it('meets the throttle-bound minimum when only the quota limits', () => {
    const result = makespan(unbounded);
    expect(result.minimumMs).toBe(10_000);
    expect(result.makespanMs).toBeGreaterThanOrEqual(result.minimumMs);
    expect(result.makespanMs).toBeLessThanOrEqual(result.minimumMs + 20);
    expect(result.throttleBoundFromMs).toBe(0);
  });

  it('is bound by concurrency times what one invocation posts when that is below the quota', () => {
    const result = makespan({ ...unbounded, invocationPostsPerSecond: 500, initialConcurrency: 5, maxConcurrency: 5, subscribers: 10_000 });
    // 5 invocations x 500 posts/s = 2,500 posts/s: 4 s for 10,000.
    expect(result.makespanMs).toBeGreaterThanOrEqual(4000);
    expect(result.makespanMs).toBeLessThanOrEqual(4020);
    expect(result.throttleBoundFromMs).toBeUndefined();
    expect(result.peakConcurrency).toBe(5);
  });

  it('grows concurrency by the scale-up rate, up to the maximum', () => {
    const slow = { ...unbounded, invocationPostsPerSecond: 100, initialConcurrency: 5, maxConcurrency: 50, subscribers: 200_000 };
    const stepped = makespan({ ...slow, scaleUpPerMinute: 300 });
    expect(stepped.peakConcurrency).toBe(50);
    expect(makespan({ ...slow, scaleUpPerMinute: 0 }).peakConcurrency).toBe(5);
    expect(stepped.makespanMs).toBeLessThan(makespan({ ...slow, scaleUpPerMinute: 60 }).makespanMs);
  });

  it('cannot end before the jobs are planned and polled', () => {
    const result = makespan({ ...unbounded, planningMs: 30_000, firstJobsMs: 50, pollDelayMs: 100 });
    expect(result.makespanMs).toBeGreaterThanOrEqual(30_100);
  });

  it('leaves posts only the quota that other traffic does not take', () => {
    const result = makespan({ ...unbounded, otherRequestsPerSecond: 5000 });
    expect(result.minimumMs).toBe(20_000);
    expect(() => makespan({ ...unbounded, otherRequestsPerSecond: 10_000 })).toThrow(RangeError);
  });

  it('never beats the minimum, and every subscriber is in some invocation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 50, max: 20_000 }),
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 0, max: 600 }),
        (subscribers, perInvocation, maxConcurrency, scaleUp) => {
          const result = makespan({ ...unbounded, subscribers, invocationPostsPerSecond: perInvocation, initialConcurrency: 2, maxConcurrency, scaleUpPerMinute: scaleUp, stepMs: 20 });
          expect(result.ratio).toBeGreaterThanOrEqual(1);
          expect(result.invocations).toBeGreaterThanOrEqual(Math.ceil(subscribers / (unbounded.jobSize * unbounded.batchSize)));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the makespan inputs of this stack', () => {
  const setup = { facts: templateFacts(), inputs: modelInputs() };

  it('take the template, the documented scaling rules and the quota', () => {
    const parameters = makespanParameters(100_000, setup);
    expect(parameters).toMatchObject({
      jobSize: setup.facts.jobSize,
      batchSize: setup.facts.batchSize,
      maxConcurrency: setup.facts.maxConcurrency,
      initialConcurrency: AWS_LIMITS.sqsEventSourceInitialConcurrency.value,
      scaleUpPerMinute: AWS_LIMITS.sqsEventSourceScaleUpPerMinute.value,
      requestsPerSecond: AWS_LIMITS.apiGatewayRequestsPerSecond.value,
    });
    expect(parameters.invocationPostsPerSecond).toBeGreaterThan(0);
  });

  it('plan longer for bigger rooms, on either basis', () => {
    for (const basis of ['aws-latencies', 'measured-locally'] as const) {
      expect(planningMs(1_000_000, setup, basis)).toBeGreaterThan(planningMs(10_000, setup, basis));
    }
  });

  it('give a row per size and planning basis', () => {
    const rows = makespanRows([10_000, 100_000], setup);
    expect(rows.map((row) => [row.basis, row.subscribers])).toEqual([
      ['aws-latencies', 10_000],
      ['aws-latencies', 100_000],
      ['measured-locally', 10_000],
      ['measured-locally', 100_000],
    ]);
    for (const row of rows) expect(row.publishTimeoutMs).toBe(setup.facts.timeoutSeconds.publish * 1000);
  });

  it('a deliver function with more memory posts faster, and the fan-out ends sooner', () => {
    const more = { ...setup, facts: { ...setup.facts, memoryMb: { ...setup.facts.memoryMb, deliver: 1769 } } };
    expect(makespanParameters(100_000, more).invocationPostsPerSecond).toBeGreaterThan(makespanParameters(100_000, setup).invocationPostsPerSecond);
    expect(makespanRows([100_000], more, { basis: 'aws-latencies' })[0]!.makespanMs).toBeLessThanOrEqual(makespanRows([100_000], setup, { basis: 'aws-latencies' })[0]!.makespanMs);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile, ratio, summarize } from '../../bench/stats.js';

describe('latency summaries', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('summarizes unsorted values, rounded to 0.1 ms, and nothing as null', () => {
    expect(summarize([30, 10.04, 20])).toEqual({ count: 3, p50: 20, p95: 30, p99: 30, max: 30, mean: 20 });
    expect(summarize([])).toBeNull();
  });

  it('orders its percentiles, each one of the values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 300 }), (values) => {
        const summary = summarize(values)!;
        expect(summary.p50).toBeLessThanOrEqual(summary.p95);
        expect(summary.p95).toBeLessThanOrEqual(summary.p99);
        expect(summary.p99).toBeLessThanOrEqual(summary.max);
        for (const value of [summary.p50, summary.p95, summary.p99, summary.max]) expect(values).toContain(value);
      }),
    );
  });

  it('divides only what can be divided', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 4)).toBeNull();
    expect(ratio(4, undefined)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { instanceShare, PostPacer, postingInstances } from '../../layers/core/src/model/pacing.js';

/** Simulate posts reserved as fast as they are allowed, over `seconds` of model time. */
function postsIn(pacer: PostPacer, seconds: number): number {
  let now = 0;
  let posts = 0;
  while (now < seconds * 1000) {
    now += pacer.reserve(now);
    if (now < seconds * 1000) posts += 1;
  }
  return posts;
}

describe('post pacing', () => {
  it('holds an instance to its share of the quota in the long run, half a second of it at once', () => {
    const share = instanceShare(10_000, 50);
    expect(share).toEqual({ ratePerSecond: 200, burst: 100 });
    const posts = postsIn(new PostPacer(share.ratePerSecond, share.burst), 10);
    expect(posts).toBeGreaterThanOrEqual(2000);
    expect(posts).toBeLessThanOrEqual(2000 + share.burst);
  });

  it('lets a burst through at once, then spaces posts evenly', () => {
    const pacer = new PostPacer(100, 5);
    const waits = Array.from({ length: 8 }, () => pacer.reserve(0));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5)).toEqual([10, 20, 30]);
  });

  it('does not pace without a quota', () => {
    const pacer = new PostPacer(instanceShare(0, 50).ratePerSecond);
    expect(Array.from({ length: 1000 }, () => pacer.reserve(0)).every((wait) => wait === 0)).toBe(true);
  });

  it('all instances together stay at the quota', () => {
    const share = instanceShare(50_000, 80);
    const total = Array.from({ length: 80 }, () => postsIn(new PostPacer(share.ratePerSecond, share.burst), 5)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(250_000);
    // At most the quota, and the burst of half a second that API Gateway's bucket holds too.
    expect(total).toBeLessThanOrEqual(250_000 + 25_000);
  });
});

describe('the instances posting', () => {
  it('are counted from the jobs in flight, a batch each, at least this one and at most the maximum', () => {
    expect(postingInstances(0, 10, 12)).toBe(1);
    expect(postingInstances(10, 10, 12)).toBe(1);
    expect(postingInstances(11, 10, 12)).toBe(2);
    expect(postingInstances(120, 10, 12)).toBe(12);
    expect(postingInstances(5000, 10, 12)).toBe(12);
  });

  it('share the quota: one alone may use all of it, twelve a twelfth each', () => {
    expect(instanceShare(10_000, postingInstances(10, 10, 12))).toEqual({ ratePerSecond: 10_000, burst: 5000 });
    expect(instanceShare(10_000, postingInstances(120, 10, 12)).ratePerSecond).toBeCloseTo(833.33, 1);
  });

  it('a new share takes effect for the next posts', () => {
    const pacer = new PostPacer(100, 1);
    expect([pacer.reserve(0), pacer.reserve(0)]).toEqual([0, 10]);
    pacer.setShare({ ratePerSecond: 1000, burst: 1 });
    expect(pacer.rate).toBe(1000);
    expect(pacer.reserve(20)).toBe(0);
    expect(pacer.reserve(20)).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { fullJitter } from '@roomcast/core';

describe('full-jitter backoff', () => {
  it('spans [0, min(cap, base * 2^attempt))', () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect(fullJitter(0, { ...options, random: () => 0 })).toBe(0);
    expect(fullJitter(0, { ...options, random: () => 0.999 })).toBe(99);
    expect(fullJitter(3, { ...options, random: () => 0.5 })).toBe(400);
    expect(fullJitter(10, { ...options, random: () => 0.999 })).toBe(999);
  });

  it('spreads retries instead of synchronising them', () => {
    const waits = Array.from({ length: 1000 }, () => fullJitter(4, { baseMs: 100, capMs: 10_000 }));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...waits)).toBeLessThan(1600);
    expect(new Set(waits).size).toBeGreaterThan(500);
  });
});

import { describe, expect, it } from 'vitest';
import { FLOOD_FACTOR, FLOOD_WINDOW_MS, FrameBudgets, READ_UNITS_PER_FRAME } from '../../layers/core/src/model/frame-budget.js';

/** Takes `count` frames of one connection at `now`; the verdicts in order. */
const takeMany = (budgets: FrameBudgets, id: string, count: number, now: number) => Array.from({ length: count }, () => budgets.take(id, now));

describe('frame budgets per connection', () => {
  it('admits a burst, then refuses with the time until the next frame', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 10, burst: 5 });
    expect(takeMany(budgets, 'a', 5, 0).every((verdict) => verdict.admit)).toBe(true);
    expect(budgets.take('a', 0)).toEqual({ admit: false, retryAfterMs: 100, first: true, close: false });
    expect(budgets.take('a', 40)).toEqual({ admit: false, retryAfterMs: 60, first: false, close: false });
    expect(budgets.take('a', 100)).toEqual({ admit: true });
  });

  it('refills at the rate, never above the burst', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 10, burst: 5 });
    takeMany(budgets, 'a', 5, 0);
    const later = takeMany(budgets, 'a', 6, 60_000);
    expect(later.filter((verdict) => verdict.admit)).toHaveLength(5);
  });

  it('keeps connections apart: one flooding leaves the others their whole budget', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 1, burst: 3 });
    takeMany(budgets, 'flood', 100, 0);
    expect(takeMany(budgets, 'calm', 3, 0).every((verdict) => verdict.admit)).toBe(true);
  });

  it('says close once, at FLOOD_FACTOR x burst refusals within a window, and counts again in the next', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 1, burst: 2 });
    takeMany(budgets, 'a', 2, 0);
    const refused = takeMany(budgets, 'a', 3 * FLOOD_FACTOR * 2, 0);
    expect(refused.map((verdict) => !verdict.admit && verdict.close).indexOf(true)).toBe(FLOOD_FACTOR * 2 - 1);
    expect(refused.filter((verdict) => !verdict.admit && verdict.close)).toHaveLength(1);
    expect(refused.filter((verdict) => !verdict.admit && verdict.first)).toHaveLength(1);
    // A new window: its first refusal is logged again, and a flood in it is closed again.
    const next = FLOOD_WINDOW_MS + 500;
    takeMany(budgets, 'a', 2, next);
    const again = takeMany(budgets, 'a', FLOOD_FACTOR * 2, next);
    expect(again[0]).toMatchObject({ admit: false, first: true });
    expect(again.at(-1)).toMatchObject({ admit: false, close: true });
  });

  it('a client slightly over the rate is refused now and then, never closed', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 10, burst: 5 });
    const verdicts = Array.from({ length: 1100 }, (_, i) => budgets.take('a', i * 90));
    expect(verdicts.some((verdict) => !verdict.admit)).toBe(true);
    expect(verdicts.some((verdict) => !verdict.admit && verdict.close)).toBe(false);
  });

  it('limits nothing with rate 0', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 0, burst: 1 });
    expect(takeMany(budgets, 'a', 1000, 0).every((verdict) => verdict.admit)).toBe(true);
  });

  it('forgets the least recently seen connection over its bound, which only forgives it', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 1, burst: 1, maxConnections: 2 });
    expect(budgets.take('a', 0).admit).toBe(true);
    expect(budgets.take('b', 0).admit).toBe(true);
    expect(budgets.take('b', 0).admit).toBe(false);
    expect(budgets.take('c', 0).admit).toBe(true); // 'a' is forgotten
    expect(budgets.take('a', 0).admit).toBe(true); // a full bucket again; now 'b' is forgotten
    expect(budgets.take('b', 0).admit).toBe(true);
  });

  it('does not refill when the clock goes back', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 10, burst: 1 });
    expect(budgets.take('a', 1000).admit).toBe(true);
    expect(budgets.take('a', 0).admit).toBe(false);
    expect(budgets.take('a', 1050).admit).toBe(false);
    expect(budgets.take('a', 1100).admit).toBe(true);
  });
});

describe('history reads paid from the frame budget', () => {
  it('lets an admitted frame read one frame’s worth, plus one per whole frame left, at most the cap', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 10, burst: 5 });
    budgets.take('a', 0);
    expect(budgets.readAllowance('a', 1000)).toBe(5 * READ_UNITS_PER_FRAME);
    expect(budgets.readAllowance('a', 100)).toBe(100);
    expect(new FrameBudgets({ ratePerSecond: 0, burst: 5 }).readAllowance('a', 100)).toBe(100);
  });

  it('charges one frame more per started READ_UNITS_PER_FRAME beyond the first, never below zero', () => {
    const budgets = new FrameBudgets({ ratePerSecond: 10, burst: 5 });
    budgets.take('a', 0);
    budgets.chargeReads('a', READ_UNITS_PER_FRAME);
    expect(budgets.readAllowance('a', 1000)).toBe(5 * READ_UNITS_PER_FRAME);
    budgets.chargeReads('a', 2 * READ_UNITS_PER_FRAME + 1);
    expect(budgets.readAllowance('a', 1000)).toBe(3 * READ_UNITS_PER_FRAME);
    // A frame that read all it was allowed leaves the bucket empty: the next frame waits for the refill.
    budgets.take('a', 0);
    budgets.chargeReads('a', budgets.readAllowance('a', 1000));
    expect(budgets.take('a', 0)).toMatchObject({ admit: false, retryAfterMs: 100 });
    expect(budgets.take('a', 100)).toEqual({ admit: true });
    expect(budgets.readAllowance('a', 1000)).toBe(READ_UNITS_PER_FRAME);
  });
});

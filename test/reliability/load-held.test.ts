/**
 * The "load held" scenario at a small size (the full size runs with `npm run test:reliability`).
 * Nothing here is timed: the run waits for deliveries and cleanup as long as they make progress.
 */
import { describe, expect, inject, it } from 'vitest';
import { runLoadHeld, SMALL_LOAD_HELD } from '../../reliability/load-held.js';

/** Heap growth tolerated after a forced GC: far above what one cycle leaves, far below a leak per connection at full size. */
const HEAP_MARGIN_MB = 20;

describe('load held (50 connections)', () => {
  it('delivers every message to every held connection, cleans up stale connections, and gives memory back', { timeout: 900_000 }, async () => {
    const figures = await runLoadHeld({ ...SMALL_LOAD_HELD, services: inject('roomcastServices') });

    expect(figures.deliveries.expected).toBeGreaterThan(0);
    expect(figures.deliveries).toMatchObject({ missing: 0, connectionsMissing: 0 });
    // Stale connections were made, and both ways of removing them worked.
    expect(figures.churn.closedWithoutDisconnect).toBeGreaterThan(0);
    expect(figures.goneAnswers).toBeGreaterThan(0);
    expect(figures.removedByTtl).toBeGreaterThan(0);
    expect(figures.rowsLeft).toEqual({ connections: 0, subscriptions: 0 });
    expect(figures.memory.after.gcForced).toBe(true);
    expect(figures.memory.after.heapUsedMb).toBeLessThanOrEqual(figures.memory.before.heapUsedMb + HEAP_MARGIN_MB);
  });
});

/**
 * The delivery scenario of `npm run test:reliability` (reliability/), at a small size:
 * subscribers of the client SDK in two regions, publishers in both, and every kind of fault
 * on the way. Each subscriber's app must end with every published message of its rooms,
 * once, in order per origin region; and every fault must really have been injected.
 */
import { describe, expect, inject, it } from 'vitest';
import { SMALL_SIZE } from '../../reliability/delivery-size.js';
import { runDelivery } from '../../reliability/delivery.js';
import type { FaultKind } from '../../reliability/fault-plan.js';
import { deliverySections, renderTable } from '../../reliability/report.js';

const KINDS: FaultKind[] = ['post429', 'post500', 'deliverCrash', 'streamCrash', 'planCrash', 'publishFailure', 'publishCrash', 'dropSockets', 'dropDisconnect', 'replicationHold'];

describe('delivery under faults, two regions', () => {
  it('every subscriber gets every message once, in order per origin, whatever the faults', async () => {
    const figures = await runDelivery({ size: SMALL_SIZE, services: inject('roomcastServices') });
    console.info(`reliability (small):\n${renderTable(deliverySections(figures))}`);
    if (figures.logTail.length > 0) console.info(figures.logTail.join('\n'));

    expect(figures.publishFailures).toEqual([]);
    expect(figures.verdict.totals).toMatchObject({ lost: 0, unexpected: 0, duplicatesHanded: 0, outOfOrder: 0 });
    expect(figures.caughtUp).toBe(true);
    expect(figures.verdict.totals.handed).toBe(figures.verdict.totals.expected);
    // The faults happened: each kind was injected, bursts took posts, sockets were dropped and cut.
    for (const kind of KINDS) expect(figures.faults.injected[kind], kind).toBeGreaterThan(0);
    expect(figures.faults.postsTaken[429] + figures.faults.postsTaken[500]).toBeGreaterThan(0);
    expect(figures.closes['1006'] ?? 0).toBeGreaterThan(0);
    expect(figures.closes['1001'] ?? 0).toBeGreaterThan(0);
    // Fan-outs went through the planners, and a planner really crashed mid-segment.
    expect(figures.regions.reduce((sum, region) => sum + (region.counts.PlanTasks ?? 0), 0)).toBeGreaterThan(0);
    expect(figures.regions.reduce((sum, region) => sum + (region.functionErrors.PlanFunction ?? 0), 0)).toBeGreaterThan(0);
    // Nothing was left behind or given up on.
    for (const region of figures.regions) expect(region.queues).toEqual({ delivery: 0, deadLetters: 0, plans: 0, planDeadLetters: 0, streamFailures: 0 });
  }, 240_000);
});

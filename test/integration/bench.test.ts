import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench } from '../../bench/bench-run.js';
import type { BenchReport } from '../../bench/report.js';
import { writeResults } from '../../bench/results.js';
import { ownCloudSource } from '../../bench/targets.js';
import { SETTINGS } from '../bench/sample-report.js';

// The harness at a tiny size, against real local clouds (in their own processes, on this
// run's DynamoDB Local and SQS emulator) and the raw broadcast server. No timing is checked:
// only what a run must always hold (everything delivered, once) and the report's shape.
let report: BenchReport;

beforeAll(async () => {
  const source = ownCloudSource({ services: inject('roomcastServices'), parameterOverrides: { DeliveryMaxConcurrency: '2' } });
  try {
    report = await runBench({
      source,
      command: 'test',
      progress: () => undefined,
      settings: {
        ...SETTINGS,
        name: 'test',
        sizes: [20],
        sdkSizes: [10],
        roomSize: 10,
        messages: 5,
        broadcastDeliveries: 100,
        broadcastWindow: 2,
        storm: { subscribers: 20, windowMs: 200, snapshot: 3, history: 3 },
        // One job per message, each posting for at least 500 ms: 20 publishes in a second outrun delivery.
        conflation: { subscribers: 10, messages: 20, rate: 20, postDelayMs: 500 },
        makespan: true,
      },
    });
  } finally {
    await source.close();
  }
}, 600_000);

describe('npm run bench, at a tiny size', () => {
  it('delivers every message once to every subscriber, through the pipeline and the raw broadcast alike', () => {
    expect(report.endToEnd.map((row) => [row.subscribers, row.clients])).toEqual([
      [20, 'ws'],
      [10, 'sdk'],
    ]);
    for (const row of report.endToEnd) {
      for (const result of [row.pipeline, row.raw!]) {
        expect(result.rooms).toBe(row.subscribers / 10);
        // Steady: 5 publishes to rooms of 10; broadcast: 100 deliveries, to all the subscribers at once.
        expect([result.steady.publishes, result.steady.expected]).toEqual([5, 5 * 10]);
        expect([result.broadcast!.publishes, result.broadcast!.expected]).toEqual([100 / row.subscribers, 100]);
        for (const phase of [result.steady, result.broadcast!]) {
          expect(phase.publishErrors).toBe(0);
          expect(phase.delivered).toBe(phase.expected);
          expect([phase.lost, phase.duplicates, phase.unexpected]).toEqual([0, 0, 0]);
          expect(phase.latencyMs?.count).toBe(phase.expected);
          expect(phase.deliveriesPerSecond).toBeGreaterThan(0);
        }
      }
      expect(row.pipeline.memory.cloud?.rssMb).toBeGreaterThan(0);
      expect(row.pipeline.memory.cloud?.heapMb).toBeGreaterThan(0);
      expect(row.raw!.memory['raw server']?.rssMb).toBeGreaterThan(0);
      expect(row.ratios.deliveriesPerSecond).toBeGreaterThan(0);
      expect(row.ratios.p99).toBeGreaterThan(0);
    }
    expect(report.goals.find((goal) => goal.name.startsWith('loss'))).toMatchObject({ measured: '0 and 0', met: true });
  });

  it('answers every subscribe of the storm, and counts its history reads', () => {
    const storm = report.storm!;
    expect(storm.snapshots + storm.failed).toBe(20);
    expect(storm.snapshots).toBeGreaterThan(0);
    expect(storm.short).toBe(0);
    expect(storm.latencyMs?.count).toBe(storm.snapshots);
    // At least one read of the room's window; at most the two Queries of a window read per subscribe.
    expect(storm.historyReads).toBeGreaterThan(0);
    expect(storm.historyReads).toBeLessThanOrEqual(2 * 20);
  });

  it('brings every subscriber of the conflated room to its last message, skipping posts, and the plain room every message', () => {
    const { conflatedRoom, plainRoom, ...conflation } = report.conflation!;
    expect(conflation).toMatchObject({ subscribers: 10, messages: 20, postDelayInjected: true, notes: [], dropped: 0 });
    expect([conflatedRoom.conflated, plainRoom.conflated]).toEqual([true, false]);
    for (const room of [conflatedRoom, plainRoom]) {
      expect([room.publishes, room.publishErrors, room.duplicates]).toEqual([20, 0, 0]);
      expect(room.notOnLast).toBe(0);
      expect(room.convergedMs).toBeGreaterThan(0);
      // Every planned post was made or skipped.
      expect(room.posts!.planned).toBe(20 * 10);
      expect(room.posts!.delivered + room.posts!.conflated).toBe(room.posts!.planned);
    }
    // Under the delay, older messages of the conflated room were skipped; each subscriber's lag counts every message.
    expect(conflatedRoom.posts!.conflated).toBeGreaterThan(0);
    expect(conflatedRoom.skippedShare).toBeGreaterThan(0);
    expect(conflatedRoom.receivedPerSubscriber.max).toBeLessThan(20);
    expect(conflatedRoom.lagMs?.count).toBe(20 * 10);
    // The plain room: every message to every subscriber, nothing skipped.
    expect(plainRoom.posts!.conflated).toBe(0);
    expect(plainRoom.receivedPerSubscriber).toEqual({ mean: 20, min: 20, max: 20 });
    expect(plainRoom.lagMs?.count).toBe(20 * 10);
    expect(report.conflation!.lagP99Ratio).toBeGreaterThan(0);
    expect(report.goals.find((goal) => goal.name.startsWith('conflated room'))).toMatchObject({ measured: '0 of 10', met: true });
  });

  it('writes the JSON, the summary and the chart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'roomcast-bench-'));
    try {
      const files = await writeResults(report, dir);
      expect(JSON.parse(await readFile(files.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
      const markdown = await readFile(files.markdown, 'utf8');
      for (const heading of ['## Goals', '## End to end', '## Conflation', '## Subscribe storm', '## Makespan model']) expect(markdown).toContain(heading);
      expect(await readFile(files.chart, 'utf8')).toMatch(/^<svg [^]*<\/svg>\n$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A small, made-up benchmark report for the tests of the pure parts (summary, chart, goals). */
import type { ConflationResult, ConflationRoom } from '../../bench/conflation.js';
import type { EndToEndResult, PhaseResult } from '../../bench/end-to-end.js';
import { goalsOf, type BenchReport, type BenchSettings } from '../../bench/report.js';

export function phase(p99: number, deliveriesPerSecond: number, extra: Partial<PhaseResult> = {}): PhaseResult {
  return {
    publishes: 10,
    expected: 1000,
    delivered: 1000,
    lost: 0,
    duplicates: 0,
    unexpected: 0,
    subscribersWithLoss: 0,
    subscribersWithDuplicates: 0,
    latencyMs: { count: 1000, p50: p99 / 2, p95: p99 * 0.9, p99, max: p99 * 1.5, mean: p99 / 2 },
    durationMs: 1000,
    deliveriesPerSecond,
    publishErrors: 0,
    cpuMsPerDelivery: { cloud: 1.25, bench: 0.05 },
    ...extra,
  };
}

export function result(target: 'pipeline' | 'raw', subscribers: number, p99: number, broadcastPerSecond: number, extra: Partial<PhaseResult> = {}): EndToEndResult {
  return {
    target,
    clients: 'ws',
    subscribers,
    rooms: subscribers / 100,
    rate: 10,
    messageBytes: 256,
    open: { ms: 1000, perSecond: subscribers },
    dropped: 0,
    steady: { ...phase(p99, 1000, extra), offeredPerSecond: 1000 },
    broadcast: phase(p99 * 10, broadcastPerSecond, extra),
    memory: target === 'pipeline' ? { cloud: { rssMb: 900.4, heapMb: 40.2 }, dynamodb: { rssMb: 220 } } : { 'raw server': { rssMb: 70 } },
  };
}

export const SETTINGS: BenchSettings = {
  name: 'sample',
  sizes: [100, 1000],
  sdkSizes: [],
  roomSize: 100,
  rate: 10,
  messages: 100,
  broadcastDeliveries: 20_000,
  broadcastWindow: 1,
  messageBytes: 256,
  baseline: true,
  conflation: null,
  storm: null,
  fanoutSizes: [],
  makespan: false,
  openPerSecond: 400,
  quietMs: 15_000,
  drainMs: 200_000,
};

export function conflationRoom(room: string, p99: number, extra: Partial<ConflationRoom> = {}): ConflationRoom {
  return {
    room,
    conflated: room.endsWith(':conflated'),
    publishes: 100,
    publishErrors: 0,
    lagMs: { count: 20_000, p50: p99 / 4, p95: p99 / 2, p99, max: p99 * 2, mean: p99 / 4 },
    notOnLast: 0,
    endedOnOlder: 0,
    receivedPerSubscriber: { mean: 100, min: 100, max: 100 },
    duplicates: 0,
    posts: { planned: 20_000, conflated: 0, delivered: 20_000 },
    skippedShare: 0,
    convergedMs: p99 * 2,
    ...extra,
  };
}

/** 200 subscribers; the conflated room skipped 3 of 4 posts. */
export function conflationResult(extra: Partial<ConflationRoom> = {}): ConflationResult {
  const conflatedRoom = conflationRoom('bench:x:conflated', 400, {
    posts: { planned: 20_000, conflated: 15_000, delivered: 5000 },
    skippedShare: 0.75,
    receivedPerSubscriber: { mean: 25.5, min: 20, max: 31 },
    ...extra,
  });
  const plainRoom = conflationRoom('bench:x:plain', 8000);
  return {
    subscribers: 200,
    messages: 100,
    rate: 20,
    postDelayMs: 100,
    conflatedRoom,
    plainRoom,
    open: { ms: 500, perSecond: 400 },
    dropped: 0,
    postDelayInjected: true,
    notes: [],
    lagP99Ratio: 400 / 8000,
  };
}

export function sampleReport(rows: Array<{ subscribers: number; pipeline: EndToEndResult; raw: EndToEndResult | null }>, conflation: ConflationResult | null = null): BenchReport {
  const endToEnd = rows.map((row) => ({
    ...row,
    clients: 'ws' as const,
    ratios: {
      deliveriesPerSecond: row.raw ? row.pipeline.broadcast!.deliveriesPerSecond / row.raw.broadcast!.deliveriesPerSecond : null,
      p99: row.raw ? row.pipeline.steady.latencyMs!.p99 / row.raw.steady.latencyMs!.p99 : null,
    },
  }));
  const report = {
    name: 'sample',
    startedAt: '2026-11-22T00:00:00.000Z',
    durationS: 300,
    command: 'roomcast bench --name sample',
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGb: 8, node: 'v20.0.0', platform: 'linux x64', loadAverage: { min: 0.5, mean: 1, max: 2 } },
    target: 'a test target',
    settings: SETTINGS,
    endToEnd,
    conflation,
    storm: null,
    fanoutCost: null,
    makespan: null,
  };
  return { ...report, goals: goalsOf(report) };
}

/** What `npm run bench` measures and writes (bench/results/<name>.json), and its goals. */
import type { ConflationResult, ConflationSettings } from './conflation.js';
import type { FanoutOverhead } from '../models/cost-model.js';
import type { EndToEndResult, PhaseSettings } from './end-to-end.js';
import type { FanoutCost } from './fanout-cost.js';
import type { Machine } from './machine.js';
import type { MakespanRow } from '../models/makespan-inputs.js';
import type { StormResult } from './storm.js';
import type { ClientKind } from './subscribers.js';

export interface BenchSettings extends PhaseSettings {
  name: string;
  /** Subscriber counts, one end-to-end measurement each with raw sockets. */
  sizes: number[];
  /** Sizes measured with SDK clients too. */
  sdkSizes: number[];
  /** Measure the raw `ws` broadcast baseline beside each size. */
  baseline: boolean;
  storm: { subscribers: number; windowMs: number; snapshot: number; history: number } | null;
  /** The conflation phase: a conflated room and a plain one under a post delay (null: skipped). */
  conflation: ConflationSettings | null;
  /** Room sizes of the fan-out cost accounting (empty: skipped). */
  fanoutSizes: number[];
  makespan: boolean;
  /** Opening pace of the pipeline's sockets (API Gateway: 500 new connections a second). */
  openPerSecond: number;
}

export interface EndToEndRow {
  subscribers: number;
  clients: ClientKind;
  pipeline: EndToEndResult;
  raw: EndToEndResult | null;
  /** pipeline / raw: broadcast deliveries a second, and steady p99 latency. */
  ratios: { deliveriesPerSecond: number | null; p99: number | null };
}

export interface Goal {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchReport {
  name: string;
  startedAt: string;
  durationS: number;
  /** The command line that made it. */
  command: string;
  machine: Machine;
  target: string;
  settings: BenchSettings;
  endToEnd: EndToEndRow[];
  conflation: ConflationResult | null;
  storm: StormResult | null;
  fanoutCost: Array<{ measured: FanoutCost; cost: FanoutOverhead }> | null;
  makespan: MakespanRow[] | null;
  goals: Goal[];
}

export const GOALS = {
  p99Ms: 150,
  p99Subscribers: 1000,
  p99Rate: 10,
  rawShare: 0.1,
} as const;

/** The issue's goals, as far as the run measured them. */
export function goalsOf(report: Pick<BenchReport, 'endToEnd' | 'settings'> & Partial<Pick<BenchReport, 'conflation'>>): Goal[] {
  const goals: Goal[] = [];
  const rows = report.endToEnd;
  for (const row of rows.filter((item) => item.subscribers === GOALS.p99Subscribers && report.settings.rate === GOALS.p99Rate)) {
    const p99 = row.pipeline.steady.latencyMs?.p99 ?? null;
    goals.push({
      name: `p99 publish-to-receive, ${GOALS.p99Subscribers.toLocaleString('en-US')} subscribers (${row.clients}), ${GOALS.p99Rate} publishes/s`,
      target: `under ${GOALS.p99Ms} ms`,
      measured: p99 === null ? 'nothing delivered' : `${p99} ms`,
      met: p99 === null ? false : p99 < GOALS.p99Ms,
    });
  }
  const shared = rows.filter((row) => row.ratios.deliveriesPerSecond !== null);
  if (shared.length > 0) {
    const lowest = Math.min(...shared.map((row) => row.ratios.deliveriesPerSecond!));
    goals.push({
      name: 'pipeline deliveries/s against the raw ws broadcast server (broadcast phase), every size',
      target: `at least ${GOALS.rawShare * 100}%`,
      measured: `lowest ${(lowest * 100).toFixed(1)}%`,
      met: lowest >= GOALS.rawShare,
    });
  }
  const phases = rows.flatMap((row) => [row.pipeline, ...(row.raw ? [row.raw] : [])]).flatMap((result) => [result.steady, ...(result.broadcast ? [result.broadcast] : [])]);
  if (phases.length > 0) {
    const lost = phases.reduce((sum, phase) => sum + phase.lost, 0);
    const duplicates = phases.reduce((sum, phase) => sum + phase.duplicates, 0);
    goals.push({ name: 'loss and duplicates, every phase', target: '0 and 0', measured: `${lost} and ${duplicates}`, met: lost === 0 && duplicates === 0 });
  }
  const { conflation } = report;
  if (conflation) {
    const { notOnLast } = conflation.conflatedRoom;
    goals.push({
      name: `conflated room${conflation.postDelayInjected ? ` under a ${conflation.postDelayMs} ms post delay` : ''}: subscribers not ending on the last message`,
      target: '0',
      measured: `${notOnLast} of ${conflation.subscribers.toLocaleString('en-US')}`,
      met: notOnLast === 0,
    });
  }
  return goals;
}

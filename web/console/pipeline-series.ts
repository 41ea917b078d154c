/**
 * What the pipeline charts draw, worked out from the metrics snapshots the page reads:
 * each stage's rate per second between two successive readings of its count, and the
 * delivery latency's p50 and p99 as each reading reported them. Pure: readings in, the
 * charts' columns out (times in seconds, one value or null per series and time).
 *
 * - The first reading has no rate yet (a rate needs two readings).
 * - A restarted cloud counts from 0 again: when any count goes down, every count is taken
 *   as counted since the restart, so the increase is the new count itself.
 * - A gap between readings (a hidden tab, a cloud that did not answer) breaks every line:
 *   a row of nulls in its middle, and no rate at the reading after it, since nobody knows
 *   when within the gap the counts grew.
 */
import type { MetricsSnapshot } from '@roomcast/local';
import type { Stage } from '@roomcast/local/metrics/names';

/** The stages charted, in path order: what enters, what is planned, what comes out, and the effort. */
export const RATE_STAGES = ['Published', 'FanoutPlanned', 'Delivered', 'Gone', 'Failed', 'Retried'] as const satisfies readonly Stage[];

export type RateStage = (typeof RATE_STAGES)[number];

/** The latency the latency chart shows, and its quantiles (keys of a summary's `quantiles`). */
export const CHARTED_LATENCY = 'DeliveryLatency';
export const LATENCY_QUANTILES = [
  { label: 'p50', key: '0.5' },
  { label: 'p99', key: '0.99' },
] as const;

/** One reading of the metrics: when the page read it (ms since the epoch), the charted counts and quantiles. */
export interface PipelineReading {
  at: number;
  counts: Record<RateStage, number>;
  /** The charted quantiles in LATENCY_QUANTILES' order; absent while the latency has no value. */
  latency?: number[];
  /** How many latency values the cloud has kept count of (goes down only when it restarted). */
  latencyCount: number;
}

/** uPlot's aligned columns: times in seconds, then one column per series. */
export type Columns = [times: number[], ...series: (number | null)[][]];

export function readingOf(snapshot: MetricsSnapshot, at: number): PipelineReading {
  const counts = Object.fromEntries(RATE_STAGES.map((stage) => [stage, snapshot.counts[stage] ?? 0])) as Record<RateStage, number>;
  const summary = snapshot.latencies[CHARTED_LATENCY];
  const latencyCount = summary?.count ?? 0;
  if (!summary || latencyCount === 0) return { at, counts, latencyCount };
  return { at, counts, latencyCount, latency: LATENCY_QUANTILES.map(({ key }) => summary.quantiles[key] ?? 0) };
}

/** The readings of the last `windowMs` before `now`, kept in time order. */
export class PipelineHistory {
  private kept: PipelineReading[] = [];

  constructor(private readonly windowMs: number) {}

  get readings(): readonly PipelineReading[] {
    return this.kept;
  }

  /** Adds a reading; one from before the latest (the clock went back) starts the history again. */
  add(reading: PipelineReading): void {
    const last = this.kept.at(-1);
    if (last && reading.at <= last.at) this.kept = [];
    this.kept.push(reading);
    this.forget(reading.at);
  }

  /** Forgets the readings older than the window before `now`. */
  forget(now: number): void {
    const from = now - this.windowMs;
    const first = this.kept.findIndex((reading) => reading.at >= from);
    this.kept = first < 0 ? [] : this.kept.slice(first);
  }
}

/** A row of the charts: a time in seconds and a value per series. */
interface Row {
  time: number;
  values: (number | null)[];
}

/** The rates chart's columns: for each reading, each stage's rate per second since the reading before. */
export function rateColumns(readings: readonly PipelineReading[], maxGapMs: number): Columns {
  return columns(readings, maxGapMs, RATE_STAGES.length, (reading, before) => {
    if (!before || reading.at - before.at > maxGapMs) return RATE_STAGES.map(() => null);
    const seconds = (reading.at - before.at) / 1000;
    const restarted = restartedBetween(before, reading);
    return RATE_STAGES.map((stage) => (restarted ? reading.counts[stage] : reading.counts[stage] - before.counts[stage]) / seconds);
  });
}

/** The latency chart's columns: each reading's quantiles, in milliseconds (null while there are none). */
export function latencyColumns(readings: readonly PipelineReading[], maxGapMs: number): Columns {
  return columns(readings, maxGapMs, LATENCY_QUANTILES.length, (reading) => LATENCY_QUANTILES.map((_, index) => reading.latency?.[index] ?? null));
}

/** Whether the cloud restarted between two readings: some count went down. */
export function restartedBetween(before: PipelineReading, after: PipelineReading): boolean {
  return after.latencyCount < before.latencyCount || RATE_STAGES.some((stage) => after.counts[stage] < before.counts[stage]);
}

function columns(
  readings: readonly PipelineReading[],
  maxGapMs: number,
  width: number,
  valuesAt: (reading: PipelineReading, before: PipelineReading | undefined) => (number | null)[],
): Columns {
  const rows: Row[] = [];
  readings.forEach((reading, index) => {
    const before = index > 0 ? readings[index - 1] : undefined;
    if (before && reading.at - before.at > maxGapMs) rows.push({ time: (before.at + reading.at) / 2000, values: new Array<null>(width).fill(null) });
    rows.push({ time: reading.at / 1000, values: valuesAt(reading, before) });
  });
  const series = Array.from({ length: width }, (_, column) => rows.map((row) => row.values[column] ?? null));
  return [rows.map((row) => row.time), ...series];
}

/**
 * The pipeline charts' columns, from successive readings of the metrics: rates per second
 * from counts, the latency's quantiles, a restarted cloud's counts, gaps, and the window.
 */
import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../../local/metrics/index.js';
import { latencyColumns, PipelineHistory, RATE_STAGES, rateColumns, readingOf, restartedBetween, type PipelineReading, type RateStage } from '../../web/console/pipeline-series.js';

const GAP_MS = 5_000;
const T0 = 1_700_000_000_000;

/** A reading at `seconds` after T0: the counts given (0 for the others), and latency values if any. */
function reading(seconds: number, counts: Partial<Record<RateStage, number>>, latency?: { p50: number; p99: number; count: number }): PipelineReading {
  return {
    at: T0 + seconds * 1000,
    counts: { Published: 0, FanoutPlanned: 0, Delivered: 0, Gone: 0, Failed: 0, Retried: 0, ...counts },
    latencyCount: latency?.count ?? 0,
    ...(latency ? { latency: [latency.p50, latency.p99] } : {}),
  };
}

/** The column of one stage in the rates chart. */
function rateOf(columns: ReturnType<typeof rateColumns>, stage: RateStage): (number | null)[] {
  const column = columns[1 + RATE_STAGES.indexOf(stage)];
  if (!column) throw new Error(`no column for ${stage}`);
  return column as (number | null)[];
}

describe('rateColumns', () => {
  it('turns successive counts into rates per second, none at the first reading', () => {
    const columns = rateColumns([reading(0, { Published: 10, Delivered: 4 }), reading(1, { Published: 15, Delivered: 14 }), reading(3, { Published: 25, Delivered: 14 })], GAP_MS);
    expect(columns[0]).toEqual([T0 / 1000, T0 / 1000 + 1, T0 / 1000 + 3]);
    expect(columns).toHaveLength(1 + RATE_STAGES.length);
    expect(rateOf(columns, 'Published')).toEqual([null, 5, 5]);
    expect(rateOf(columns, 'Delivered')).toEqual([null, 10, 0]);
    expect(rateOf(columns, 'Gone')).toEqual([null, 0, 0]);
  });

  it('shows a stage losing messages as a rate below the one before it', () => {
    const columns = rateColumns([reading(0, {}), reading(1, { FanoutPlanned: 100, Delivered: 60, Gone: 10 })], GAP_MS);
    const planned = rateOf(columns, 'FanoutPlanned')[1]!;
    const out = rateOf(columns, 'Delivered')[1]! + rateOf(columns, 'Gone')[1]! + rateOf(columns, 'Failed')[1]!;
    expect(planned - out).toBe(30);
  });

  it('takes the counts after a restart (any count went down) as counted since the restart', () => {
    const columns = rateColumns([reading(0, { Published: 500, Delivered: 400 }), reading(2, { Published: 4, Delivered: 2 }), reading(3, { Published: 10, Delivered: 9 })], GAP_MS);
    expect(rateOf(columns, 'Published')).toEqual([null, 2, 6]);
    expect(rateOf(columns, 'Delivered')).toEqual([null, 1, 7]);
  });

  it('takes every count as restarted when one of them went down, even one that grew', () => {
    // Published went down: the cloud restarted, so Delivered's 450 are new too, not 50 more.
    const columns = rateColumns([reading(0, { Published: 500, Delivered: 400 }), reading(1, { Published: 5, Delivered: 450 })], GAP_MS);
    expect(rateOf(columns, 'Delivered')).toEqual([null, 450]);
  });

  it('breaks every line at a gap: a row of nulls in its middle, and no rate right after it', () => {
    const columns = rateColumns([reading(0, { Published: 0 }), reading(1, { Published: 2 }), reading(11, { Published: 50 }), reading(12, { Published: 53 })], GAP_MS);
    expect(columns[0]).toEqual([0, 1, 6, 11, 12].map((s) => T0 / 1000 + s));
    for (const stage of RATE_STAGES) expect(rateOf(columns, stage)[2], stage).toBeNull();
    expect(rateOf(columns, 'Published')).toEqual([null, 2, null, null, 3]);
  });

  it('answers no rows for no readings, and a row of nulls for one', () => {
    expect(rateColumns([], GAP_MS)).toEqual([[], ...RATE_STAGES.map(() => [])]);
    expect(rateColumns([reading(0, { Published: 3 })], GAP_MS)).toEqual([[T0 / 1000], ...RATE_STAGES.map(() => [null])]);
  });
});

describe('latencyColumns', () => {
  it("answers each reading's p50 and p99, null while the latency has no value", () => {
    const columns = latencyColumns([reading(0, {}), reading(1, {}, { p50: 40, p99: 90, count: 3 }), reading(2, {}, { p50: 45, p99: 120, count: 8 })], GAP_MS);
    expect(columns).toEqual([[0, 1, 2].map((s) => T0 / 1000 + s), [null, 40, 45], [null, 90, 120]]);
  });

  it('breaks its lines at a gap, keeping the reading after it', () => {
    const columns = latencyColumns([reading(0, {}, { p50: 40, p99: 90, count: 3 }), reading(10, {}, { p50: 50, p99: 70, count: 9 })], GAP_MS);
    expect(columns).toEqual([[0, 5, 10].map((s) => T0 / 1000 + s), [40, null, 50], [90, null, 70]]);
  });
});

describe('restartedBetween', () => {
  it('sees a restart in any count or in the number of latency values going down', () => {
    expect(restartedBetween(reading(0, { Retried: 3 }), reading(1, { Retried: 3 }))).toBe(false);
    expect(restartedBetween(reading(0, { Retried: 3 }), reading(1, { Retried: 2 }))).toBe(true);
    expect(restartedBetween(reading(0, {}, { p50: 1, p99: 2, count: 5 }), reading(1, {}, { p50: 1, p99: 2, count: 1 }))).toBe(true);
  });
});

describe('readingOf', () => {
  const snapshot = (counts: Record<string, number>, latencies: MetricsSnapshot['latencies'] = {}): MetricsSnapshot => ({
    counts,
    latencies,
    delivery: { planned: 0, delivered: 0, gone: 0, failed: 0, conflated: 0, unaccounted: 0 },
  });

  it('keeps the charted counts (0 for a missing one) and the delivery latency p50 and p99', () => {
    const summary = { count: 12, sum: 600, quantiles: { '0.5': 41, '0.95': 80, '0.99': 97 }, max: 99 };
    expect(readingOf(snapshot({ Published: 4, Delivered: 7, Connected: 2 }, { DeliveryLatency: summary }), T0)).toEqual({
      at: T0,
      counts: { Published: 4, FanoutPlanned: 0, Delivered: 7, Gone: 0, Failed: 0, Retried: 0 },
      latencyCount: 12,
      latency: [41, 97],
    });
  });

  it('has no latency before the first value', () => {
    expect(readingOf(snapshot({}, { PublishLatency: { count: 1, sum: 5, quantiles: { '0.5': 5 }, max: 5 } }), T0)).toEqual({
      at: T0,
      counts: { Published: 0, FanoutPlanned: 0, Delivered: 0, Gone: 0, Failed: 0, Retried: 0 },
      latencyCount: 0,
    });
  });
});

describe('PipelineHistory', () => {
  it('keeps the readings of the window, dropping the older ones as time goes on', () => {
    const history = new PipelineHistory(60_000);
    for (let s = 0; s <= 90; s += 10) history.add(reading(s, {}));
    expect(history.readings.map((kept) => (kept.at - T0) / 1000)).toEqual([30, 40, 50, 60, 70, 80, 90]);
    history.forget(T0 + 145_000);
    expect(history.readings.map((kept) => (kept.at - T0) / 1000)).toEqual([90]);
    history.forget(T0 + 200_000);
    expect(history.readings).toEqual([]);
  });

  it('starts again when a reading is not after the latest (the clock went back)', () => {
    const history = new PipelineHistory(60_000);
    history.add(reading(10, { Published: 1 }));
    history.add(reading(20, { Published: 2 }));
    history.add(reading(15, { Published: 3 }));
    expect(history.readings).toEqual([reading(15, { Published: 3 })]);
  });
});

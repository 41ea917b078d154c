import type { MetricSample } from './emf.js';
import { QUANTILES, STAGES } from './names.js';

const RESERVOIR = 10_000;

export interface LatencySummary {
  count: number;
  sum: number;
  /** Over the latest values kept (at most 10,000). */
  quantiles: Record<string, number>;
  max: number;
}

export interface MetricsSnapshot {
  /** Every stage (0 until counted), in path order, then any other count the functions print. */
  counts: Record<string, number>;
  latencies: Record<string, LatencySummary>;
  /**
   * What the counts say about loss: planned = delivered + gone + failed when nothing is
   * lost; `unaccounted` is the difference (posts still in flight or retrying, or lost).
   */
  delivery: { planned: number; delivered: number; gone: number; failed: number; conflated: number; unaccounted: number };
}

/** Counts and latencies of every metric the functions print, since the local cloud started. */
export class MetricsRegistry {
  private readonly counts = new Map<string, number>();
  private readonly latencies = new Map<string, { count: number; sum: number; max: number; recent: number[] }>();

  record(samples: readonly MetricSample[]): void {
    for (const { name, unit, values } of samples) {
      if (unit === 'Milliseconds') this.observe(name, values);
      else this.counts.set(name, (this.counts.get(name) ?? 0) + values.reduce((sum, value) => sum + value, 0));
    }
  }

  snapshot(): MetricsSnapshot {
    const counts: Record<string, number> = Object.fromEntries(STAGES.map((stage) => [stage, 0]));
    for (const [name, value] of this.counts) counts[name] = value;
    const latencies: Record<string, LatencySummary> = {};
    for (const [name, latency] of this.latencies) {
      const sorted = [...latency.recent].sort((a, b) => a - b);
      const quantiles = Object.fromEntries(QUANTILES.map((q) => [String(q), quantile(sorted, q)]));
      latencies[name] = { count: latency.count, sum: latency.sum, quantiles, max: latency.max };
    }
    const planned = counts.FanoutPlanned ?? 0;
    const delivered = counts.Delivered ?? 0;
    const gone = counts.Gone ?? 0;
    const failed = counts.Failed ?? 0;
    const conflated = counts.Conflated ?? 0;
    return { counts, latencies, delivery: { planned, delivered, gone, failed, conflated, unaccounted: planned - delivered - gone - failed - conflated } };
  }

  reset(): void {
    this.counts.clear();
    this.latencies.clear();
  }

  private observe(name: string, values: readonly number[]): void {
    let latency = this.latencies.get(name);
    if (!latency) {
      latency = { count: 0, sum: 0, max: 0, recent: [] };
      this.latencies.set(name, latency);
    }
    for (const value of values) {
      latency.count += 1;
      latency.sum += value;
      latency.max = Math.max(latency.max, value);
      latency.recent.push(value);
    }
    if (latency.recent.length > RESERVOIR) latency.recent.splice(0, latency.recent.length - RESERVOIR);
  }
}

/** Nearest-rank quantile of sorted values; 0 when there are none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

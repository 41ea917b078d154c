/** Latency summaries: nearest-rank percentiles, as the local cloud's metrics compute them. */
import { quantile } from '@roomcast/local';

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile (`q` from 0 to 1) of values sorted ascending; NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : quantile(sorted, q);
}

/** p50, p95, p99, max and mean, rounded to 0.1 ms; null for no values. */
export function summarize(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  const round = (value: number): number => Math.round(value * 10) / 10;
  const sum = list.reduce((total, value) => total + value, 0);
  return {
    count: list.length,
    p50: round(percentile(list, 0.5)),
    p95: round(percentile(list, 0.95)),
    p99: round(percentile(list, 0.99)),
    max: round(list.at(-1)!),
    mean: round(sum / list.length),
  };
}

/** a / b, or null when either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return a / b;
}

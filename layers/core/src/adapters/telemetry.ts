import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Telemetry } from '../app/ports.js';

export type { Latency, StageCount, Telemetry } from '../app/ports.js';

export const NAMESPACE = 'roomcast';

/**
 * Counts written also when they are 0: a canary run that lost nothing writes `CanaryLost`
 * 0, so the dashboard and CanaryLostAlarm see a run that went well, not a missing one.
 * Other counts of 0 are left out (most invocations would write a line of zeros).
 */
const WRITES_ZERO: ReadonlySet<string> = new Set(['CanaryLost']);

/** The telemetry port on Powertools' Metrics: the Embedded Metric Format, one JSON line on stdout per flush. */

export function createTelemetry(stack: string): Telemetry {
  const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || NAMESPACE, serviceName: 'roomcast', defaultDimensions: { stack } });
  let recorded = 0;
  return {
    count(name, value = 1) {
      if (value < 0 || (value === 0 && !WRITES_ZERO.has(name))) return;
      metrics.addMetric(name, MetricUnit.Count, value);
      recorded += 1;
    },
    latency(name, milliseconds) {
      metrics.addMetric(name, MetricUnit.Milliseconds, Math.max(0, milliseconds));
      recorded += 1;
    },
    flush() {
      if (recorded === 0) return;
      recorded = 0;
      metrics.publishStoredMetrics();
    },
  };
}

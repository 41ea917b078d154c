import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The counts at every stage of a message's path, and its latencies, as CloudWatch
 * metrics in the Embedded Metric Format (one JSON line on stdout per flush). Dimensions
 * stay low-cardinality: the service and the stack, never a room or a connection.
 */
export type StageCount =
  | 'Published'
  | 'FanoutPlanned'
  /** Plan tasks planners ran, tasks handed on to planners, and tasks handed out again after a crash. */
  | 'PlanTasks'
  | 'PlanTasksEnqueued'
  | 'PlanRetried'
  /** Posts skipped because a newer message of a conflated room was planned for the same connections. */
  | 'Conflated'
  | 'JobsEnqueued'
  | 'Delivered'
  | 'Gone'
  | 'Throttled'
  | 'Retried'
  | 'Failed'
  | 'DeadLettered'
  | 'Connected'
  | 'Disconnected'
  | 'Subscribed'
  /** Canary messages that did not come back in time (the canary's runs only). */
  | 'CanaryLost';

/** CanaryRoundTrip: one canary message, from just before its publish to its arrival on the socket. */
export type Latency = 'DeliveryLatency' | 'PublishLatency' | 'CanaryRoundTrip';

export interface Telemetry {
  count(name: StageCount, value?: number): void;
  latency(name: Latency, milliseconds: number): void;
  /** Write what was recorded (once per invocation); nothing when nothing was. */
  flush(): void;
}

export const NAMESPACE = 'roomcast';

export function createTelemetry(stack: string): Telemetry {
  const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || NAMESPACE, serviceName: 'roomcast', defaultDimensions: { stack } });
  let recorded = 0;
  return {
    count(name, value = 1) {
      if (value <= 0) return;
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

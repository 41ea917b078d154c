import { describe, expect, it } from 'vitest';
import { MetricsRegistry, parseEmf, quantile, STAGE_HELP, STAGES, toPrometheus } from '../../local/metrics/index.js';

const emf = (values: Record<string, number | number[]>, units: Record<string, string>) =>
  JSON.stringify({
    _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'roomcast', Dimensions: [['service', 'stack']], Metrics: Object.keys(values).map((Name) => ({ Name, Unit: units[Name] ?? 'Count' })) }] },
    service: 'roomcast',
    stack: 'local',
    ...values,
  });

describe('EMF lines', () => {
  it('reads counts and lists of latencies', () => {
    expect(parseEmf(emf({ Delivered: 3, DeliveryLatency: [40, 60] }, { DeliveryLatency: 'Milliseconds' }))).toEqual([
      { name: 'Delivered', unit: 'Count', values: [3] },
      { name: 'DeliveryLatency', unit: 'Milliseconds', values: [40, 60] },
    ]);
  });

  it('ignores every other line', () => {
    for (const line of ['', 'plain text', '{"level":"INFO","message":"hi"}', '{"_aws": broken', '{"_aws":{}}']) {
      expect(parseEmf(line) ?? []).toEqual([]);
    }
  });
});

describe('the registry', () => {
  it('adds counts up, keeps latency percentiles, and shows the delivery gap', () => {
    const registry = new MetricsRegistry();
    registry.record(parseEmf(emf({ Published: 1, FanoutPlanned: 10, JobsEnqueued: 1 }, {}))!);
    registry.record(parseEmf(emf({ Delivered: 7, Gone: 1, DeliveryLatency: [10, 20, 30, 40] }, { DeliveryLatency: 'Milliseconds' }))!);
    registry.record(parseEmf(emf({ Failed: 1, DeadLettered: 1 }, {}))!);
    const snapshot = registry.snapshot();
    expect(snapshot.counts).toMatchObject({ Published: 1, FanoutPlanned: 10, Delivered: 7, Gone: 1, Failed: 1, Connected: 0 });
    expect(snapshot.delivery).toEqual({ planned: 10, delivered: 7, gone: 1, failed: 1, conflated: 0, unaccounted: 1 });
    // Posts skipped for a newer message of a conflated room are settled too.
    registry.record(parseEmf(emf({ Conflated: 1 }, {}))!);
    expect(registry.snapshot().delivery).toMatchObject({ conflated: 1, unaccounted: 0 });
    expect(snapshot.latencies.DeliveryLatency).toEqual({ count: 4, sum: 100, max: 40, quantiles: { '0.5': 20, '0.95': 40, '0.99': 40 } });
  });

  it('lists every stage in path order, then the connections, then any other count', () => {
    const registry = new MetricsRegistry();
    registry.record(parseEmf(emf({ CanaryLost: 1, Delivered: 2 }, {}))!);
    expect(Object.keys(registry.snapshot().counts)).toEqual([
      'Published', 'PlanTasksEnqueued', 'PlanTasks', 'PlanRetried', 'FanoutPlanned', 'JobsEnqueued', 'Delivered', 'Gone', 'Failed', 'Conflated', 'DeadLettered', 'Retried', 'Throttled',
      'Connected', 'Disconnected', 'Subscribed', 'CanaryLost',
    ]);
    expect(Object.keys(STAGE_HELP)).toEqual([...STAGES]);
  });

  it('computes nearest-rank quantiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile([], 0.99)).toBe(0);
  });
});

describe('Prometheus text', () => {
  it('exposes counters, latency summaries and the delivery gap', () => {
    const registry = new MetricsRegistry();
    registry.record(parseEmf(emf({ FanoutPlanned: 2, Delivered: 2, DeliveryLatency: [5, 15] }, { DeliveryLatency: 'Milliseconds' }))!);
    const text = toPrometheus(registry.snapshot());
    expect(text).toContain('# TYPE roomcast_fanout_planned_total counter\nroomcast_fanout_planned_total 2\n');
    expect(text).toContain('# HELP roomcast_gone_total Gone: posts answered 410: the client had left, counted');
    expect(text).toContain('roomcast_delivered_total 2\n');
    expect(text).toContain('# TYPE roomcast_delivery_latency_milliseconds summary\n');
    expect(text).toContain('roomcast_delivery_latency_milliseconds{quantile="0.99"} 15\n');
    expect(text).toContain('roomcast_delivery_latency_milliseconds_count 2\n');
    expect(text).toContain('roomcast_delivery_unaccounted 0\n');
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{quantile="[\d.]+"\})? -?[\d.e+]+)$/);
  });
});

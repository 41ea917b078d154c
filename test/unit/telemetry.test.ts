import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTelemetry } from '../../layers/core/src/adapters/telemetry.js';

function captureStdout(): { lines: () => any[]; restore: () => void } {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return {
    lines: () => written.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)),
    restore: () => spy.mockRestore(),
  };
}

describe('telemetry (EMF)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('writes one EMF line per flush with stage counts and latencies, under low-cardinality dimensions', () => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_DEV;
    const out = captureStdout();
    try {
      const telemetry = createTelemetry('roomcast-test');
      telemetry.count('Delivered', 3);
      telemetry.count('Gone');
      telemetry.count('Failed', 0);
      telemetry.latency('DeliveryLatency', 42);
      telemetry.latency('DeliveryLatency', 58);
      telemetry.flush();
      telemetry.flush();
    } finally {
      out.restore();
    }
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    const [emf] = lines;
    const directive = emf._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('roomcast');
    expect(directive.Dimensions).toEqual([['service', 'stack']]);
    expect(directive.Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'Delivered', Unit: 'Count' },
        { Name: 'Gone', Unit: 'Count' },
        { Name: 'DeliveryLatency', Unit: 'Milliseconds' },
      ]),
    );
    expect(emf).toMatchObject({ service: 'roomcast', stack: 'roomcast-test', Delivered: 3, Gone: 1, DeliveryLatency: [42, 58] });
    expect(emf).not.toHaveProperty('Failed');
  });

  it('writes CanaryLost 0 for a canary run that lost nothing, so a good run is seen, not missing', () => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_DEV;
    const out = captureStdout();
    try {
      const telemetry = createTelemetry('roomcast-test');
      telemetry.count('CanaryLost', 0);
      telemetry.flush();
    } finally {
      out.restore();
    }
    expect(out.lines()).toEqual([expect.objectContaining({ CanaryLost: 0 })]);
  });
});

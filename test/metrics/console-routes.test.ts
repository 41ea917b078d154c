/** The console server's metrics routes: `GET /metrics` (Prometheus text) and `GET /_roomcast/metrics` (JSON). */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultTargets } from '../../local/cloud/faults.js';
import type { CloudInfo } from '../../local/cloud/options.js';
import { startConsole, type ConsoleServer, type ConsoleState } from '../../local/console/index.js';
import { MetricsRegistry, toPrometheus } from '../../local/metrics/index.js';

const PAGE = new URL('../../web/index.html', import.meta.url).pathname;
const opened: ConsoleServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

const noFaults = { gateway: { set: () => undefined, clear: () => undefined, current: () => ({}) }, functions: { failNext: () => undefined, clear: () => undefined }, functionId: () => undefined } satisfies FaultTargets;

async function start(state: ConsoleState | undefined): Promise<string> {
  const server = await startConsole({ host: '127.0.0.1', port: 0, page: PAGE, state: () => state, log: () => undefined });
  opened.push(server);
  return server.url;
}

function registry(): MetricsRegistry {
  const metrics = new MetricsRegistry();
  metrics.record([
    { name: 'Published', unit: 'Count', values: [2] },
    { name: 'FanoutPlanned', unit: 'Count', values: [6] },
    { name: 'Delivered', unit: 'Count', values: [5] },
    { name: 'DeliveryLatency', unit: 'Milliseconds', values: [12, 30] },
  ]);
  return metrics;
}

describe('the metrics routes of the console server', () => {
  it('answer the registry as Prometheus text (0.0.4) and as a JSON snapshot', async () => {
    const metrics = registry();
    const url = await start({ info: {} as CloudInfo, faults: noFaults, metrics });
    const text = await fetch(`${url}/metrics`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4(;|$)/);
    expect(text.headers.get('cache-control')).toBe('no-store');
    expect(await text.text()).toBe(toPrometheus(metrics.snapshot()));
    const snapshot = await fetch(`${url}/_roomcast/metrics`);
    expect(snapshot.headers.get('content-type')).toBe('application/json');
    expect(await snapshot.json()).toEqual(metrics.snapshot());
    const head = await fetch(`${url}/metrics`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('are read-only, 503 until the cloud is ready, 404 without a registry', async () => {
    const url = await start({ info: {} as CloudInfo, faults: noFaults, metrics: registry() });
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/_roomcast/metrics`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${await start(undefined)}/metrics`)).status).toBe(503);
    const bare = await start({ info: {} as CloudInfo, faults: noFaults });
    expect((await fetch(`${bare}/metrics`)).status).toBe(404);
    expect((await fetch(`${bare}/_roomcast/metrics`)).status).toBe(404);
  });
});

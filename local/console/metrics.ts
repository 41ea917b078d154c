/**
 * The functions' metrics, as the local cloud counts them from their EMF lines:
 * `GET /metrics` in Prometheus' text format (for a scraper or curl), and
 * `GET /_roomcast/metrics`, the same snapshot as JSON (for the console page's pipeline panel).
 */
import type { ServerResponse } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE, toPrometheus, type MetricsRegistry } from '../metrics/index.js';
import { json, send } from './http.js';

export const PROMETHEUS_PATH = '/metrics';

interface MetricsRequest {
  res: ServerResponse;
  method: string;
  state: { metrics?: MetricsRegistry };
}

const NO_METRICS = { error: 'this console has no metrics' };

export async function servePrometheus({ res, method, state }: MetricsRequest): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') return json(res, 405, { error: 'GET only' });
  if (!state.metrics) return json(res, 404, NO_METRICS);
  send(res, 200, PROMETHEUS_CONTENT_TYPE, Buffer.from(toPrometheus(state.metrics.snapshot())), method === 'HEAD');
}

export async function serveMetricsJson({ res, method, state }: MetricsRequest): Promise<void> {
  if (method !== 'GET') return json(res, 405, { error: 'GET only' });
  if (!state.metrics) return json(res, 404, NO_METRICS);
  json(res, 200, state.metrics.snapshot());
}

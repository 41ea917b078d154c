/** The local view of the functions' metrics: EMF lines in, counts, percentiles and Prometheus text out. */
export { parseEmf, type MetricSample } from './emf.js';
export { MetricsRegistry, STAGES, quantile, type LatencySummary, type MetricsSnapshot } from './registry.js';
export { toPrometheus } from './prometheus.js';

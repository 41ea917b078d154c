/** The local view of the functions' metrics: EMF lines in, counts, percentiles and Prometheus text out. */
export { parseEmf, type MetricSample } from './emf.js';
export { MetricsRegistry, quantile, type LatencySummary, type MetricsSnapshot } from './registry.js';
export { toPrometheus, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
export { CONNECTION_STAGES, LATENCIES, PATH_STAGES, QUANTILES, STAGE_HELP, STAGES, type Stage } from './names.js';

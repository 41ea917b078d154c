import { STAGE_HELP } from './names.js';
import type { MetricsSnapshot } from './registry.js';

/** The content type of the text exposition format, as Prometheus scrapes it. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The snapshot in Prometheus' text exposition format (version 0.0.4). */
export function toPrometheus(snapshot: MetricsSnapshot): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(snapshot.counts)) {
    const metric = `roomcast_${snake(name)}_total`;
    const help = Object.hasOwn(STAGE_HELP, name) ? `: ${STAGE_HELP[name as keyof typeof STAGE_HELP]}` : '';
    lines.push(`# HELP ${metric} ${name}${help}, counted from the functions' metrics since start.`, `# TYPE ${metric} counter`, `${metric} ${value}`);
  }
  for (const [name, summary] of Object.entries(snapshot.latencies)) {
    const metric = `roomcast_${snake(name)}_milliseconds`;
    lines.push(`# HELP ${metric} ${name} in milliseconds (quantiles over the latest 10000 values).`, `# TYPE ${metric} summary`);
    for (const [q, value] of Object.entries(summary.quantiles)) lines.push(`${metric}{quantile="${q}"} ${value}`);
    lines.push(`${metric}_sum ${summary.sum}`, `${metric}_count ${summary.count}`);
  }
  const gap = 'roomcast_delivery_unaccounted';
  lines.push(`# HELP ${gap} FanoutPlanned - Delivered - Gone - Failed - Conflated: posts in flight, retrying, or lost; 0 once delivery has settled.`, `# TYPE ${gap} gauge`, `${gap} ${snapshot.delivery.unaccounted}`);
  return `${lines.join('\n')}\n`;
}

/** `DeliveryLatency` -> `delivery_latency`. */
function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

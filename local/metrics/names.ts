/**
 * What the local view of the functions' metrics shows, in the dashboard's order: the
 * stages of a message's path, then the connections' counts, then the latencies. Shared by
 * the registry, the Prometheus text and the console page.
 */

/** A message's path: publish, fan-out planning (by planners for large rooms), jobs, the outcomes of posts, then the effort (retries, 429s). */
export const PATH_STAGES = ['Published', 'PlanTasksEnqueued', 'PlanTasks', 'PlanRetried', 'FanoutPlanned', 'JobsEnqueued', 'Delivered', 'Gone', 'Failed', 'Conflated', 'DeadLettered', 'Retried', 'Throttled'] as const;

export const CONNECTION_STAGES = ['Connected', 'Disconnected', 'Subscribed'] as const;

export const STAGES = [...PATH_STAGES, ...CONNECTION_STAGES] as const;

export type Stage = (typeof STAGES)[number];

export const LATENCIES = ['DeliveryLatency', 'PublishLatency'] as const;

/** The quantiles kept of each latency, keyed in snapshots by `String(q)` ('0.5', ...). */
export const QUANTILES = [0.5, 0.95, 0.99] as const;

/** What each count counts (docs/operations.md, Metrics), one line each. */
export const STAGE_HELP: Record<Stage, string> = {
  Published: 'messages stored and planned by a publish request',
  PlanTasksEnqueued: 'plan tasks handed to planners (large rooms)',
  PlanTasks: 'plan tasks planners finished',
  PlanRetried: 'plan tasks handed out again after a planner failed (planned again)',
  FanoutPlanned: 'connections messages were planned for',
  JobsEnqueued: 'delivery jobs put into the delivery queue',
  Delivered: 'posts API Gateway accepted',
  Gone: 'posts answered 410: the client had left',
  Failed: 'connections given up on (their job went to the delivery DLQ)',
  Conflated: 'posts skipped for a newer message of a conflated room',
  DeadLettered: 'jobs put into the delivery DLQ',
  Retried: 'extra post attempts (effort, not outcome)',
  Throttled: 'posts answered 429 (retried)',
  Connected: 'handshakes accepted',
  Disconnected: '$disconnect events',
  Subscribed: 'rooms added by accepted subscribes',
};

/** What `npm run bench:fanout-cost` measures of one fan-out, as the cost model reads it. */
export interface FanoutCost {
  subscribers: number;
  messageBytes: number;
  /** PostToConnection calls, and the least there can be: one per subscriber. */
  posts: number;
  postsMinimum: number;
  /** Subscribers with no post, with more than one, and posts to connections not in the room. */
  missed: number;
  duplicated: number;
  unexpected: number;
  dynamo: { readUnits: number; writeUnits: number; requests: Record<string, number> };
  /** `requests`: as sent; `billed`: 64 KB chunks. Harness-only calls (GetQueueAttributes) are not billed. */
  sqs: { requests: Record<string, number>; billed: Record<string, number>; emptyReceives: number };
  lambda: { publishInvocations: number; planInvocations: number; planTasks: number; deliverInvocations: number; jobs: number };
  /** The room's partitions (all generations) and whether its fan-out was planned inside the publish. */
  room: { partitions: number; generations: number; inline: boolean };
  /**
   * Wall-clock and CPU time here (DynamoDB Local, the emulator, proxies: not AWS latencies).
   * `publishMs`: the measured publish; `publishLatency`: the timed publishes' percentiles;
   * `planningMs`: from the measured publish to the last delivery job enqueued.
   */
  local: { publishMs: number; publishLatency: { p50: number; p99: number; max: number; count: number }; planningMs: number; deliverMs: number; deliverCpuMs: number };
}

/**
 * The makespan model's parameters for this stack: the template's delivery and planning
 * settings, the documented AWS quotas and scaling rules, and MODEL_INPUTS (assumed latencies,
 * CPU per post and planning time measured locally).
 */
import { LIMITS } from '../layers/core/src/model/limits.js';
import { splitRange } from '../layers/core/src/model/plan-task.js';
import { PLANNER_FANOUT, PUBLISH_FANOUT, SENDS_IN_FLIGHT } from '../layers/core/src/app/plan.js';
import { AWS_LIMITS } from './aws-limits.js';
import { queryPages, queryReadUnits, subscriptionRowBytes } from './item-sizes.js';
import { makespan, simulatePlanning, type Makespan, type MakespanParameters, type PlanNode, type PlanningParameters, type ScalingParameters } from './makespan.js';
import { deliverInvocationMs, roomLayout, type Setup } from './usage.js';

export { roomLayout } from './usage.js';

/**
 * How long a planner takes over its partitions: from the assumed AWS request latencies (a
 * 1 MB Query page at a time per partition, the partitions in parallel, the SendMessageBatch
 * calls 16 at a time), or at the rate measured on the local cloud (DynamoDB Local, the
 * emulator, this machine: the publish function's time per 1,000 subscribers when it still
 * read whole rooms, here a planner's time per 1,000 subscribers of its partitions, taken as
 * it is, CPU and requests together).
 */
export type PlanningBasis = 'aws-latencies' | 'measured-locally';

/**
 * The suggested DeliveryMaxConcurrency runs each instance at 1/1.25 of its own rate, so that
 * an instance 20% slower than modelled (TLS, a noisy host) still keeps its share of the quota.
 */
export const CONCURRENCY_HEADROOM = 1.25;
/** DeliveryMaxConcurrency's range in template.yaml. */
export const MAX_CONCURRENCY_RANGE = { min: 2, max: 1000 } as const;


/** Posts a second one deliver invocation makes by itself: the slower of its CPU and its network. */
export function invocationPostsPerSecond(setup: Setup): number {
  const posts = setup.facts.batchSize * setup.facts.jobSize;
  return (posts / (deliverInvocationMs(posts, setup) - setup.inputs.invocationOverheadMs)) * 1000;
}

/** The DeliveryMaxConcurrency that reaches `quota` with each instance at 1/CONCURRENCY_HEADROOM of its own rate. */
export function suggestedConcurrency(quota: number, instancePostsPerSecond: number): number {
  const needed = Math.ceil((quota * CONCURRENCY_HEADROOM) / instancePostsPerSecond);
  return Math.min(MAX_CONCURRENCY_RANGE.max, Math.max(MAX_CONCURRENCY_RANGE.min, needed));
}

/** Posts per second `maxConcurrency` paced instances reach at most: each the slower of its own rate and its share. */
export function reachablePostsPerSecond(quota: number, maxConcurrency: number, instancePostsPerSecond: number): number {
  return Math.min(quota, maxConcurrency * instancePostsPerSecond);
}

export interface MakespanOptions {
  basis?: PlanningBasis;
  /** The account's requests per second (PostQuotaPerSecond set to it); default: the template's PostQuotaPerSecond. */
  quota?: number;
  /** DeliveryMaxConcurrency; default: the suggested one for the quota. */
  maxConcurrency?: number;
  /** Other traffic drawing on the quota (clients' frames, publishes); PostQuotaPerSecond is taken as the quota less it. */
  otherRequestsPerSecond?: number;
  /** The deliver event source already runs at its maximum (scaled up by recent fan-outs): no ramp. */
  warm?: boolean;
  /**
   * The deliver event source in provisioned mode: as many pollers as run the concurrency (the
   * given or the suggested one), `minimumPollers` of them always ready (default: all).
   */
  provisioned?: boolean;
  minimumPollers?: number;
}

/** Provisioned mode: the most event pollers and those always ready. */
export interface Pollers {
  minimum: number;
  maximum: number;
}

/** The pollers that run `concurrency` invocations at once, `minimum` of them ready (default: all of them). */
export function provisionedPollers(concurrency: number, minimum?: number): Pollers {
  const { minimum: least, most } = AWS_LIMITS.sqsProvisionedPollers.value;
  const maximum = Math.max(least, Math.ceil(concurrency / LIMITS.sqsInvocationsPerPoller));
  return { minimum: Math.min(most, maximum, Math.max(least, minimum ?? maximum)), maximum };
}

/** The quota a model run uses: the one given, the template's PostQuotaPerSecond, or (no pacing) AWS's default. */
export function quotaOf(setup: Setup, options: MakespanOptions): number {
  return options.quota ?? (setup.facts.postQuotaPerSecond > 0 ? setup.facts.postQuotaPerSecond : AWS_LIMITS.apiGatewayRequestsPerSecond.value);
}

/** An SQS event source in standard mode, or (`pollers`) in provisioned mode. */
const sqsScaling = (setup: Setup, batchSize: number, maxConcurrency: number, pollers?: Pollers): ScalingParameters => ({
  ...(pollers
    ? {
        initialConcurrency: pollers.minimum * LIMITS.sqsInvocationsPerPoller,
        scaleUpPerMinute: AWS_LIMITS.sqsProvisionedScaleUpPerMinute.value,
        maxConcurrency: Math.min(pollers.maximum * LIMITS.sqsInvocationsPerPoller, AWS_LIMITS.sqsProvisionedMaxConcurrency.value),
      }
    : {
        initialConcurrency: AWS_LIMITS.sqsEventSourceInitialConcurrency.value,
        scaleUpPerMinute: AWS_LIMITS.sqsEventSourceScaleUpPerMinute.value,
        maxConcurrency: Math.min(maxConcurrency, AWS_LIMITS.sqsEventSourceMaxConcurrency.value),
      }),
  batchSize,
  pollDelayMs: setup.inputs.pollDelayMs,
  nextBatchMs: setup.inputs.nextBatchMs,
  invocationOverheadMs: setup.inputs.invocationOverheadMs,
});

/** How the new design plans a room of `subscribers`: inside the publish, or through plan tasks. */
export function planningParameters(subscribers: number, setup: Setup, basis: PlanningBasis = 'aws-latencies'): PlanningParameters & { partitions: number } {
  const { facts, inputs } = setup;
  const layout = roomLayout(subscribers, facts.shards, facts.roomPartitionRows);
  const rowBytes = subscriptionRowBytes('room:00001', facts.shards);
  const leaf = (from: number, to: number): PlanNode => {
    const rows = layout.slice(from, to);
    const total = rows.reduce((sum, count) => sum + count, 0);
    const requests = Math.ceil(total / (facts.jobSize * LIMITS.sqsBatchEntries));
    const measured = basis === 'measured-locally';
    return {
      children: [],
      jobs: Math.ceil(total / facts.jobSize),
      readMs: measured ? 0 : Math.max(...rows.map((count) => queryPages(count, rowBytes))) * inputs.dynamoRequestMs,
      readUnits: rows.reduce((sum, count) => sum + queryReadUnits(count, rowBytes), 0),
      sendMs: measured ? 0 : Math.ceil(requests / SENDS_IN_FLIGHT) * inputs.sqsRequestMs,
      cpuMs: measured ? (total / 1000) * inputs.planningMsPer1000 : 0,
    };
  };
  const task = (from: number, to: number): PlanNode => {
    const ranges = splitRange(from, to, facts.planSegmentPartitions, PLANNER_FANOUT);
    if (ranges.length === 1) return leaf(from, to);
    // Its children go out in SendMessageBatch calls of 10, all in parallel.
    return { children: ranges.map(([start, end]) => task(start, end)), jobs: 0, readMs: 0, readUnits: 0, sendMs: inputs.sqsRequestMs, cpuMs: 0 };
  };
  // The publish: the message stored (the counter read and the transaction), the room's shape read.
  const stored = inputs.invocationOverheadMs + 3 * inputs.dynamoRequestMs;
  const inline = layout.length <= facts.planInlinePartitions;
  const whole = leaf(0, layout.length);
  return {
    ...sqsScaling(setup, facts.planBatchSize, facts.planMaxConcurrency ?? AWS_LIMITS.sqsEventSourceMaxConcurrency.value),
    partitions: layout.length,
    handOffMs: stored + (inline ? whole.cpuMs + whole.readMs + whole.sendMs : inputs.sqsRequestMs),
    inlineJobs: inline ? whole.jobs : 0,
    tasks: inline ? [] : splitRange(0, layout.length, facts.planSegmentPartitions, PUBLISH_FANOUT).map(([from, to]) => task(from, to)),
    readUnitsPerSecond: AWS_LIMITS.dynamoTableReadUnitsPerSecond.value,
  };
}

export interface MakespanRow extends Makespan {
  basis: PlanningBasis;
  /** The account's requests per second, and PostQuotaPerSecond (less other traffic). */
  quotaPerSecond: number;
  otherRequestsPerSecond: number;
  /** DeliveryMaxConcurrency used, and whether it was the suggested one. */
  maxConcurrency: number;
  concurrency: 'suggested' | 'given';
  /** The deliver event source started at its maximum concurrency. */
  warm: boolean;
  /** The deliver event source in provisioned mode: its pollers (maxConcurrency is what the most run). */
  pollers?: Pollers;
  /** One deliver invocation's own rate, its paced share, and what all instances reach together. */
  invocationPostsPerSecond: number;
  pacedPostsPerSecond: number;
  reachablePostsPerSecond: number;
  /** How long a deliver invocation of a full batch lasts, paced. */
  deliverInvocationMs: number;
  partitions: number;
  /** When the publish function answers (its tasks or, for a small room, its jobs sent). */
  handOffMs: number;
  firstJobsMs: number;
  planHops: number;
  plannerPeakConcurrency: number;
  plannerInvocations: number;
  longestPlannerInvocationMs: number;
  /** The publish, plan and deliver functions' timeouts. */
  publishTimeoutMs: number;
  planTimeoutMs: number;
  deliverTimeoutMs: number;
}

export function makespanRow(subscribers: number, setup: Setup, options: MakespanOptions = {}): MakespanRow {
  const { facts, inputs } = setup;
  const basis = options.basis ?? 'aws-latencies';
  const quota = quotaOf(setup, options);
  const other = options.otherRequestsPerSecond ?? 0;
  const own = invocationPostsPerSecond(setup);
  const concurrency = options.maxConcurrency ?? suggestedConcurrency(quota - other, own);
  const pollers = options.provisioned ? provisionedPollers(concurrency, options.minimumPollers) : undefined;
  const maxConcurrency = pollers ? pollers.maximum * LIMITS.sqsInvocationsPerPoller : concurrency;
  const paced = facts.postQuotaPerSecond > 0 ? (quota - other) / maxConcurrency : 0;
  const planning = planningParameters(subscribers, setup, basis);
  const planned = simulatePlanning(planning);
  const scaling = sqsScaling(setup, facts.batchSize, maxConcurrency, pollers);
  const parameters: MakespanParameters = {
    ...scaling,
    ...(options.warm ? { initialConcurrency: scaling.maxConcurrency } : {}),
    subscribers,
    arrivals: planned.arrivals,
    invocationPostsPerSecond: own,
    pacedPostsPerSecond: paced,
    requestsPerSecond: quota,
    otherRequestsPerSecond: other,
  };
  const rate = paced > 0 ? Math.min(own, paced) : own;
  return {
    ...makespan(parameters),
    basis,
    quotaPerSecond: quota,
    otherRequestsPerSecond: other,
    maxConcurrency,
    concurrency: options.maxConcurrency === undefined ? 'suggested' : 'given',
    warm: options.warm ?? false,
    ...(pollers ? { pollers } : {}),
    invocationPostsPerSecond: own,
    pacedPostsPerSecond: paced,
    reachablePostsPerSecond: reachablePostsPerSecond(quota - other, scaling.maxConcurrency, rate),
    deliverInvocationMs: inputs.invocationOverheadMs + ((facts.batchSize * facts.jobSize) / rate) * 1000,
    partitions: planning.partitions,
    handOffMs: planning.handOffMs,
    firstJobsMs: planned.firstJobsMs,
    planHops: planned.hops,
    plannerPeakConcurrency: planned.peakConcurrency,
    plannerInvocations: planned.invocations,
    longestPlannerInvocationMs: planned.longestInvocationMs,
    publishTimeoutMs: facts.timeoutSeconds.publish * 1000,
    planTimeoutMs: facts.timeoutSeconds.plan * 1000,
    deliverTimeoutMs: facts.timeoutSeconds.deliver * 1000,
  };
}

export interface MakespanRowsOptions extends Omit<MakespanOptions, 'quota'> {
  /** One row set per quota; default: the template's PostQuotaPerSecond. */
  quotas?: readonly number[];
}

/** A row per planning basis (both unless one is given), quota and room size, in that order. */
export function makespanRows(sizes: readonly number[], setup: Setup, options: MakespanRowsOptions = {}): MakespanRow[] {
  const bases: PlanningBasis[] = options.basis ? [options.basis] : ['aws-latencies', 'measured-locally'];
  const quotas = options.quotas ?? [quotaOf(setup, {})];
  return bases.flatMap((basis) => quotas.flatMap((quota) => sizes.map((size) => makespanRow(size, setup, { ...options, basis, quota }))));
}

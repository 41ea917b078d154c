/**
 * The makespan model's parameters for this stack: the template's delivery settings, the
 * documented AWS quotas and scaling rules, and MODEL_INPUTS (assumed latencies, CPU per post
 * and planning time measured locally).
 */
import { AWS_LIMITS } from './aws-limits.js';
import { makespan, type Makespan, type MakespanParameters } from './makespan.js';
import { deliverInvocationMs, type Setup } from './usage.js';

/**
 * How long the publish function plans a fan-out: at the rate measured on the local cloud
 * (DynamoDB Local, the emulator, this machine), or from the assumed AWS request latencies
 * (a Query page of 1 MB per shard in parallel, one SendMessageBatch per 10 jobs in turn).
 */
export type PlanningBasis = 'aws-latencies' | 'measured-locally';

const PAGE_ROWS = 16_000;

export function planningMs(subscribers: number, setup: Setup, basis: PlanningBasis): number {
  const { facts, inputs } = setup;
  const writes = 5 * inputs.dynamoRequestMs;
  if (basis === 'measured-locally') return writes + (subscribers / 1000) * inputs.planningMsPer1000;
  const rowsPerShard = Math.ceil(subscribers / facts.shards);
  const pages = Math.max(1, Math.ceil(rowsPerShard / PAGE_ROWS));
  const sends = Math.ceil(Math.ceil(rowsPerShard / facts.jobSize) / 10);
  return writes + pages * inputs.dynamoRequestMs + sends * inputs.sqsRequestMs;
}

export interface MakespanOptions {
  basis?: PlanningBasis;
  /** Other traffic drawing on the account's API Gateway quota (clients' frames, publishes). */
  otherRequestsPerSecond?: number;
}

export function makespanParameters(subscribers: number, setup: Setup, options: MakespanOptions = {}): MakespanParameters {
  const { facts, inputs } = setup;
  const posts = facts.batchSize * facts.jobSize;
  const busyMs = deliverInvocationMs(posts, setup) - inputs.invocationOverheadMs;
  return {
    subscribers,
    jobSize: facts.jobSize,
    batchSize: facts.batchSize,
    postConcurrency: facts.postConcurrency,
    invocationPostsPerSecond: (posts / busyMs) * 1000,
    invocationOverheadMs: inputs.invocationOverheadMs,
    planningMs: planningMs(subscribers, setup, options.basis ?? 'aws-latencies'),
    firstJobsMs: 6 * inputs.dynamoRequestMs + inputs.sqsRequestMs,
    pollDelayMs: inputs.pollDelayMs,
    initialConcurrency: AWS_LIMITS.sqsEventSourceInitialConcurrency.value,
    scaleUpPerMinute: AWS_LIMITS.sqsEventSourceScaleUpPerMinute.value,
    maxConcurrency: Math.min(facts.maxConcurrency, AWS_LIMITS.sqsEventSourceMaxConcurrency.value),
    requestsPerSecond: AWS_LIMITS.apiGatewayRequestsPerSecond.value,
    otherRequestsPerSecond: options.otherRequestsPerSecond ?? 0,
  };
}

export interface MakespanRow extends Makespan {
  basis: PlanningBasis;
  invocationPostsPerSecond: number;
  /** The publish function's timeout: planning must end before it. */
  publishTimeoutMs: number;
}

export function makespanRows(sizes: readonly number[], setup: Setup, options: MakespanOptions = {}): MakespanRow[] {
  const bases: PlanningBasis[] = options.basis ? [options.basis] : ['aws-latencies', 'measured-locally'];
  return bases.flatMap((basis) =>
    sizes.map((size) => {
      const parameters = makespanParameters(size, setup, { ...options, basis });
      return { ...makespan(parameters), basis, invocationPostsPerSecond: parameters.invocationPostsPerSecond, publishTimeoutMs: setup.facts.timeoutSeconds.publish * 1000 };
    }),
  );
}

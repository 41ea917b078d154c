/**
 * What the cost and makespan models take from template.yaml (parameter defaults, or the
 * overrides given): each function's memory and timeout, the delivery settings, the room
 * partitions, the post quota and the planners' event source.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../layers/core/src/config.js';
import { readTemplateFile, type FunctionModel, type ParameterValue, type SqsEvent } from '../local/template/index.js';

/** The functions a publish or a client's connection runs, by their code folder. */
export const FUNCTIONS = ['publish', 'plan', 'deliver', 'authorize', 'connect', 'subscribe', 'disconnect', 'default'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface TemplateFacts {
  memoryMb: Record<FunctionName, number>;
  timeoutSeconds: Record<FunctionName, number>;
  /** Partitions of a room's first generation of subscriptions (DELIVERY_SHARDS). */
  shards: number;
  /** Rows of a partition of a room's newest generation that open its next one (ROOM_PARTITION_ROWS). */
  roomPartitionRows: number;
  /** A room of at most this many partitions is planned inside the publish (PLAN_INLINE_PARTITIONS). */
  planInlinePartitions: number;
  /** A plan task of at most this many partitions is read by one planner (PLAN_SEGMENT_PARTITIONS). */
  planSegmentPartitions: number;
  /** Connections per delivery job (DELIVERY_JOB_SIZE). */
  jobSize: number;
  /** Delivery jobs per deliver invocation (the SQS event source's BatchSize). */
  batchSize: number;
  /** The deliver SQS event source's MaximumConcurrency (DeliveryMaxConcurrency). */
  maxConcurrency: number;
  /** Plan tasks per planner invocation (the plan SQS event source's BatchSize). */
  planBatchSize: number;
  /** The plan SQS event source's MaximumConcurrency; undefined: none set. */
  planMaxConcurrency: number | undefined;
  /** Posts in flight per deliver instance (POST_CONCURRENCY). */
  postConcurrency: number;
  /** The account's PostToConnection quota the deliver instances split (POST_QUOTA_PER_SECOND; 0: no pacing). */
  postQuotaPerSecond: number;
  /** Messages in a snapshot when a subscribe asks for the default (SNAPSHOT_DEFAULT). */
  snapshotDefault: number;
  historyTtlSeconds: number;
}

export const TEMPLATE_FILE = fileURLToPath(new URL('../template.yaml', import.meta.url));

export function templateFacts(parameters: Record<string, ParameterValue> = {}, file = TEMPLATE_FILE): TemplateFacts {
  const model = readTemplateFile(file, { parameters });
  const byFolder = (name: FunctionName): FunctionModel => {
    const fn = model.functions.find((item) => item.codeUri?.replace(/\/$/, '').endsWith(`functions/${name}`));
    if (!fn) throw new Error(`template.yaml has no function with CodeUri functions/${name}/`);
    return fn;
  };
  const sqsSource = (fn: FunctionModel): SqsEvent => {
    const source = fn.events.find((event): event is SqsEvent => event.type === 'SQS');
    if (!source) throw new Error(`${fn.logicalId} has no SQS event source in template.yaml`);
    return source;
  };
  const deliver = byFolder('deliver');
  const publish = byFolder('publish');
  const plan = byFolder('plan');
  const subscribe = byFolder('subscribe');
  const source = sqsSource(deliver);
  const planSource = sqsSource(plan);
  const env = (fn: FunctionModel, name: string): number => {
    const value = Number(fn.environment[name]);
    if (!Number.isFinite(value)) throw new Error(`${fn.logicalId} has no numeric ${name} in template.yaml`);
    return value;
  };
  return {
    memoryMb: Object.fromEntries(FUNCTIONS.map((name) => [name, byFolder(name).memorySize])) as Record<FunctionName, number>,
    timeoutSeconds: Object.fromEntries(FUNCTIONS.map((name) => [name, byFolder(name).timeout])) as Record<FunctionName, number>,
    shards: env(publish, 'DELIVERY_SHARDS'),
    roomPartitionRows: env(publish, 'ROOM_PARTITION_ROWS'),
    // Not in the template unless set: the code's defaults then (layers/core/src/config.ts).
    planInlinePartitions: loadConfig(publish.environment).planInlinePartitions,
    planSegmentPartitions: loadConfig(plan.environment).planSegmentPartitions,
    jobSize: env(publish, 'DELIVERY_JOB_SIZE'),
    batchSize: source.batchSize,
    maxConcurrency: source.maximumConcurrency ?? 1000,
    planBatchSize: planSource.batchSize,
    planMaxConcurrency: planSource.maximumConcurrency,
    postConcurrency: env(deliver, 'POST_CONCURRENCY'),
    postQuotaPerSecond: env(deliver, 'POST_QUOTA_PER_SECOND'),
    snapshotDefault: env(subscribe, 'SNAPSHOT_DEFAULT'),
    historyTtlSeconds: env(publish, 'HISTORY_TTL_SECONDS'),
  };
}

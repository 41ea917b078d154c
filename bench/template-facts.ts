/**
 * What the cost and makespan models take from template.yaml (parameter defaults, or the
 * overrides given): each function's memory and timeout, and the delivery settings.
 */
import { fileURLToPath } from 'node:url';
import { readTemplateFile, type FunctionModel, type ParameterValue, type SqsEvent } from '../local/template/index.js';

/** The functions a publish or a client's connection runs, by their code folder. */
export const FUNCTIONS = ['publish', 'deliver', 'authorize', 'connect', 'subscribe', 'disconnect', 'default'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface TemplateFacts {
  memoryMb: Record<FunctionName, number>;
  timeoutSeconds: Record<FunctionName, number>;
  /** Partitions of a room's subscriptions (DELIVERY_SHARDS). */
  shards: number;
  /** Connections per delivery job (DELIVERY_JOB_SIZE). */
  jobSize: number;
  /** Delivery jobs per deliver invocation (the SQS event source's BatchSize). */
  batchSize: number;
  /** The SQS event source's MaximumConcurrency. */
  maxConcurrency: number;
  /** Posts in flight per delivery job (POST_CONCURRENCY). */
  postConcurrency: number;
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
  const deliver = byFolder('deliver');
  const publish = byFolder('publish');
  const subscribe = byFolder('subscribe');
  const source = deliver.events.find((event): event is SqsEvent => event.type === 'SQS');
  if (!source) throw new Error('the deliver function has no SQS event source in template.yaml');
  const env = (fn: FunctionModel, name: string): number => {
    const value = Number(fn.environment[name]);
    if (!Number.isFinite(value)) throw new Error(`${fn.logicalId} has no numeric ${name} in template.yaml`);
    return value;
  };
  return {
    memoryMb: Object.fromEntries(FUNCTIONS.map((name) => [name, byFolder(name).memorySize])) as Record<FunctionName, number>,
    timeoutSeconds: Object.fromEntries(FUNCTIONS.map((name) => [name, byFolder(name).timeout])) as Record<FunctionName, number>,
    shards: env(publish, 'DELIVERY_SHARDS'),
    jobSize: env(publish, 'DELIVERY_JOB_SIZE'),
    batchSize: source.batchSize,
    maxConcurrency: source.maximumConcurrency ?? 1000,
    postConcurrency: env(deliver, 'POST_CONCURRENCY'),
    snapshotDefault: env(subscribe, 'SNAPSHOT_DEFAULT'),
    historyTtlSeconds: env(publish, 'HISTORY_TTL_SECONDS'),
  };
}

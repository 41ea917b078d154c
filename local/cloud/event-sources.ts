/**
 * The template's event source mappings, polling the local services as Lambda does: each
 * SQS event of a function (its queue, BatchSize, MaximumBatchingWindowInSeconds,
 * FunctionResponseTypes, ScalingConfig.MaximumConcurrency) and each DynamoDB event (its
 * table's stream, StartingPosition, BatchSize, MaximumRetryAttempts,
 * BisectBatchOnFunctionError, FunctionResponseTypes, FilterCriteria, and
 * DestinationConfig.OnFailure to a queue of the template).
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { startSqsSource, startStreamSource, type EventSource, type FilterCriteria, type StreamEventSource, type StreamFailureInfo } from '../event-sources/index.js';
import type { LambdaRuntime } from '../lambda/index.js';
import type { CreatedQueue, CreatedTable } from '../services/index.js';
import type { DynamoDbEvent, FunctionModel, SqsEvent, TemplateModel } from '../template/index.js';
import type { Clients } from './services.js';

/** A function's concurrency when the template reserves none (the local Lambda runtime's default). */
const DEFAULT_FUNCTION_CONCURRENCY = 10;

export interface EventSourceContext {
  runtime: LambdaRuntime;
  /** Ids of the functions the runtime runs. */
  functions: Set<string>;
  clients: Clients;
  region: string;
  queues: Record<string, CreatedQueue>;
  tables: Record<string, CreatedTable>;
  log(line: string): void;
}

export interface RunningEventSources {
  /** Resolves once every stream mapping reads its shards (with LATEST, later records are delivered). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startEventSources(model: TemplateModel, ctx: EventSourceContext, warnings: string[]): RunningEventSources {
  const sources: EventSource[] = [];
  const readiness: Array<Promise<void>> = [];
  for (const fn of model.functions) {
    if (!ctx.functions.has(fn.logicalId)) continue;
    for (const event of fn.events) {
      const where = `${fn.logicalId} event ${event.name}`;
      if (event.type === 'HttpApi' || event.type === 'Schedule') continue; // served by the HTTP API, run by schedules.ts
      if (event.type === 'SQS' || event.type === 'DynamoDB') {
        if (!event.enabled) continue;
        let source: EventSource | string;
        try {
          source = event.type === 'SQS' ? sqsSource(fn, event, ctx, where) : streamSource(model, fn, event, ctx, where);
        } catch (error) {
          source = error instanceof Error ? error.message : String(error); // e.g. a filter pattern it cannot read
        }
        if (typeof source === 'string') {
          warnings.push(`${where}: ${source}: not polled locally`);
          continue;
        }
        sources.push(source);
        if (isStreamSource(source)) readiness.push(source.ready());
      } else {
        warnings.push(`${where}: ${event.sourceType} events are not emulated: not run locally`);
      }
    }
  }
  return {
    ready: Promise.all(readiness).then(() => undefined),
    stop: async () => void (await Promise.allSettled(sources.map((source) => source.stop()))),
  };
}

function sqsSource(fn: FunctionModel, event: SqsEvent, ctx: EventSourceContext, where: string): EventSource | string {
  const queue = event.queue ? ctx.queues[event.queue] : undefined;
  if (!queue) return `its queue ${event.queueArn} is not a queue of this template`;
  // Never more pollers than the function may run at once (it would only throttle them).
  const concurrency = Math.min(event.maximumConcurrency ?? Number.POSITIVE_INFINITY, fn.reservedConcurrency ?? DEFAULT_FUNCTION_CONCURRENCY);
  const filterCriteria = filterCriteriaOf(event.properties.FilterCriteria);
  return startSqsSource({
    sqs: ctx.clients.sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: ctx.region,
    batchSize: event.batchSize,
    maximumBatchingWindowInSeconds: event.maximumBatchingWindowInSeconds,
    reportBatchItemFailures: event.reportBatchItemFailures,
    ...(Number.isFinite(concurrency) ? { maximumConcurrency: concurrency } : {}),
    ...(filterCriteria ? { filterCriteria } : {}),
    invoke: (payload) => ctx.runtime.invoke(fn.logicalId, payload),
    log: (line) => ctx.log(`[${where}] ${line}`),
  });
}

function streamSource(model: TemplateModel, fn: FunctionModel, event: DynamoDbEvent, ctx: EventSourceContext, where: string): StreamEventSource | string {
  const table = event.table ? ctx.tables[event.table] : undefined;
  // The declared view: the local stream may show more (the replication of a global table needs new images).
  const viewType = model.tables.find((item) => item.logicalId === event.table)?.streamViewType;
  if (!table?.streamArn) return `its stream ${event.streamArn} is not the stream of a table of this template`;
  if (event.startingPosition !== 'LATEST' && event.startingPosition !== 'TRIM_HORIZON') return `StartingPosition ${event.startingPosition} is not supported`;
  const destination = event.onFailureQueue ? ctx.queues[event.onFailureQueue] : undefined;
  const filterCriteria = filterCriteriaOf(event.properties.FilterCriteria);
  const streamArn = table.streamArn;
  return startStreamSource({
    streams: ctx.clients.streams,
    streamArn,
    region: ctx.region,
    startingPosition: event.startingPosition,
    batchSize: event.batchSize,
    ...(event.maximumRetryAttempts === undefined ? {} : { maximumRetryAttempts: event.maximumRetryAttempts }),
    bisectBatchOnFunctionError: event.bisectBatchOnFunctionError,
    reportBatchItemFailures: event.reportBatchItemFailures,
    ...(filterCriteria ? { filterCriteria } : {}),
    ...(viewType ? { streamViewType: viewType } : {}),
    ...(destination
      ? { onFailure: async (info: StreamFailureInfo) => void (await ctx.clients.sqs.send(new SendMessageCommand({ QueueUrl: destination.url, MessageBody: JSON.stringify(failureRecord(fn, streamArn, info)) }))) }
      : {}),
    invoke: (payload) => ctx.runtime.invoke(fn.logicalId, payload),
    log: (line) => ctx.log(`[${where}] ${line}`),
  });
}

function isStreamSource(source: EventSource): source is StreamEventSource {
  return typeof (source as Partial<StreamEventSource>).ready === 'function';
}

function filterCriteriaOf(value: unknown): FilterCriteria | undefined {
  const filters = (value as { Filters?: unknown } | undefined)?.Filters;
  return Array.isArray(filters) && filters.length > 0 ? { Filters: filters as FilterCriteria['Filters'] } : undefined;
}

/** What Lambda sends to a stream mapping's on-failure destination: a description of the batch, not its records. */
export function failureRecord(fn: FunctionModel, streamArn: string, info: StreamFailureInfo): Record<string, unknown> {
  return {
    requestContext: { requestId: randomUUID(), functionArn: fn.arn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: info.retryAttempts + 1 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: info.shardId,
      startSequenceNumber: info.startSequenceNumber,
      endSequenceNumber: info.endSequenceNumber,
      batchSize: info.batch.length,
      streamArn,
    },
  };
}

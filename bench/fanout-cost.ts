/**
 * Fan-out cost accounting: what one publish to a room of N subscribers costs in requests,
 * measured with the real publish and deliver handlers against DynamoDB Local and the SQS
 * emulator.
 *
 * - The room's subscribers are subscription rows written straight into the connections
 *   table (the same rows `subscribe` writes), so that a room of 100,000 needs no sockets.
 * - DynamoDB and SQS sit behind metering proxies: every request the handlers (and the
 *   event source loop) make is counted at the service, with DynamoDB's consumed capacity.
 * - PostToConnection goes to a post counter that answers 200 to every post; each subscriber
 *   must have exactly one post (checked).
 * - The rows are laid out as `subscribe` would have laid them one by one (generations of
 *   partitions, their counts and the room's shape: model/room-partitions.ts).
 * - The handlers run in this process on the local stack (local/stack/); its loops stand in
 *   for the SQS event sources: receive up to 10 tasks or jobs (the template's BatchSize),
 *   invoke the plan or deliver function, delete what succeeded. The plan queue is drained
 *   first by PLANNERS loops side by side (planning time: from the publish to the last
 *   delivery job enqueued), then the delivery queue.
 * - Publish latency: `latencyPublishes` more publishes to the same room, answered one after
 *   the other; their fan-outs are discarded unplanned (a publish does not wait for them).
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { layoutOf, layoutRows, loadConfig, partitionCount, subscriptionRow } from '@roomcast/core';
import { newId, startDynamoDbLocal, startSqsEmulator, type RunningService } from '@roomcast/local';
import { callHttp, drainQueue, httpApiEvent, LOCAL_CREDENTIALS, REGION, startStackOn, type LambdaHandler, type ServiceEndpoints, type Stack } from '@roomcast/local/stack';
import type { FanoutCost } from '../models/fanout-measurement.js';
import { TEMPLATE_FILE } from '../models/template-facts.js';
import { startMeteringProxy, type Meter, type MeteringProxy } from './metering-proxy.js';
import { startPostCounter, type PostCounter } from './post-counter.js';
import { percentile } from './stats.js';

export type { FanoutCost } from '../models/fanout-measurement.js';

export interface FanoutCostOptions {
  /** Subscribers of the room, one measurement each, in this order. */
  sizes: readonly number[];
  /** Bytes of the published `data` (a JSON string of that length). Default 256. */
  messageBytes?: number;
  /** Publishes per size timed for the publish latency's percentiles. Default 20. */
  latencyPublishes?: number;
  /** Environment overrides for the functions (PLAN_INLINE_PARTITIONS=0 plans every room through planners). */
  env?: Record<string, string>;
  /** Running DynamoDB Local and SQS emulator; default: start both, and stop them at the end. */
  services?: ServiceEndpoints;
  progress?: (line: string) => void;
}

const SEED_CONCURRENCY = 8;
const PUBLISH_ROUTE = 'POST /rooms/{room}/messages';
const PLANNERS = 4;

export async function measureFanoutCost(options: FanoutCostOptions): Promise<FanoutCost[]> {
  const progress = options.progress ?? (() => undefined);
  const messageBytes = options.messageBytes ?? 256;
  const own: RunningService[] = [];
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    const services = options.services ?? (await startServices(own));
    const dynamoMeter = await startMeteringProxy('dynamodb', services.dynamodb);
    const sqsMeter = await startMeteringProxy('sqs', services.sqs);
    const counter = await startPostCounter();
    opened.push(dynamoMeter, sqsMeter, counter);
    // One deliver instance posts here, unpaced (POST_QUOTA_PER_SECOND 0): what it costs, not
    // how the account's quota spreads over instances (that is the makespan model's part).
    const stack = await startStackOn({ dynamodb: dynamoMeter.endpoint, sqs: sqsMeter.endpoint }, { template: TEMPLATE_FILE, env: { CONNECTIONS_ENDPOINT: counter.endpoint, POST_QUOTA_PER_SECOND: '0', ...options.env } });
    opened.push({ close: () => stack.stop() });
    const rig = await rigFor(stack, services, { dynamoMeter, sqsMeter, counter });
    opened.push(rig);
    progress('warming up the handlers');
    await rig.measure('bench:warmup', await rig.seed('bench:warmup', 1), messageBytes, 1);
    const results: FanoutCost[] = [];
    for (const size of options.sizes) {
      const room = `bench:fanout:${size}`;
      progress(`${size} subscribers: writing their subscription rows`);
      const ids = await rig.seed(room, size);
      progress(`${size} subscribers: publishing one message and delivering it`);
      results.push(await rig.measure(room, ids, messageBytes, options.latencyPublishes ?? 20));
    }
    return results;
  } finally {
    for (const item of opened.reverse()) await item.close().catch(() => undefined);
    await Promise.allSettled(own.map((service) => service.stop()));
  }
}

async function startServices(own: RunningService[]): Promise<ServiceEndpoints> {
  const [dynamo, sqs] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  own.push(dynamo, sqs);
  return { dynamodb: dynamo.endpoint, sqs: sqs.endpoint };
}

interface Meters {
  dynamoMeter: MeteringProxy;
  sqsMeter: MeteringProxy;
  counter: PostCounter;
}

async function rigFor(stack: Stack, services: ServiceEndpoints, meters: Meters) {
  const [publish, plan, deliver] = await Promise.all([stack.handler('publish'), stack.handler('plan'), stack.handler('deliver')]);
  const table = stack.tables.ConnectionsTable?.name;
  if (!table) throw new Error('the stack has no ConnectionsTable');
  // The publish function's own settings, read as it reads them.
  const { deliveryShards: base, roomPartitionRows: partitionRows, planInlinePartitions: inlinePartitions } = loadConfig(stack.functionEnv('publish'));
  const shapes = new Map<string, { partitions: number; generations: number }>();
  // Rows go straight to DynamoDB, around the meter: writing them is not part of a publish.
  const direct = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: services.dynamodb, region: REGION, credentials: LOCAL_CREDENTIALS }));
  const publishOnce = async (room: string, messageBytes: number): Promise<number> => {
    const started = performance.now();
    const { statusCode, body } = await callHttp(publish, httpApiEvent(stack.model, PUBLISH_ROUTE, { pathParameters: { room }, body: { data: 'x'.repeat(Math.max(0, messageBytes - 2)) } }));
    if (statusCode !== 202) throw new Error(`publish answered ${statusCode}: ${JSON.stringify(body)}`);
    return performance.now() - started;
  };

  return {
    close: async () => direct.destroy(),

    async seed(room: string, count: number): Promise<string[]> {
      const ids = Array.from({ length: count }, () => newId());
      const expiresAt = Math.floor(Date.now() / 1000) + 3600;
      const layout = layoutOf(ids, base, partitionRows);
      shapes.set(room, { partitions: partitionCount(layout.shape), generations: layout.shape.generation + 1 });
      const items = [...ids.map((id, index) => subscriptionRow(room, id, expiresAt, layout.partitions[index]!)), ...layoutRows(room, layout.shape, layout.rows)];
      const batches = chunk(items, 25);
      let next = 0;
      const writer = async (): Promise<void> => {
        for (let batch = batches[next++]; batch; batch = batches[next++]) {
          let pending: unknown[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
          while (pending && pending.length > 0) {
            const answer: { UnprocessedItems?: Record<string, unknown[]> } = await direct.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
            pending = answer.UnprocessedItems?.[table];
          }
        }
      };
      await Promise.all(Array.from({ length: SEED_CONCURRENCY }, writer));
      return ids;
    },

    async measure(room: string, ids: readonly string[], messageBytes: number, latencyPublishes: number): Promise<FanoutCost> {
      const latencies: number[] = [];
      for (let index = 0; index < latencyPublishes; index += 1) latencies.push(await publishOnce(room, messageBytes));
      const discard: LambdaHandler = async () => ({ batchItemFailures: [] });
      await drainQueue(stack, 'PlanQueue', discard, { timeoutMs: 60_000 });
      await drainQueue(stack, 'DeliveryQueue', discard, { timeoutMs: 60_000 });
      meters.dynamoMeter.reset();
      meters.sqsMeter.reset();
      await meters.counter.reset();
      const started = performance.now();
      const publishMs = await publishOnce(room, messageBytes);
      const planner = timed(plan);
      // As the template's queue: a planner is not handed the same task again while it works on it.
      await drainQueue(stack, 'PlanQueue', planner.handler, { timeoutMs: Math.max(60_000, ids.length * 2), workers: PLANNERS, visibilityTimeout: 180 });
      const planningMs = planner.invocations > 0 ? planner.lastEndedAt - started : publishMs;
      const delivering = timed(deliver);
      await drainQueue(stack, 'DeliveryQueue', delivering.handler, { timeoutMs: Math.max(60_000, ids.length * 5), visibilityTimeout: 180 });
      const shape = shapes.get(room) ?? { partitions: base, generations: 1 };
      return {
        subscribers: ids.length,
        messageBytes,
        ...tally(ids, await meters.counter.counts()),
        ...metered(meters.dynamoMeter.meter(), meters.sqsMeter.meter()),
        lambda: { publishInvocations: 1, planInvocations: planner.invocations, planTasks: planner.jobs, deliverInvocations: delivering.invocations, jobs: delivering.jobs },
        room: { ...shape, inline: shape.partitions <= inlinePartitions },
        local: { publishMs, publishLatency: percentiles(latencies.length > 0 ? latencies : [publishMs]), planningMs, deliverMs: delivering.wallMs, deliverCpuMs: delivering.cpuMs },
      };
    },
  };
}

function percentiles(values: readonly number[]): { p50: number; p99: number; max: number; count: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1)!, count: sorted.length };
}

/** A handler, with its invocations, records, wall-clock and CPU time counted (CPU: of this process, so of overlapping invocations together). */
function timed(fn: LambdaHandler) {
  const totals = { invocations: 0, jobs: 0, wallMs: 0, cpuMs: 0, lastEndedAt: 0 };
  const handler: LambdaHandler = async (event, context) => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await fn(event, context);
    } finally {
      const used = process.cpuUsage(cpu);
      totals.cpuMs += (used.user + used.system) / 1000;
      totals.lastEndedAt = performance.now();
      totals.wallMs += totals.lastEndedAt - wall;
      totals.invocations += 1;
      totals.jobs += (event as { Records: unknown[] }).Records.length;
    }
  };
  return Object.assign(totals, { handler });
}

function tally(ids: readonly string[], counts: Record<string, number>) {
  const room = new Set(ids);
  let posts = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [id, count] of Object.entries(counts)) {
    posts += count;
    if (!room.has(id)) unexpected += count;
    else if (count > 1) duplicated += 1;
  }
  const missed = ids.filter((id) => !(id in counts)).length;
  return { posts, postsMinimum: ids.length, missed, duplicated, unexpected };
}

const HARNESS_ONLY = new Set(['GetQueueAttributes']);

function metered(dynamo: Meter, sqs: Meter): Pick<FanoutCost, 'dynamo' | 'sqs'> {
  const billed = Object.fromEntries(Object.entries(sqs.billedRequests).filter(([operation]) => !HARNESS_ONLY.has(operation)));
  return {
    dynamo: { readUnits: dynamo.readUnits, writeUnits: dynamo.writeUnits, requests: dynamo.requests },
    sqs: { requests: sqs.requests, billed, emptyReceives: sqs.emptyReceives },
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

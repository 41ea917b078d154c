/**
 * What one publish and one client connection use of each billed AWS resource (pure). The
 * request counts follow the code: publish (a transaction of 3 and a write, the room's shape,
 * then a Query per partition and a SendMessageBatch per 10 full jobs, inside the publish for a
 * small room and by planners for a large one), deliver (one post per subscriber), subscribe,
 * connect, disconnect, ping.
 * Lambda durations come from MODEL_INPUTS (assumed latencies, measured CPU per post).
 */
import { DEFAULT_HEARTBEAT_MS, DEFAULT_REFRESH } from '../client/sdk/client.js';
import { encodeJob } from '../layers/core/src/model/delivery-job.js';
import { LIMITS } from '../layers/core/src/model/limits.js';
import { PLANNER_FANOUT, PUBLISH_FANOUT } from '../layers/core/src/app/plan.js';
import { splitRange } from '../layers/core/src/model/plan-task.js';
import { generationPartitions, lastGeneration } from '../layers/core/src/model/room-partitions.js';
import type { StoredMessage } from '../layers/core/src/model/message.js';
import { messageFrame, pongFrame, subscribedFrame } from '../layers/core/src/protocol/server-frames.js';
import { AWS_LIMITS } from './aws-limits.js';
import type { ModelInputs } from './assumptions.js';
import { SAMPLE_CONNECTION_ID, frameBytes, messageItemBytes, queryPages, queryReadUnits, sampleMessage, snapshotFrameSizes, subscriptionRowBytes, writeUnits } from './item-sizes.js';
import { FUNCTIONS, type FunctionName, type TemplateFacts } from './template-facts.js';

export interface Usage {
  apiGatewayMessages: number;
  apiGatewayConnectionMinutes: number;
  httpApiRequests: number;
  lambda: Record<FunctionName, { requests: number; gbSeconds: number }>;
  /** Billed SQS requests: 64 KB chunks. */
  sqsRequests: number;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  dataTransferOutBytes: number;
  /** AppSync Events operations for the same traffic. */
  appsyncOperations: number;
}

export interface Setup {
  facts: TemplateFacts;
  inputs: ModelInputs;
}

/** API Gateway meters WebSocket messages in 32 KB increments; SQS payloads in 64 KB chunks. */
export const MESSAGE_METER_BYTES = 32 * 1024;
const SQS_CHUNK_BYTES = 64 * 1024;
const SQS_BATCH_ENTRIES = LIMITS.sqsBatchEntries;
export const HEARTBEAT_MINUTES = DEFAULT_HEARTBEAT_MS / 60_000;
/** How long a client keeps a connection: the SDK reconnects at a random time in DEFAULT_REFRESH. */
export const LIFETIME_MINUTES = (DEFAULT_REFRESH.minMs + DEFAULT_REFRESH.maxMs) / 2 / 60_000;

export function emptyUsage(): Usage {
  return {
    apiGatewayMessages: 0,
    apiGatewayConnectionMinutes: 0,
    httpApiRequests: 0,
    lambda: Object.fromEntries(FUNCTIONS.map((name) => [name, { requests: 0, gbSeconds: 0 }])) as Usage['lambda'],
    sqsRequests: 0,
    dynamoReadUnits: 0,
    dynamoWriteUnits: 0,
    dataTransferOutBytes: 0,
    appsyncOperations: 0,
  };
}

/** `a + b × times`. */
export function addUsage(a: Usage, b: Usage, times = 1): Usage {
  const sum = emptyUsage();
  for (const key of Object.keys(sum) as Array<keyof Usage>) {
    if (key === 'lambda') continue;
    sum[key] = a[key] + b[key] * times;
  }
  for (const name of FUNCTIONS) {
    sum.lambda[name] = { requests: a.lambda[name].requests + b.lambda[name].requests * times, gbSeconds: a.lambda[name].gbSeconds + b.lambda[name].gbSeconds * times };
  }
  return sum;
}

/** One invocation of `name` lasting `ms` (billed per whole millisecond). */
function invoke(usage: Usage, setup: Setup, name: FunctionName, ms: number, count = 1): void {
  usage.lambda[name].requests += count;
  usage.lambda[name].gbSeconds += count * (Math.ceil(ms) / 1000) * (setup.facts.memoryMb[name] / 1024);
}

/**
 * A room's rows per partition, in the order plan tasks index them: each generation filled
 * evenly (as the hash spreads rows on average) to RoomPartitionRows before the next opens;
 * the last generation takes the rest. Hashing opens a generation a little earlier, when its
 * first partition is full; the partition count is the same but at the edges.
 */
export function roomLayout(subscribers: number, base: number, partitionRows: number): number[] {
  const rows: number[] = [];
  let left = subscribers;
  for (let generation = 0; ; generation += 1) {
    const count = generationPartitions(base, generation);
    const last = generation >= lastGeneration(base) || left <= count * partitionRows;
    const here = last ? left : count * partitionRows;
    for (let index = 0; index < count; index += 1) rows.push(Math.floor(here / count) + (index < here % count ? 1 : 0));
    left -= here;
    if (last) return rows;
  }
}

/** One planned piece of a fan-out: the partitions a publish (inline) or a leaf plan task reads, and the jobs it sends. */
interface Segment {
  rows: number[];
  jobs: number;
  sends: number;
}

/**
 * How a room's fan-out is planned (layers/core/src/app/plan.ts): its partitions, and either
 * one segment read inside the publish (a room of at most `planInlinePartitions`) or plan
 * tasks: at most 10 from the publish, split by planners into at most 50 each until a task
 * spans a segment. `splitSends`: SendMessageBatch calls of tasks handing on children.
 */
export function fanoutPlan(subscribers: number, dataBytes: number, facts: TemplateFacts) {
  const message = sampleMessage(dataBytes);
  const rowBytes = subscriptionRowBytes(message.room, facts.shards);
  const layout = roomLayout(subscribers, facts.shards, facts.roomPartitionRows);
  const segment = (from: number, to: number): Segment => {
    const rows = layout.slice(from, to);
    const jobs = Math.ceil(rows.reduce((sum, count) => sum + count, 0) / facts.jobSize);
    return { rows, jobs, sends: Math.ceil(jobs / SQS_BATCH_ENTRIES) };
  };
  const inline = layout.length <= facts.planInlinePartitions;
  const leaves: Segment[] = [];
  let tasks = 0;
  let splitSends = 0;
  const walk = (from: number, to: number): void => {
    tasks += 1;
    const ranges = splitRange(from, to, facts.planSegmentPartitions, PLANNER_FANOUT);
    if (ranges.length === 1) return void leaves.push(segment(from, to));
    splitSends += Math.ceil(ranges.length / SQS_BATCH_ENTRIES);
    for (const [start, end] of ranges) walk(start, end);
  };
  if (!inline) for (const [from, to] of splitRange(0, layout.length, facts.planSegmentPartitions, PUBLISH_FANOUT)) walk(from, to);
  const jobs = Math.ceil(subscribers / facts.jobSize);
  const ids = Array.from({ length: facts.jobSize }, () => SAMPLE_CONNECTION_ID);
  const jobBytes = Buffer.byteLength(encodeJob({ v: 1, room: message.room, id: message.id, pos: message.pos, ts: message.ts, frame: messageFrame(message), connections: ids, attempt: 0 }));
  return { message, rowBytes, partitions: layout.length, inline, segments: inline ? [segment(0, layout.length)] : leaves, tasks, splitSends, jobs, jobBytes, invocations: Math.ceil(jobs / facts.batchSize) };
}

/** Milliseconds of one deliver invocation posting `posts` frames: network-bound or CPU-bound. */
export function deliverInvocationMs(posts: number, setup: Setup): number {
  const { facts, inputs } = setup;
  // Its jobs share POST_CONCURRENCY posts in flight.
  const rounds = Math.ceil(posts / facts.postConcurrency);
  const vcpu = Math.min(1, facts.memoryMb.deliver / AWS_LIMITS.lambdaMbPerVcpu.value);
  return inputs.invocationOverheadMs + Math.max(rounds * inputs.postToConnectionMs, (posts * inputs.postCpuMs) / vcpu);
}

/** Write units of one publish as DynamoDB Local counts them: the transaction (billed double) of 3 items and the planned mark. */
export function storedWriteUnits(message: StoredMessage): number {
  return 2 * (2 + writeUnits(messageItemBytes(message))) + 1;
}

/** Write units AWS bills for the byOrigin index's copy of the message (MODEL_INPUTS.indexCopyWriteFactor). */
export function indexWriteUnits(message: StoredMessage, inputs: ModelInputs): number {
  return inputs.indexCopyWriteFactor * writeUnits(messageItemBytes(message));
}

/** One publish to a room of `subscribers`, its planning (inside the publish, or by planners) and its delivery. */
export function publishUsage(subscribers: number, dataBytes: number, setup: Setup): Usage {
  const { facts, inputs } = setup;
  const plan = fanoutPlan(subscribers, dataBytes, facts);
  const frame = frameBytes(plan.message);
  const usage = emptyUsage();
  usage.apiGatewayMessages = subscribers * Math.ceil(frame / MESSAGE_METER_BYTES);
  usage.dataTransferOutBytes = subscribers * frame;
  usage.httpApiRequests = 1;
  usage.appsyncOperations = 1 + subscribers;
  // One transaction (billed double) of the region's counter, the publish record and the
  // message, and the planned mark (a small item), as DynamoDB Local counts them; and the
  // byOrigin index's copy of the message, which AWS bills and DynamoDB Local does not.
  usage.dynamoWriteUnits = storedWriteUnits(plan.message) + indexWriteUnits(plan.message, inputs);
  // The room's shape (a strongly consistent GetItem of a small item), then a strongly
  // consistent Query per partition, page by page (at least one unit, also when empty).
  usage.dynamoReadUnits = 1 + plan.segments.reduce((sum, segment) => sum + segment.rows.reduce((units, rows) => units + queryReadUnits(rows, plan.rowBytes), 0), 0);
  const batchChunks = Math.ceil((Math.min(SQS_BATCH_ENTRIES, plan.jobs) * plan.jobBytes) / SQS_CHUNK_BYTES);
  const receiveChunks = Math.ceil((Math.min(facts.batchSize, plan.jobs) * plan.jobBytes) / SQS_CHUNK_BYTES);
  const jobSends = plan.segments.reduce((sum, segment) => sum + segment.sends, 0);
  // Plan tasks carry the frame and no connections: a batch of 10 fits one 64 KB chunk for small messages.
  const taskChunks = Math.ceil((SQS_BATCH_ENTRIES * (Buffer.byteLength(messageFrame(plan.message)) + 200)) / SQS_CHUNK_BYTES);
  const planInvocations = Math.ceil(plan.tasks / facts.planBatchSize);
  const taskSends = plan.inline ? 0 : 1 + plan.splitSends;
  usage.sqsRequests = jobSends * batchChunks + plan.invocations * (receiveChunks + 1) + taskSends * taskChunks + planInvocations * (taskChunks + 1);
  // A segment's partitions are read in parallel; its SendMessageBatch calls go out as the pool fills.
  const segmentMs = (segment: Segment): number => Math.max(0, ...segment.rows.map((rows) => queryPages(rows, plan.rowBytes) * inputs.dynamoRequestMs)) + segment.sends * inputs.sqsRequestMs;
  // counter read, the transaction, the shape read, the planned mark; then the inline segment or one SendMessageBatch of tasks.
  invoke(usage, setup, 'publish', inputs.invocationOverheadMs + 4 * inputs.dynamoRequestMs + (plan.inline ? segmentMs(plan.segments[0]!) : inputs.sqsRequestMs));
  if (planInvocations > 0) {
    // The tasks of an invocation run side by side: about as long as its slowest leaf.
    const leafMs = Math.max(...plan.segments.map(segmentMs));
    invoke(usage, setup, 'plan', inputs.invocationOverheadMs + leafMs, planInvocations);
  }
  if (plan.invocations > 0) invoke(usage, setup, 'deliver', deliverInvocationMs(subscribers / plan.invocations, setup), plan.invocations);
  return usage;
}

export interface ConnectionLifetime {
  /** Connection minutes: how long it lasts. */
  minutes: number;
  /** Rooms it subscribes to (one subscribe frame). */
  rooms: number;
  /** Messages of each room's snapshot. */
  snapshot: number;
  dataBytes: number;
}

/** One client connection, from `$connect` to `$disconnect`: subscribe once, ping when idle. */
export function connectionUsage(connection: ConnectionLifetime, setup: Setup): Usage {
  const { inputs } = setup;
  const message = sampleMessage(connection.dataBytes);
  const snapshotFrames = snapshotFrameSizes(message, connection.snapshot);
  const pings = Math.floor(connection.minutes / HEARTBEAT_MINUTES);
  const subscribedBytes = Buffer.byteLength(subscribedFrame(Array.from({ length: connection.rooms }, () => message.room)));
  const pongBytes = Buffer.byteLength(pongFrame());
  const usage = emptyUsage();
  usage.apiGatewayConnectionMinutes = connection.minutes;
  // subscribe in, subscribed out, the snapshot frames out, and a ping in and a pong out per idle heartbeat.
  usage.apiGatewayMessages = 2 + connection.rooms * snapshotFrames.reduce((sum, bytes) => sum + Math.ceil(bytes / MESSAGE_METER_BYTES), 0) + 2 * pings;
  usage.dataTransferOutBytes = subscribedBytes + connection.rooms * snapshotFrames.reduce((sum, bytes) => sum + bytes, 0) + pings * pongBytes;
  usage.appsyncOperations = 1 + connection.rooms;
  const snapshotUnits = connection.snapshot > 0 ? queryReadUnits(connection.snapshot, messageItemBytes(message)) : 0;
  // connect: the connection row, and its entry in the keys-only index of session ends
  // (bySessionEnd, what the session sweep reads); subscribe: get the connection, add the
  // rooms, write the rows and count them in their partitions, read the snapshots (the rooms'
  // shapes come from the instance's cache); disconnect: get, delete the rows and count them
  // out, delete the connection row and its index entry.
  usage.dynamoReadUnits = 1 + connection.rooms * snapshotUnits + 1;
  usage.dynamoWriteUnits = 2 + (1 + 2 * connection.rooms) + (2 * connection.rooms + 2);
  invoke(usage, setup, 'authorize', inputs.invocationOverheadMs);
  invoke(usage, setup, 'connect', inputs.invocationOverheadMs + inputs.dynamoRequestMs);
  invoke(usage, setup, 'subscribe', inputs.invocationOverheadMs + 4 * inputs.dynamoRequestMs + (1 + connection.rooms) * inputs.postToConnectionMs);
  invoke(usage, setup, 'disconnect', inputs.invocationOverheadMs + 3 * inputs.dynamoRequestMs);
  invoke(usage, setup, 'default', inputs.invocationOverheadMs, pings);
  return usage;
}

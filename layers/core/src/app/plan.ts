import type { App } from './context.js';
import { isConflated } from '../model/conflation.js';
import { planJobs } from '../model/fanout.js';
import { LIMITS } from '../model/limits.js';
import type { StoredMessage } from '../model/message.js';
import { segmentOf, splitRange, type PlanTask } from '../model/plan-task.js';
import { partitionCount, partitionsOf, type Partition } from '../model/room-partitions.js';
import { messageFrame } from '../protocol/server-frames.js';

export interface PlanResult {
  /** Connections whose delivery jobs were enqueued here. */
  connections: number;
  jobs: number;
  /** Plan tasks handed to planners. */
  tasks: number;
  /** SendMessageBatch requests. */
  requests: number;
}

/** Plan tasks one publish hands to planners at most: one SendMessageBatch. */
export const PUBLISH_FANOUT = LIMITS.sqsBatchEntries;
/** Plan tasks one planner splits a task into at most. */
export const PLANNER_FANOUT = 50;
/** SendMessageBatch calls of delivery jobs one segment keeps in flight at most. */
export const SENDS_IN_FLIGHT = 16;

/**
 * Plan the delivery of one stored message in this region, for a local publish and for a
 * message replicated from another region alike. The room's shape (read strongly
 * consistent, after the message was stored) says which partitions hold its subscribers.
 * A small room is planned here and now; a larger one is handed to planners as at most 10
 * plan tasks, so that the caller waits the same for a room of 10 and of 10 million.
 */
export async function planFanOut(app: App, message: StoredMessage): Promise<PlanResult> {
  const shape = await app.connections.partitions.shape(message.room);
  const task: PlanTask = {
    v: 1,
    room: message.room,
    id: message.id,
    pos: message.pos,
    ts: message.ts,
    frame: messageFrame(message),
    base: shape.base,
    generation: shape.generation,
    from: 0,
    to: partitionCount(shape),
    ...(isConflated(app.config.conflateRooms, message.room) ? { conflate: true as const } : {}),
  };
  const inline = !app.plans.configured || task.to <= app.config.planInlinePartitions;
  const result = inline ? await planSegment(app, task) : await handOff(app, task, splitRange(task.from, task.to, app.config.planSegmentPartitions, PUBLISH_FANOUT));
  app.logger.debug('fan-out planned', { room: message.room, messageId: message.id, inline, ...result });
  return result;
}

/**
 * A planner's task: split it into smaller tasks while it spans more than a segment, else
 * read its partitions and enqueue their delivery jobs. `retried`: SQS has handed this task
 * out before (a planner crashed or timed out on it); it is planned again from the start, and
 * the jobs enqueued twice are counted.
 */
export async function planTask(app: App, task: PlanTask, retried = false): Promise<PlanResult> {
  if (retried) app.metrics.count('PlanRetried');
  const ranges = splitRange(task.from, task.to, app.config.planSegmentPartitions, PLANNER_FANOUT);
  const result = ranges.length > 1 && app.plans.configured ? await handOff(app, task, ranges) : await planSegment(app, task);
  app.metrics.count('PlanTasks');
  return result;
}

async function handOff(app: App, task: PlanTask, ranges: Array<[number, number]>): Promise<PlanResult> {
  const tasks = ranges.map(([from, to]) => ({ ...task, from, to }));
  const { requests } = await app.plans.send(tasks);
  app.metrics.count('PlanTasksEnqueued', tasks.length);
  return { connections: 0, jobs: 0, tasks: tasks.length, requests };
}

/**
 * Read the task's partitions in parallel, pooling their connections, and enqueue delivery
 * jobs a SendMessageBatch at a time as the pool fills (what is left at the end goes last).
 * A small room thus costs one job and one SQS request, however many partitions it spans.
 * A conflated room then records that this segment has been planned up to this message.
 */
async function planSegment(app: App, task: PlanTask): Promise<PlanResult> {
  const result: PlanResult = { connections: 0, jobs: 0, tasks: 0, requests: 0 };
  const segment = segmentOf(task);
  const job = { room: task.room, id: task.id, pos: task.pos, ts: task.ts, frame: task.frame, ...(task.conflate ? { segment } : {}) };
  const perRequest = app.config.jobSize * LIMITS.sqsBatchEntries;
  const pool: string[] = [];
  const sends: Array<Promise<void>> = [];
  const enqueue = (connectionIds: string[]): void => {
    const jobs = planJobs(job, connectionIds, { jobSize: app.config.jobSize });
    result.jobs += jobs.length;
    const sent = app.queue.send(jobs).then(({ requests }) => void (result.requests += requests));
    sent.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    sends.push(sent);
  };
  const partitions: Partition[] = partitionsOf(task).slice(task.from, task.to);
  // A connection whose session ended (token expired, no refresh) gets nothing more: its row says so.
  const openAt = app.now();
  await Promise.all(
    partitions.map((partition) =>
      app.connections.partitions.forEachSubscriberPage(task.room, partition, async (connectionIds) => {
        result.connections += connectionIds.length;
        pool.push(...connectionIds);
        while (pool.length >= perRequest) enqueue(pool.splice(0, perRequest));
        // Keep at most a few requests in flight per partition: a big page must not flood SQS.
        if (sends.length >= SENDS_IN_FLIGHT) await Promise.all(sends.splice(0));
      }, openAt),
    ),
  );
  if (pool.length > 0) enqueue(pool.splice(0));
  await Promise.all(sends);
  if (task.conflate) await app.planned.mark(task.room, segment, task.pos);
  app.metrics.count('FanoutPlanned', result.connections);
  app.metrics.count('JobsEnqueued', result.jobs);
  return result;
}

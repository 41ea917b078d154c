/**
 * planFanOut and planTask (app/plan.ts) on the in-memory ports: small rooms planned inline,
 * large rooms handed to planners as tasks, tasks split into children or planned into
 * delivery jobs, and conflated rooms' planned positions.
 */
import { describe, expect, it } from 'vitest';
import { PLANNER_FANOUT, PUBLISH_FANOUT, planFanOut, planTask } from '../../layers/core/src/app/plan.js';
import type { DeliveryJob } from '../../layers/core/src/model/delivery-job.js';
import type { StoredMessage } from '../../layers/core/src/model/message.js';
import { segmentOf, type PlanTask } from '../../layers/core/src/model/plan-task.js';
import { encodePosition } from '../../layers/core/src/model/positions.js';
import { partitionCount, partitionOf, partitionsOf } from '../../layers/core/src/model/room-partitions.js';
import { messageFrame } from '../../layers/core/src/protocol/server-frames.js';
import { MemoryConnections } from '../support/fakes/memory-connections.js';
import { fakeApp, type FakeWorld } from '../support/fake-app.js';

const PLAN_QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/plan';

function message(room = 'lobby', seq = 1): StoredMessage {
  return { room, id: `m${seq}`, pos: encodePosition({ clock: 1000 + seq, origin: 'eu-west-1', seq }), ts: 1000 + seq, origin: 'eu-west-1', data: { seq } };
}

/** `count` connection ids: c001, c002, ... */
const ids = (count: number): string[] => Array.from({ length: count }, (_, index) => `c${String(index + 1).padStart(3, '0')}`);
const sorted = (list: readonly string[]): string[] => [...list].sort();
const connectionsOf = (jobs: readonly DeliveryJob[]): string[] => sorted(jobs.flatMap((job) => job.connections));
const jobsOf = (world: FakeWorld): DeliveryJob[] => world.queue.requests.flatMap((request) => request.items);
const tasksOf = (world: FakeWorld): PlanTask[] => world.plans.requests.flatMap((request) => request.items);

/** A room `lobby` of `count` subscribers on `shards` partitions of generation 0. */
function world(count: number, env: Record<string, string> = {}, shards = 2): FakeWorld {
  const made = fakeApp({ DELIVERY_SHARDS: String(shards), ...env });
  made.subscribers.set('lobby', ids(count));
  return made;
}

/** Run the planners: every task waiting on the plan queue, and the tasks they hand on, until none is left. */
async function drainPlans(made: FakeWorld): Promise<PlanTask[]> {
  const ran: PlanTask[] = [];
  for (let tasks = made.plans.receive(); tasks.length > 0; tasks = made.plans.receive()) {
    for (const task of tasks) {
      await planTask(made.app, task);
      ran.push(task);
    }
    made.plans.done(tasks);
  }
  return ran;
}

/** The ranges of `tasks` cover [from, to) once each: sorted, each starts where the last ended. */
function expectCover(tasks: readonly PlanTask[], from: number, to: number): void {
  const ranges = tasks.map((task) => [task.from, task.to] as const).sort((a, b) => a[0] - b[0]);
  expect(ranges[0]![0]).toBe(from);
  expect(ranges.at(-1)![1]).toBe(to);
  ranges.slice(1).forEach(([start], index) => expect(start).toBe(ranges[index]![1]));
  for (const [start, end] of ranges) expect(end).toBeGreaterThan(start);
}

describe('planFanOut: a small room, inline', () => {
  it('plans every subscriber into one job and one SQS request, with the message frame, and hands nothing to planners', async () => {
    const made = world(3);
    const stored = message();
    const result = await planFanOut(made.app, stored);
    expect(result).toEqual({ connections: 3, jobs: 1, tasks: 0, requests: 1 });
    const [job] = jobsOf(made);
    expect(job).toEqual({ v: 1, room: 'lobby', id: 'm1', pos: stored.pos, ts: stored.ts, frame: messageFrame(stored), connections: expect.any(Array), attempt: 0 });
    expect(sorted(job!.connections)).toEqual(ids(3));
    expect(made.plans.requests).toEqual([]);
    expect(made.counts.get('FanoutPlanned')).toBe(3);
    expect(made.counts.get('JobsEnqueued')).toBe(1);
  });

  it('enqueues nothing for a room without subscribers', async () => {
    const made = world(0);
    expect(await planFanOut(made.app, message())).toEqual({ connections: 0, jobs: 0, tasks: 0, requests: 0 });
    expect(made.queue.requests).toEqual([]);
    expect(made.counts.get('JobsEnqueued')).toBe(0);
  });

  it('cuts the subscribers into jobs of at most DELIVERY_JOB_SIZE, each subscriber in one job', async () => {
    const made = world(7, { DELIVERY_JOB_SIZE: '3' });
    const result = await planFanOut(made.app, message());
    const jobs = jobsOf(made);
    expect(result).toMatchObject({ connections: 7, jobs: 3, requests: 1 });
    expect(jobs.map((job) => job.connections.length).sort()).toEqual([1, 3, 3]);
    expect(connectionsOf(jobs)).toEqual(ids(7));
  });

  it('sends a SendMessageBatch each time the pooled connections fill one, and the rest last', async () => {
    // 2 connections a job, 10 jobs a request: 20 connections a request; 45 = 20 + 20 + 5.
    const made = fakeApp({ DELIVERY_SHARDS: '2', DELIVERY_JOB_SIZE: '2' });
    made.app.connections = new MemoryConnections(2, 1000);
    await subscribeAll(made, 'lobby', ids(45));
    const result = await planFanOut(made.app, message());
    expect(made.queue.requests.map((request) => request.items.length)).toEqual([10, 10, 3]);
    expect(result).toEqual({ connections: 45, jobs: 23, tasks: 0, requests: 3 });
    expect(connectionsOf(jobsOf(made))).toEqual(ids(45));
  });

  it('answers the SendMessageBatch requests the jobs took, also when large jobs take several a send', async () => {
    // Jobs of about 100 KiB: two fit a 256 KiB request, so 5 jobs take 3 requests.
    const made = world(5, { DELIVERY_JOB_SIZE: '1' });
    const result = await planFanOut(made.app, { ...message(), data: 'x'.repeat(100_000) });
    expect(result).toMatchObject({ connections: 5, jobs: 5, requests: 3 });
    expect(made.queue.requests).toHaveLength(3);
  });

  it('plans a room of more partitions inline too when the function has no plan queue', async () => {
    const made = world(40, {}, 16);
    expect(made.app.plans.configured).toBe(false);
    const result = await planFanOut(made.app, message());
    expect(result).toMatchObject({ connections: 40, tasks: 0 });
    expect(connectionsOf(jobsOf(made))).toEqual(ids(40));
  });
});

describe('planFanOut: a large room, handed to planners', () => {
  it('hands a room of more than PLAN_INLINE_PARTITIONS partitions to the plan queue as tasks covering it, and enqueues no job', async () => {
    const made = world(40, { PLAN_QUEUE_URL: PLAN_QUEUE }, 16);
    const stored = message();
    const result = await planFanOut(made.app, stored);
    const tasks = tasksOf(made);
    // 16 partitions in segments of 4: four tasks, in one SendMessageBatch.
    expect(result).toEqual({ connections: 0, jobs: 0, tasks: 4, requests: 1 });
    expect(tasks).toHaveLength(4);
    expectCover(tasks, 0, 16);
    for (const task of tasks) {
      expect(task).toMatchObject({ v: 1, room: 'lobby', id: 'm1', pos: stored.pos, ts: stored.ts, frame: messageFrame(stored), base: 16, generation: 0 });
      expect(task.to - task.from).toBe(4);
      expect(task.conflate).toBeUndefined();
    }
    expect(made.queue.requests).toEqual([]);
    expect(made.counts.get('PlanTasksEnqueued')).toBe(4);
  });

  it('answers the requests the tasks took, also when large tasks take several', async () => {
    const made = world(40, { PLAN_QUEUE_URL: PLAN_QUEUE }, 16);
    const result = await planFanOut(made.app, { ...message(), data: 'x'.repeat(100_000) });
    expect(result).toMatchObject({ tasks: 4, requests: 2 });
    expect(made.plans.requests).toHaveLength(2);
  });

  it('plans a room of exactly PLAN_INLINE_PARTITIONS partitions inline, even with a plan queue', async () => {
    const made = world(10, { PLAN_QUEUE_URL: PLAN_QUEUE, PLAN_INLINE_PARTITIONS: '4' }, 4);
    expect(await planFanOut(made.app, message())).toMatchObject({ connections: 10, tasks: 0 });
    expect(made.plans.requests).toEqual([]);
  });

  it('hands a publish at most one SendMessageBatch of tasks, however many segments the room has', async () => {
    const made = world(64, { PLAN_QUEUE_URL: PLAN_QUEUE, PLAN_SEGMENT_PARTITIONS: '1' }, 64);
    const result = await planFanOut(made.app, message());
    expect(result).toMatchObject({ tasks: PUBLISH_FANOUT, requests: 1 });
    expectCover(tasksOf(made), 0, 64);
  });

  it('reaches every subscriber once when the planners have run all the tasks', async () => {
    const made = world(120, { PLAN_QUEUE_URL: PLAN_QUEUE, PLAN_SEGMENT_PARTITIONS: '1' }, 64);
    await planFanOut(made.app, message());
    const ran = await drainPlans(made);
    expect(ran.length).toBeGreaterThan(PUBLISH_FANOUT);
    expect(connectionsOf(jobsOf(made))).toEqual(ids(120));
  });
});

describe('planTask', () => {
  it('splits a task larger than a segment into child tasks covering it, and plans no job', async () => {
    const made = world(40, { PLAN_QUEUE_URL: PLAN_QUEUE, PLAN_SEGMENT_PARTITIONS: '2' }, 16);
    const task = taskOf(16, 0, 16);
    const result = await planTask(made.app, task);
    const children = tasksOf(made);
    expect(result).toEqual({ connections: 0, jobs: 0, tasks: 8, requests: 1 });
    expect(children).toHaveLength(8);
    expectCover(children, 0, 16);
    for (const child of children) expect(child).toEqual({ ...task, from: child.from, to: child.from + 2 });
    expect(made.queue.requests).toEqual([]);
    expect(made.counts.get('PlanTasks')).toBe(1);
  });

  it('splits into at most PLANNER_FANOUT children', async () => {
    const made = world(0, { PLAN_QUEUE_URL: PLAN_QUEUE, PLAN_SEGMENT_PARTITIONS: '1' }, 64);
    const task = taskOf(64, 0, 64);
    expect((await planTask(made.app, task)).tasks).toBe(PLANNER_FANOUT);
    expectCover(tasksOf(made), 0, 64);
  });

  it('plans a task of one segment into the jobs of its partitions’ subscribers, and only theirs', async () => {
    const made = world(60, { PLAN_QUEUE_URL: PLAN_QUEUE }, 16);
    const task = taskOf(16, 4, 8);
    const result = await planTask(made.app, task);
    const inSegment = ids(60).filter((id) => {
      const { index } = partitionOf(id, 16, 0);
      return index >= 4 && index < 8;
    });
    expect(inSegment.length).toBeGreaterThan(0);
    expect(inSegment.length).toBeLessThan(60);
    expect(result).toMatchObject({ connections: inSegment.length, tasks: 0 });
    expect(connectionsOf(jobsOf(made))).toEqual(inSegment);
    expect(made.plans.requests).toEqual([]);
  });

  it('plans a larger task itself when the function has no plan queue to split it onto', async () => {
    const made = world(40, { PLAN_SEGMENT_PARTITIONS: '2' }, 16);
    expect(await planTask(made.app, taskOf(16, 0, 16))).toMatchObject({ connections: 40, tasks: 0 });
    expect(connectionsOf(jobsOf(made))).toEqual(ids(40));
    expect(made.plans.requests).toEqual([]);
  });

  it('counts a task SQS handed out before as retried, and plans it again from the start', async () => {
    const made = world(10, { PLAN_QUEUE_URL: PLAN_QUEUE }, 16);
    const task = taskOf(16, 0, 4);
    await planTask(made.app, task);
    expect(made.counts.get('PlanRetried')).toBeUndefined();
    await planTask(made.app, task, true);
    expect(made.counts.get('PlanRetried')).toBe(1);
    expect(made.counts.get('PlanTasks')).toBe(2);
    const [first, second] = made.queue.requests.map((request) => connectionsOf(request.items));
    expect(first!.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
  });

  it('reads the partitions of every generation of a room that grew, each subscriber once', async () => {
    const made = fakeApp({ DELIVERY_SHARDS: '2', PLAN_QUEUE_URL: PLAN_QUEUE, PLAN_INLINE_PARTITIONS: '2', PLAN_SEGMENT_PARTITIONS: '2' });
    const connections = new MemoryConnections(2, 3);
    made.app.connections = connections;
    await subscribeAll(made, 'lobby', ids(30));
    const shape = await connections.partitions.shape('lobby');
    expect(shape.generation).toBeGreaterThan(0);
    await planFanOut(made.app, message());
    const ran = await drainPlans(made);
    expect(ran.some((task) => partitionsOf(task).slice(task.from, task.to).some((partition) => partition.generation > 0))).toBe(true);
    expect(tasksOf(made).every((task) => task.generation === shape.generation)).toBe(true);
    expectCover(ran.filter((task) => task.to - task.from <= 2), 0, partitionCount(shape));
    expect(connectionsOf(jobsOf(made))).toEqual(ids(30));
  });
});

describe('conflated rooms', () => {
  it('marks each job with its segment and records the segment planned up to the message', async () => {
    const made = world(5, { CONFLATE_ROOMS: 'lob*' });
    const stored = message('lobby', 7);
    await planFanOut(made.app, stored);
    const segment = segmentOf({ generation: 0, from: 0, to: 2 });
    expect(jobsOf(made).every((job) => job.segment === segment)).toBe(true);
    expect(await made.planned.latest('lobby', segment)).toBe(stored.pos);
  });

  it('records each segment a planner plans, and hands the conflation on with the tasks', async () => {
    const made = world(40, { CONFLATE_ROOMS: 'lobby', PLAN_QUEUE_URL: PLAN_QUEUE }, 16);
    const stored = message();
    await planFanOut(made.app, stored);
    expect(tasksOf(made).every((task) => task.conflate === true)).toBe(true);
    const ran = await drainPlans(made);
    for (const task of ran) expect(await made.planned.latest('lobby', segmentOf(task))).toBe(stored.pos);
    for (const job of jobsOf(made)) expect(job.segment).toMatch(/^0:\d+-\d+$/);
  });

  it('neither marks jobs nor records positions for a room that is not conflated', async () => {
    const made = world(5, { CONFLATE_ROOMS: 'scores:*' });
    await planFanOut(made.app, message());
    expect(jobsOf(made).every((job) => job.segment === undefined)).toBe(true);
    expect(await made.planned.latest('lobby', segmentOf({ generation: 0, from: 0, to: 2 }))).toBeUndefined();
  });
});

/** A task of `message()` in `lobby` (generation 0 of `base` partitions) over [from, to). */
function taskOf(base: number, from: number, to: number): PlanTask {
  const stored = message();
  return { v: 1, room: stored.room, id: stored.id, pos: stored.pos, ts: stored.ts, frame: messageFrame(stored), base, generation: 0, from, to };
}

async function subscribeAll(made: FakeWorld, room: string, connectionIds: readonly string[]): Promise<void> {
  for (const connectionId of connectionIds) {
    await made.app.connections.put({ connectionId, principal: 'p', patterns: ['**'], connectedAt: 1, expiresAt: 2 });
    const connection = await made.app.connections.get(connectionId);
    await made.app.connections.subscribe(connection!, [room], 10);
  }
}

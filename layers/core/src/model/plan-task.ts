import { decodeBody, type QueuedMessage } from './queued-body.js';

/**
 * A plan task: plan the delivery of one message to the partitions [from, to) of its room
 * (indexes into `partitionsOf({ base, generation })`). It is the body of one SQS message on
 * the plan queue. A planner either splits it into smaller tasks or, once it spans at most a
 * segment, reads those partitions and enqueues their delivery jobs. Planning is at least
 * once: a task planned twice after a crash enqueues the same jobs twice, and the client SDK
 * drops the duplicates by id.
 */
export interface PlanTask extends QueuedMessage {
  /** The room's shape when planning began: DELIVERY_SHARDS and its newest generation. */
  base: number;
  generation: number;
  from: number;
  to: number;
  /** The room is conflated: its jobs may be skipped once a newer message is planned. */
  conflate?: true;
}

/** Split [from, to) into at most `fanout` near-equal ranges of at least `segment` partitions each (one range when it fits a segment). */
export function splitRange(from: number, to: number, segment: number, fanout: number): Array<[number, number]> {
  const span = to - from;
  if (span <= segment) return [[from, to]];
  const parts = Math.max(1, Math.min(fanout, Math.ceil(span / segment)));
  const ranges: Array<[number, number]> = [];
  for (let part = 0; part < parts; part += 1) {
    const start = from + Math.floor((span * part) / parts);
    const end = from + Math.floor((span * (part + 1)) / parts);
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}

/** The segment a leaf task covers, as delivery jobs name it: the same for every message while the room keeps its shape. */
export function segmentOf(task: Pick<PlanTask, 'generation' | 'from' | 'to'>): string {
  return `${task.generation}:${task.from}-${task.to}`;
}

export function encodeTask(task: PlanTask): string {
  return JSON.stringify(task);
}

/** Parse an SQS body into a plan task; anything else is a poison message. */
export function decodeTask(body: string): PlanTask {
  const whole = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
  return decodeBody<PlanTask>(
    body,
    'plan task',
    (task) =>
      whole(task.base) &&
      task.base > 0 &&
      whole(task.generation) &&
      whole(task.from) &&
      whole(task.to) &&
      task.to > task.from &&
      (task.conflate === undefined || task.conflate === true),
  );
}

import { RoomcastError } from '../errors.js';

/**
 * A delivery job: one message frame for a bounded set of connections.
 * It is the body of one SQS message on the delivery queue.
 */
export interface DeliveryJob {
  v: 1;
  room: string;
  id: string;
  pos: string;
  /** Publish time of the message, epoch ms (for delivery latency). */
  ts: number;
  /** The exact text frame to post. */
  frame: string;
  connections: string[];
  /** How many times this job's connections have already been tried and re-enqueued. */
  attempt: number;
  /** Conflated rooms only: the segment of the room it was planned for (model/conflation.ts). */
  segment?: string;
}

export function encodeJob(job: DeliveryJob): string {
  return JSON.stringify(job);
}

/** Parse an SQS body into a job; anything else is a poison message. */
export function decodeJob(body: string): DeliveryJob {
  let job: Partial<DeliveryJob>;
  try {
    job = JSON.parse(body) as Partial<DeliveryJob>;
  } catch (cause) {
    throw new RoomcastError('INVALID_FRAME', 'delivery job is not JSON', { cause });
  }
  const valid =
    job !== null &&
    typeof job === 'object' &&
    job.v === 1 &&
    typeof job.room === 'string' &&
    typeof job.id === 'string' &&
    typeof job.pos === 'string' &&
    typeof job.ts === 'number' &&
    typeof job.frame === 'string' &&
    typeof job.attempt === 'number' &&
    Array.isArray(job.connections) &&
    job.connections.every((id) => typeof id === 'string') &&
    (job.segment === undefined || typeof job.segment === 'string');
  if (!valid) throw new RoomcastError('INVALID_FRAME', 'delivery job has the wrong shape');
  return job as DeliveryJob;
}

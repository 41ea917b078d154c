import { decodeBody, type QueuedMessage } from './queued-body.js';

/**
 * A delivery job: one message frame for a bounded set of connections.
 * It is the body of one SQS message on the delivery queue.
 */
export interface DeliveryJob extends QueuedMessage {
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
  return decodeBody<DeliveryJob>(
    body,
    'delivery job',
    (job) =>
      typeof job.attempt === 'number' &&
      Array.isArray(job.connections) &&
      job.connections.every((id) => typeof id === 'string') &&
      (job.segment === undefined || typeof job.segment === 'string'),
  );
}

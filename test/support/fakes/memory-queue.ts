import { RoomcastError } from '../../../layers/core/src/errors.js';
import { planBatches } from '../../../layers/core/src/model/fanout.js';
import type { QueuePort } from '../../../layers/core/src/app/ports.js';

/** One SendMessageBatch the queue would have made: its items, in order, and their delay. */
export interface QueueRequest<T> {
  items: T[];
  delaySeconds: number;
}

export interface MemoryQueueOptions<T> {
  /** False: a function that was not given the queue. */
  configured?: boolean;
  /** False: a queue without a dead-letter queue of its own, whose `deadLetter` refuses. */
  deadLetters?: boolean;
  /** An item's body, whose bytes decide which items share a request (JSON by default). */
  encode?: (item: T) => string;
  /** The most bytes one request carries (model/fanout.ts planBatches' default when absent). */
  batchBytes?: number;
}

/**
 * A work queue in memory, batching as the SQS adapter does (model/fanout.ts planBatches,
 * by count and bytes). Items wait until a consumer `receive`s them; they are then in
 * flight until `done`. Items are kept as copies, as a queue keeps bodies.
 */
export class MemoryQueue<T> implements QueuePort<T> {
  readonly configured: boolean;
  /** Every request made, in order. */
  readonly requests: QueueRequest<T>[] = [];
  /** Items parked by `deadLetter`, in order. */
  readonly deadLettered: T[] = [];
  private readonly waiting: T[] = [];
  private readonly taken = new Set<T>();
  private readonly encode: (item: T) => string;
  private readonly batchBytes: number | undefined;
  private readonly deadLetters: boolean;

  constructor(options: MemoryQueueOptions<T> = {}) {
    this.configured = options.configured ?? true;
    this.deadLetters = options.deadLetters ?? true;
    this.encode = options.encode ?? ((item) => JSON.stringify(item));
    this.batchBytes = options.batchBytes;
  }

  async send(items: readonly T[], delaySeconds = 0): Promise<{ requests: number }> {
    const batches = planBatches(items.map(this.encode), this.batchBytes);
    let next = 0;
    for (const batch of batches) {
      const copies = items.slice(next, next + batch.length).map((item) => structuredClone(item));
      next += batch.length;
      this.requests.push({ items: copies, delaySeconds });
      this.waiting.push(...copies.map((item) => structuredClone(item)));
    }
    return { requests: batches.length };
  }

  /** Take up to `max` waiting items, oldest first; they stay in flight until `done`. */
  receive(max = Number.POSITIVE_INFINITY): T[] {
    const items = this.waiting.splice(0, max);
    items.forEach((item) => this.taken.add(item));
    return items;
  }

  /** Consumers finished these received items. */
  done(items: readonly T[]): void {
    items.forEach((item) => this.taken.delete(item));
  }

  /** Items sent and not received yet. */
  get pending(): readonly T[] {
    return this.waiting;
  }

  async inFlight(): Promise<number> {
    return this.taken.size;
  }

  async deadLetter(item: T): Promise<void> {
    if (!this.deadLetters) throw new RoomcastError('INTERNAL', 'no dead-letter queue is configured for this queue');
    this.deadLettered.push(structuredClone(item));
  }
}

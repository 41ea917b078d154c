import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { RoomcastError } from '../errors.js';
import { fullJitter } from '../model/backoff.js';
import { encodeJob, type DeliveryJob } from '../model/delivery-job.js';
import { planBatches } from '../model/fanout.js';
import { sleep } from '../model/concurrency.js';
import { encodeTask, type PlanTask } from '../model/plan-task.js';
import type { QueuePort } from '../app/ports.js';

/** A work queue of items of one kind (delivery jobs, plan tasks), with an optional dead-letter queue. */
export class WorkQueue<T> implements QueuePort<T> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly encode: (item: T) => string,
    private readonly dlqUrl = '',
    private readonly label = 'items',
  ) {}

  /** Whether the template gave this function the queue. */
  get configured(): boolean {
    return this.queueUrl !== '';
  }

  /** Enqueue with SendMessageBatch; entries SQS refuses are sent again with jitter. */
  async send(items: readonly T[], delaySeconds = 0): Promise<{ requests: number }> {
    let requests = 0;
    await Promise.all(
      planBatches(items.map(this.encode)).map(async (batch) => {
        let entries = batch.map((body, index) => ({ Id: String(index), MessageBody: body, DelaySeconds: delaySeconds }));
        for (let attempt = 0; entries.length > 0; attempt += 1) {
          if (attempt >= 5) throw new RoomcastError('INTERNAL', `SQS refused ${entries.length} ${this.label}`);
          if (attempt > 0) await sleep(fullJitter(attempt, { baseMs: 50, capMs: 1000 }));
          requests += 1;
          const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
          const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
          entries = entries.filter((entry) => failed.has(entry.Id));
        }
      }),
    );
    return { requests };
  }

  /** Items received by consumers and not yet deleted (SQS's approximate count). */
  async inFlight(): Promise<number> {
    const { Attributes } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
    return Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  /** Park an item that ran out of attempts, for an operator to look at or redrive. */
  async deadLetter(item: T): Promise<void> {
    // The plan queue's dead letters come from its redrive policy, not from here.
    if (this.dlqUrl === '') throw new RoomcastError('INTERNAL', `no dead-letter queue is configured for ${this.label}`);
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.dlqUrl, MessageBody: this.encode(item) }));
  }
}

/** The delivery queue and its dead-letter queue. */
export function deliveryQueue(sqs: SQSClient, queueUrl: string, dlqUrl: string): WorkQueue<DeliveryJob> {
  return new WorkQueue(sqs, queueUrl, encodeJob, dlqUrl, 'delivery jobs');
}

/** The plan queue: segments of large rooms' fan-outs, for planners. */
export function planQueue(sqs: SQSClient, queueUrl: string): WorkQueue<PlanTask> {
  return new WorkQueue(sqs, queueUrl, encodeTask, '', 'plan tasks');
}

export type DeliveryQueue = WorkQueue<DeliveryJob>;

import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { RoomcastError } from '../errors.js';
import { fullJitter } from '../model/backoff.js';
import { encodeJob, type DeliveryJob } from '../model/delivery-job.js';
import { planBatches } from '../model/fanout.js';
import { sleep } from '../model/concurrency.js';

/** The delivery queue and its dead-letter queue. */
export class DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly dlqUrl: string,
  ) {}

  /** Enqueue jobs with SendMessageBatch; entries SQS refuses are sent again with jitter. */
  async send(jobs: readonly DeliveryJob[], delaySeconds = 0): Promise<{ requests: number }> {
    let requests = 0;
    for (const batch of planBatches(jobs.map(encodeJob))) {
      let entries = batch.map((body, index) => ({ Id: String(index), MessageBody: body, DelaySeconds: delaySeconds }));
      for (let attempt = 0; entries.length > 0; attempt += 1) {
        if (attempt >= 5) throw new RoomcastError('INTERNAL', `SQS refused ${entries.length} delivery jobs`);
        if (attempt > 0) await sleep(fullJitter(attempt, { baseMs: 50, capMs: 1000 }));
        requests += 1;
        const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
      }
    }
    return { requests };
  }

  /** Park a job that ran out of attempts, for an operator to look at or redrive. */
  async deadLetter(job: DeliveryJob): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.dlqUrl, MessageBody: encodeJob(job) }));
  }
}

import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { App } from '../app/context.js';
import { toMessage } from '../adapters/messages-store.js';
import { decodeJob, type DeliveryJob } from '../model/delivery-job.js';
import { decodeTask, type PlanTask } from '../model/plan-task.js';
import type { StoredMessage } from '../model/message.js';

export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

interface SqsEvent {
  Records: Array<{ messageId: string; body: string; attributes?: { ApproximateReceiveCount?: string } }>;
}

/** SQS delivery jobs, side by side; only the jobs that failed are reported for retry. */
export function deliveryJobHandler(app: App, useCase: (job: DeliveryJob) => Promise<unknown>) {
  return sqsHandler(app, 'delivery job', (body) => useCase(decodeJob(body)));
}

/** SQS plan tasks, side by side; `retried` when SQS has handed the task out before. */
export function planTaskHandler(app: App, useCase: (task: PlanTask, retried: boolean) => Promise<unknown>) {
  return sqsHandler(app, 'plan task', (body, receiveCount) => useCase(decodeTask(body), receiveCount > 1));
}

function sqsHandler(app: App, label: string, work: (body: string, receiveCount: number) => Promise<unknown>) {
  return async (event: SqsEvent): Promise<BatchResponse> => {
    const settled = await Promise.allSettled(event.Records.map(async (record) => work(record.body, Number(record.attributes?.ApproximateReceiveCount ?? 1))));
    app.metrics.flush();
    const batchItemFailures = event.Records.flatMap((record, index) => {
      const outcome = settled[index]!;
      if (outcome.status === 'fulfilled') return [];
      app.logger.error(`${label} failed`, { sqsMessageId: record.messageId, error: outcome.reason });
      return [{ itemIdentifier: record.messageId }];
    });
    return { batchItemFailures };
  };
}

interface StreamEvent {
  Records: Array<{ eventName?: string; dynamodb?: { NewImage?: Record<string, unknown>; SequenceNumber?: string } }>;
}

/**
 * The messages table's stream: messages inserted by another region (replicated here)
 * go to `useCase`; this region's own were fanned out when they were published.
 * On failure the earliest failed record is reported, so the stream resumes there.
 */
export function messageStreamHandler(app: App, useCase: (message: StoredMessage) => Promise<unknown>) {
  return async (event: StreamEvent): Promise<BatchResponse> => {
    const work = event.Records.map((record) => {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) return undefined;
      const item = unmarshall(image as Record<string, AttributeValue>);
      if (item.kind !== 'msg' || item.origin === app.config.region) return undefined;
      return toMessage(item);
    });
    const settled = await Promise.allSettled(work.map((message) => (message ? useCase(message) : Promise.resolve())));
    app.metrics.flush();
    const failed = settled.findIndex((outcome) => outcome.status === 'rejected');
    if (failed < 0) return { batchItemFailures: [] };
    app.logger.error('replicated message fan-out failed', { error: (settled[failed] as PromiseRejectedResult).reason });
    return { batchItemFailures: [{ itemIdentifier: event.Records[failed]!.dynamodb?.SequenceNumber ?? '' }] };
  };
}

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { App } from '../app/context.js';
import { messageOfStreamRecord } from '../adapters/message-stream.js';
import { decodeJob, type DeliveryJob } from '../model/delivery-job.js';
import { decodeTask, type PlanTask } from '../model/plan-task.js';
import type { StoredMessage } from '../model/message.js';
import { lambdaHandler, roomcastHandler } from './middy.js';

/** SQS delivery jobs, side by side; only the jobs that failed are reported for retry. */
export function deliveryJobHandler(app: App, useCase: (job: DeliveryJob) => Promise<unknown>) {
  return sqsHandler(app, 'delivery job', (record) => useCase(decodeJob(record.body)));
}

/** SQS plan tasks, side by side; `retried` when SQS has handed the task out before. */
export function planTaskHandler(app: App, useCase: (task: PlanTask, retried: boolean) => Promise<unknown>) {
  return sqsHandler(app, 'plan task', (record) => useCase(decodeTask(record.body), Number(record.attributes?.ApproximateReceiveCount ?? 1) > 1));
}

/**
 * The messages table's stream: the messages other regions inserted (replicated here; the
 * event source's FilterCriteria lets only those through) go to `useCase`. A failed record
 * is reported by its sequence number, and the stream resumes at the earliest one.
 */
export function messageStreamHandler(app: App, useCase: (message: StoredMessage) => Promise<unknown>) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return lambdaHandler(
    roomcastHandler<DynamoDBStreamEvent, SQSBatchResponse>(app, () => ({})).handler((event, context) =>
      processPartialResponse(event, logged(app, 'replicated message fan-out', (record: DynamoDBRecord) => useCase(messageOfStreamRecord(record))), processor, options(context)),
    ),
  );
}

/**
 * Records side by side through Powertools' BatchProcessor: the failed ones are reported
 * (`batchItemFailures`), the others are done. A batch that failed whole is answered the
 * same way, not thrown: an invocation error would count against the function's Errors
 * alarm for what is a retry of every record.
 */
function sqsHandler(app: App, label: string, work: (record: SQSRecord) => Promise<unknown>) {
  const processor = new BatchProcessor(EventType.SQS);
  return lambdaHandler(
    roomcastHandler<SQSEvent, SQSBatchResponse>(app, () => ({})).handler((event, context) => processPartialResponse(event, logged(app, label, work), processor, options(context))),
  );
}

const options = (context: Context) => ({ context, throwOnFullBatchFailure: false, processInParallel: true }) as const;

/** The record handler, with the failure logged before the processor reports it. */
function logged<R extends SQSRecord | DynamoDBRecord>(app: App, label: string, work: (record: R) => Promise<unknown>) {
  return async (record: R): Promise<unknown> => {
    try {
      return await work(record);
    } catch (error) {
      const id = 'messageId' in record ? { sqsMessageId: record.messageId } : { sequenceNumber: record.dynamodb?.SequenceNumber };
      app.logger.error(`${label} failed`, { ...id, error });
      throw error;
    }
  };
}

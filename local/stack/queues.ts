/**
 * A stack's queues, and the loop that stands in for an SQS event source: receive a batch,
 * invoke the handler with Lambda's SQS event, delete what succeeded, leave the reported
 * failures to come back.
 */
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { toSqsRecord } from '../event-sources/sqs-record.js';
import type { LambdaHandler } from './functions.js';
import { REGION, type Stack } from './stack.js';

export interface DrainOptions {
  /** Give up (and throw) after this long; default 20 s. */
  timeoutMs?: number;
  /** Pollers side by side, like the event source's concurrency (default 1). */
  workers?: number;
  /**
   * Seconds a received batch stays invisible (default 1: a batch whose invocation failed
   * comes back soon). An invocation that takes longer has its batch handed out again.
   */
  visibilityTimeout?: number;
}

export interface DrainResult {
  invocations: number;
  /** Records the handler reported in `batchItemFailures`. */
  failures: number;
}

function queueOf(stack: Stack, logicalId: string): { url: string; arn: string } {
  const queue = stack.queues[logicalId];
  if (!queue) throw new Error(`no queue ${logicalId}`);
  return queue;
}

export function queueUrl(stack: Stack, logicalId: string): string {
  return queueOf(stack, logicalId).url;
}

/** Messages in a queue, visible, in flight or delayed. */
export async function queueDepth(stack: Stack, logicalId: string): Promise<number> {
  const { Attributes = {} } = await stack.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl(stack, logicalId),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0);
}

/** Runs `handler` over queue `logicalId` as an SQS event source does (batches of up to 10), until the queue is empty. */
export async function drainQueue(stack: Stack, logicalId: string, handler: LambdaHandler, options: DrainOptions = {}): Promise<DrainResult> {
  const { url, arn } = queueOf(stack, logicalId);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const until = Date.now() + timeoutMs;
  const result: DrainResult = { invocations: 0, failures: 0 };
  const poll = async (): Promise<void> => {
    while (Date.now() < until) {
      const { Messages = [] } = await stack.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: options.visibilityTimeout ?? 1, MessageSystemAttributeNames: ['All'] }),
      );
      if (Messages.length === 0) {
        if ((await queueDepth(stack, logicalId)) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      const Records = Messages.map((message) => toSqsRecord(message, arn, REGION));
      const { batchItemFailures } = (await handler({ Records })) as { batchItemFailures: Array<{ itemIdentifier: string }> };
      result.invocations += 1;
      result.failures += batchItemFailures.length;
      const failed = new Set(batchItemFailures.map((item) => item.itemIdentifier));
      const done = Messages.filter((message) => !failed.has(message.MessageId!));
      if (done.length > 0) {
        await stack.clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })) }));
      }
    }
    throw new Error(`${logicalId} not drained in ${timeoutMs} ms`);
  };
  await Promise.all(Array.from({ length: options.workers ?? 1 }, poll));
  return result;
}

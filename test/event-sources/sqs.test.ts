import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSqsSource, type EventSource, type SqsRecord, type SqsSourceOptions } from '../../local/event-sources/index.js';
import { startSqsEmulator } from '../support/sqs.js';
import type { RunningService } from '../support/dynamo.js';
import { CREDENTIALS, delay, recorder, REGION, uniqueName, waitFor } from './support.js';

/** The source's default long poll (WaitTimeSeconds 20). */
const LONG_POLL_MS = 20_000;

let emulator: RunningService;
let sqs: SQSClient;
const sources: EventSource[] = [];

beforeAll(async () => {
  emulator = await startSqsEmulator();
  sqs = new SQSClient({ endpoint: emulator.endpoint, region: REGION, credentials: CREDENTIALS });
});

afterEach(async () => {
  await Promise.allSettled(sources.splice(0).map((source) => source.stop()));
});

afterAll(async () => {
  sqs?.destroy();
  await emulator?.stop();
});

interface Queue {
  url: string;
  arn: string;
}

async function createQueue(attributes: Record<string, string> = {}): Promise<Queue> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q'), Attributes: { VisibilityTimeout: '1', ...attributes } }));
  const url = created.QueueUrl ?? '';
  const found = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: found.Attributes?.QueueArn ?? '' };
}

async function send(queue: Queue, ...bodies: string[]): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) {
    const entries = bodies.slice(start, start + 10).map((body, index) => ({ Id: String(index), MessageBody: body }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }));
  }
}

async function counts(queue: Queue): Promise<{ visible: number; inFlight: number }> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
  const found = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: [...names] }));
  return { visible: Number(found.Attributes?.[names[0]]), inFlight: Number(found.Attributes?.[names[1]]) };
}

function start(queue: Queue, options: Partial<SqsSourceOptions> & Pick<SqsSourceOptions, 'invoke'>): EventSource {
  const source = startSqsSource({ sqs, queueUrl: queue.url, queueArn: queue.arn, region: REGION, ...options });
  sources.push(source);
  return source;
}

const bodies = (calls: SqsRecord[][]): string[] => calls.flat().map((record) => record.body).sort();

describe('SQS event source', { timeout: 20_000 }, () => {
  it("invokes with Lambda's event shape and deletes the batch on success", async () => {
    const queue = await createQueue();
    const fn = recorder<SqsRecord>();
    const source = start(queue, { invoke: fn.invoke });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"hello":1}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } }));
    await waitFor(() => fn.calls.length === 1, 5000, 'an invocation');
    const record = fn.calls[0]?.[0];
    expect(Object.keys(record ?? {})).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    expect(record).toMatchObject({
      body: '{"hello":1}',
      messageAttributes: { kind: { stringValue: 'greeting', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: REGION,
    });
    expect(record?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(record?.attributes ?? {})).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    expect(record?.attributes.ApproximateReceiveCount).toBe('1');
    await waitFor(async () => (await counts(queue)).inFlight === 0, 3000, 'the delete');
    expect(await counts(queue)).toEqual({ visible: 0, inFlight: 0 });
    await delay(1300); // past the visibility timeout: nothing comes back
    expect(fn.calls).toHaveLength(1);
    expect(source.stats()).toEqual({ invocations: 1, records: 1, failures: 0, concurrency: 0 });
  });

  it('without ReportBatchItemFailures a rejection leaves the whole batch to come back', async () => {
    const queue = await createQueue();
    const fn = recorder<SqsRecord>((_records, call) => (call === 1 ? Promise.reject(new Error('boom')) : undefined));
    const source = start(queue, { invoke: fn.invoke, batchSize: 3, maximumBatchingWindowInSeconds: 1 });
    await send(queue, 'a', 'b', 'c');
    await waitFor(() => fn.calls.length === 2, 5000, 'the retry');
    expect(fn.calls.map((call) => call.map((record) => record.body).sort())).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
    expect(fn.calls[1]?.every((record) => record.attributes.ApproximateReceiveCount === '2')).toBe(true);
    await waitFor(async () => (await counts(queue)).inFlight === 0, 3000, 'the delete');
    expect(source.stats().failures).toBe(1);
  });

  it('with ReportBatchItemFailures deletes only the messages not reported', async () => {
    const queue = await createQueue();
    const fn = recorder<SqsRecord>((records, call) =>
      call === 1 ? { batchItemFailures: records.filter((record) => record.body.startsWith('bad')).map((record) => ({ itemIdentifier: record.messageId })) } : {},
    );
    start(queue, { invoke: fn.invoke, reportBatchItemFailures: true, batchSize: 4, maximumBatchingWindowInSeconds: 1 });
    await send(queue, 'ok1', 'bad1', 'ok2', 'bad2');
    await waitFor(() => fn.calls.length === 2, 5000, 'the retry of the failed items');
    expect(bodies(fn.calls.slice(0, 1))).toEqual(['bad1', 'bad2', 'ok1', 'ok2']);
    expect(bodies(fn.calls.slice(1))).toEqual(['bad1', 'bad2']);
    await delay(1300);
    expect(fn.calls).toHaveLength(2);
    expect(await counts(queue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('an invalid batch response (unknown id) fails the whole batch', async () => {
    const queue = await createQueue();
    const fn = recorder<SqsRecord>((_records, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : { batchItemFailures: [] }));
    const source = start(queue, { invoke: fn.invoke, reportBatchItemFailures: true, batchSize: 2, maximumBatchingWindowInSeconds: 1 });
    await send(queue, 'x', 'y');
    await waitFor(() => fn.calls.length === 2, 5000, 'the retry');
    expect(bodies(fn.calls.slice(1))).toEqual(['x', 'y']);
    expect(source.stats().failures).toBe(1);
  });

  it("a message failing every time ends in the queue's DLQ after maxReceiveCount receives", async () => {
    const dlq = await createQueue();
    const queue = await createQueue({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    const fn = recorder<SqsRecord>(() => Promise.reject(new Error('always')));
    start(queue, { invoke: fn.invoke });
    await send(queue, 'poison');
    const dead = await waitFor(
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }))).Messages?.[0],
      8000,
      'the message in the DLQ',
    );
    expect(dead.Body).toBe('poison');
    expect(fn.calls.map((call) => call[0]?.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(await counts(queue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('gathers a batch for up to the batching window, in receives of 10', async () => {
    const queue = await createQueue({ VisibilityTimeout: '10' });
    const fn = recorder<SqsRecord>();
    start(queue, { invoke: fn.invoke, batchSize: 25, maximumBatchingWindowInSeconds: 2 });
    const began = Date.now();
    await send(queue, 'early');
    await delay(300);
    await send(queue, ...Array.from({ length: 20 }, (_, i) => `m${i}`));
    await waitFor(() => fn.calls.length === 1, 5000, 'the batch');
    expect(Date.now() - began).toBeGreaterThanOrEqual(1900);
    expect(fn.calls[0]).toHaveLength(21);
  });

  it('does not wait for the batching window once a batch is full', async () => {
    const queue = await createQueue({ VisibilityTimeout: '60' });
    const fn = recorder<SqsRecord>();
    // A 30 s window: a batch seen within the 10 s deadline below was not held for it.
    start(queue, { invoke: fn.invoke, batchSize: 25, maximumBatchingWindowInSeconds: 30 });
    await send(queue, ...Array.from({ length: 25 }, (_, i) => `full${i}`));
    await waitFor(() => fn.calls.length === 1, 10_000, 'the full batch');
    expect(fn.calls[0]).toHaveLength(25);
  }, 20_000);

  it('filter criteria: matching messages are invoked, the others deleted', async () => {
    const queue = await createQueue();
    const fn = recorder<SqsRecord>();
    start(queue, { invoke: fn.invoke, batchSize: 4, maximumBatchingWindowInSeconds: 1, filterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["msg"]}}' }] } });
    await send(queue, '{"kind":"msg","n":1}', '{"kind":"ping"}', 'plain text', '{"kind":"msg","n":2}');
    await waitFor(() => fn.calls.length === 1, 5000, 'the invocation');
    expect(bodies(fn.calls)).toEqual(['{"kind":"msg","n":1}', '{"kind":"msg","n":2}']);
    await waitFor(async () => (await counts(queue)).inFlight === 0, 3000, 'the deletes');
    expect(await counts(queue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('scales up to maximumConcurrency while messages wait, never beyond', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' });
    const fn = recorder<SqsRecord>(() => delay(150));
    const source = start(queue, { invoke: fn.invoke, batchSize: 1, maximumConcurrency: 3 });
    await send(queue, ...Array.from({ length: 15 }, (_, i) => `c${i}`));
    let sawConcurrency = 0;
    await waitFor(() => {
      sawConcurrency = Math.max(sawConcurrency, source.stats().concurrency);
      return fn.calls.length === 15;
    }, 8000, 'every message');
    expect(fn.peak).toBe(3);
    expect(sawConcurrency).toBeLessThanOrEqual(3);
    expect(bodies(fn.calls)).toHaveLength(15);
  });

  it('stop() ends a long poll at once and waits for the invocation in flight', async () => {
    const queue = await createQueue();
    const idle = start(queue, { invoke: recorder<SqsRecord>().invoke });
    await delay(200); // the long poll (20 s) is under way
    // The long poll lasts 20 s; stop() must not wait for it (half of it is the bound).
    let began = Date.now();
    await idle.stop();
    expect(Date.now() - began).toBeLessThan(LONG_POLL_MS / 2);

    const busyQueue = await createQueue({ VisibilityTimeout: '30' });
    let finished = false;
    const fn = recorder<SqsRecord>(async () => {
      await delay(300);
      finished = true;
    });
    const busy = start(busyQueue, { invoke: fn.invoke });
    await send(busyQueue, 'slow');
    await waitFor(() => fn.calls.length === 1, 5000, 'the invocation');
    began = Date.now();
    await busy.stop();
    expect(finished).toBe(true);
    expect(Date.now() - began).toBeLessThan(LONG_POLL_MS / 2);
    await waitFor(async () => (await counts(busyQueue)).inFlight === 0, 2000, 'the delete');
  });
});

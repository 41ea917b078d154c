import { DeleteMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { readBatchResponse } from './batch-response.js';
import { compileFilterCriteria } from './filter.js';
import { receiveBatch } from './sqs-receive.js';
import { toSqsRecord, type SqsRecord } from './sqs-record.js';
import { StatsCounter } from './stats.js';
import { errorMessage, sleep } from './timing.js';
import { checkRange } from './validate.js';
import type { EventSource, SqsSourceOptions } from './types.js';

const DEFAULT_BATCH_SIZE = 10;
const DEFAULT_MAXIMUM_CONCURRENCY = 5;
const DEFAULT_WAIT_SECONDS = 20;
const ERROR_PAUSE_MS = 1000;

/**
 * An SQS event source mapping. Pollers each run: long poll -> batch -> invoke -> delete.
 * Scaling (immediate, where Lambda adds up to 60 per minute): each full batch (a backlog)
 * starts one more poller, up to `maximumConcurrency`; a poller whose long poll comes back
 * empty ends, unless it is the last one. So invocations in flight never exceed
 * `maximumConcurrency`, and an idle queue is watched by a single long poll.
 */
export function startSqsSource(options: SqsSourceOptions): EventSource {
  const batchSize = checkRange('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE, 1, 10_000);
  const windowSeconds = checkRange('maximumBatchingWindowInSeconds', options.maximumBatchingWindowInSeconds ?? 0, 0, 300);
  const maximumConcurrency = checkRange('maximumConcurrency', options.maximumConcurrency ?? DEFAULT_MAXIMUM_CONCURRENCY, 1, 1000);
  const waitTimeSeconds = checkRange('waitTimeSeconds', options.waitTimeSeconds ?? DEFAULT_WAIT_SECONDS, 0, 20);
  const filter = compileFilterCriteria(options.filterCriteria);
  const log = options.log ?? (() => undefined);
  const controller = new AbortController();
  const { signal } = controller;
  const stats = new StatsCounter();
  const pollers = new Set<Promise<void>>();
  let active = 0;

  const addPoller = (): void => {
    if (signal.aborted || active >= maximumConcurrency) return;
    active += 1;
    const poller: Promise<void> = poll().finally(() => pollers.delete(poller));
    pollers.add(poller);
  };

  async function poll(): Promise<void> {
    try {
      while (!signal.aborted) {
        let messages: Message[];
        try {
          messages = await receiveBatch({ sqs: options.sqs, queueUrl: options.queueUrl, batchSize, windowMs: windowSeconds * 1000, waitTimeSeconds, signal });
        } catch (error) {
          if (signal.aborted) break;
          log(`ReceiveMessage failed: ${errorMessage(error)}`);
          await sleep(ERROR_PAUSE_MS, signal);
          continue;
        }
        if (messages.length === 0) {
          // Idle: retire, unless this is the last poller (checked and counted down in one step).
          if (active > 1) break;
          continue;
        }
        // A full batch says more messages are probably waiting: one more poller.
        if (messages.length === batchSize) addPoller();
        await handle(messages.map((message) => toSqsRecord(message, options.queueArn, options.region)));
      }
    } finally {
      active -= 1;
    }
  }

  async function handle(received: SqsRecord[]): Promise<void> {
    const records = filter ? received.filter((record) => filter(filterView(record))) : received;
    // Lambda deletes the messages its filter drops.
    if (records.length < received.length) await remove(received.filter((record) => !records.includes(record)));
    if (records.length === 0) return;
    let response: unknown;
    try {
      response = await stats.track(records.length, () => options.invoke({ Records: records }));
    } catch (error) {
      stats.failed();
      log(`invocation failed, ${records.length} message(s) left to the visibility timeout: ${errorMessage(error)}`);
      return;
    }
    if (!options.reportBatchItemFailures) return remove(records);
    const answer = readBatchResponse(response, new Set(records.map((record) => record.messageId)));
    if (answer.kind === 'success') return remove(records);
    stats.failed();
    if (answer.kind === 'invalid') {
      log(`invalid batch response, the whole batch failed: ${answer.reason}`);
      return;
    }
    log(`${answer.failed.size} of ${records.length} message(s) reported failed`);
    await remove(records.filter((record) => !answer.failed.has(record.messageId)));
  }

  async function remove(records: SqsRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += 10) {
      const chunk = records.slice(start, start + 10);
      const entries = chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle }));
      try {
        const output = await options.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }));
        for (const failure of output.Failed ?? []) log(`DeleteMessageBatch: entry ${failure.Id} failed: ${failure.Code ?? ''} ${failure.Message ?? ''}`);
      } catch (error) {
        log(`DeleteMessageBatch failed: ${errorMessage(error)}`);
      }
    }
  }

  addPoller();
  return {
    async stop() {
      controller.abort();
      while (pollers.size > 0) await Promise.allSettled([...pollers]);
    },
    stats: () => stats.snapshot(),
  };
}

/** What a filter pattern sees of an SQS record: the body parsed when it is a JSON object or list. */
function filterView(record: SqsRecord): object {
  try {
    const body: unknown = JSON.parse(record.body);
    if (typeof body === 'object' && body !== null) return { ...record, body };
  } catch {
    // not JSON: the pattern sees the text
  }
  return record;
}

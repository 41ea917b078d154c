import { readBatchResponse } from './batch-response.js';
import type { StatsCounter } from './stats.js';
import type { StreamRecord } from './stream-record.js';
import { errorMessage, sleep } from './timing.js';
import type { StreamFailureInfo } from './types.js';

export interface DeliveryOptions {
  shardId: string;
  invoke(event: unknown): Promise<unknown>;
  /** Retries of one batch before it is discarded (already capped, never -1). */
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  onFailure?(info: StreamFailureInfo): Promise<void>;
  stats: StatsCounter;
  signal: AbortSignal;
  log(line: string): void;
}

/** Pause before retry n (1, 2, ...): 100 ms doubling, at most 5 s. */
export function retryDelayMs(retry: number): number {
  return Math.min(5000, 100 * 2 ** (retry - 1));
}

type Outcome =
  | { ok: true }
  /** `from`: index of the first record to retry (the lowest reported failure); `thrown`: a function error. */
  | { ok: false; error: string; from: number; thrown: boolean };

/**
 * Delivers one batch of a shard as Lambda does, returning when the batch is done with: it
 * succeeded, or it was discarded (after `onFailure`), or the source stopped. On failure the
 * same records are invoked again after a pause; with `reportBatchItemFailures` from the lowest
 * reported record onward. With `bisectBatchOnFunctionError`, a function error splits the batch
 * in halves that are delivered one after the other, each with its own retries (splitting does
 * not count as a retry, as on AWS), so a poison record ends alone in `onFailure`.
 */
export async function deliverBatch(records: StreamRecord[], options: DeliveryOptions): Promise<void> {
  let batch = records;
  for (let retries = 0; ; retries += 1) {
    if (retries > 0) await sleep(retryDelayMs(retries), options.signal);
    if (options.signal.aborted) return;
    const outcome = await invokeOnce(batch, options);
    if (outcome.ok) return;
    if (outcome.thrown && options.bisectBatchOnFunctionError && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      options.log(`${options.shardId}: function error on ${batch.length} record(s), bisecting: ${outcome.error}`);
      await deliverBatch(batch.slice(0, half), options);
      await deliverBatch(batch.slice(half), options);
      return;
    }
    batch = batch.slice(outcome.from);
    if (retries >= options.maximumRetryAttempts) {
      await discard(batch, outcome.error, retries, options);
      return;
    }
  }
}

async function invokeOnce(batch: StreamRecord[], options: DeliveryOptions): Promise<Outcome> {
  let response: unknown;
  try {
    response = await options.stats.track(batch.length, () => options.invoke({ Records: batch }));
  } catch (error) {
    options.stats.failed();
    return { ok: false, error: errorMessage(error), from: 0, thrown: true };
  }
  if (!options.reportBatchItemFailures) return { ok: true };
  const sequenceNumbers = batch.map((record) => record.dynamodb.SequenceNumber);
  const answer = readBatchResponse(response, new Set(sequenceNumbers));
  if (answer.kind === 'success') return { ok: true };
  options.stats.failed();
  if (answer.kind === 'invalid') return { ok: false, error: `invalid batch response: ${answer.reason}`, from: 0, thrown: false };
  // Records are in sequence order: the first reported one is the lowest.
  const from = sequenceNumbers.findIndex((sequenceNumber) => answer.failed.has(sequenceNumber));
  return { ok: false, error: `${answer.failed.size} record(s) reported failed`, from, thrown: false };
}

async function discard(batch: StreamRecord[], error: string, retryAttempts: number, options: DeliveryOptions): Promise<void> {
  const first = batch[0]?.dynamodb.SequenceNumber ?? '';
  const last = batch.at(-1)?.dynamodb.SequenceNumber ?? '';
  options.log(`${options.shardId}: discarding ${batch.length} record(s) ${first}..${last} after ${retryAttempts} retries: ${error}`);
  if (!options.onFailure) return;
  const firstTime = arrival(batch[0]);
  const lastTime = arrival(batch.at(-1));
  const info: StreamFailureInfo = {
    batch,
    error,
    shardId: options.shardId,
    startSequenceNumber: first,
    endSequenceNumber: last,
    ...(firstTime ? { approximateArrivalOfFirstRecord: firstTime } : {}),
    ...(lastTime ? { approximateArrivalOfLastRecord: lastTime } : {}),
    retryAttempts,
  };
  try {
    await options.onFailure(info);
  } catch (failure) {
    options.log(`${options.shardId}: onFailure failed: ${errorMessage(failure)}`);
  }
}

function arrival(record: StreamRecord | undefined): string | undefined {
  const seconds = record?.dynamodb.ApproximateCreationDateTime;
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
}

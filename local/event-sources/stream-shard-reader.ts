import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type ShardIteratorType } from '@aws-sdk/client-dynamodb-streams';
import { toStreamRecord, type StreamRecord } from './stream-record.js';
import { errorMessage, errorName, sleep } from './timing.js';

export interface ShardReaderOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  region: string;
  shardId: string;
  position: 'LATEST' | 'TRIM_HORIZON';
  batchSize: number;
  windowMs: number;
  pollIntervalMs: number;
  filter: ((record: object) => boolean) | undefined;
  /** The view the records show (default: the stream's own). */
  viewType: string | undefined;
  /** Delivers one batch; the next batch waits for it (one invocation at a time per shard). */
  deliver(batch: StreamRecord[]): Promise<void>;
  signal: AbortSignal;
  log(line: string): void;
  /** Called once the shard's first iterator is taken (or the reader gave up on it). */
  onStarted(): void;
}

const ERROR_PAUSE_MS = 1000;
const GET_RECORDS_LIMIT = 1000;

/**
 * Reads one shard to its end (resolves true) or until stopped (false): GetRecords in a loop
 * on NextShardIterator, records kept in order and delivered in batches of up to `batchSize`,
 * gathered for up to the batching window. Records the filter drops are skipped.
 */
export async function readShard(options: ShardReaderOptions): Promise<boolean> {
  const { signal } = options;
  let lastSequenceNumber: string | undefined;
  let iterator = await shardIterator(options, options.position, undefined);
  options.onStarted();
  let pending: StreamRecord[] = [];
  let pendingSince = 0;
  while (!signal.aborted) {
    if (iterator === undefined) {
      // The shard is closed and read to its end.
      if (pending.length > 0) await options.deliver(pending);
      return !signal.aborted;
    }
    let records;
    try {
      const output = await options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(GET_RECORDS_LIMIT, options.batchSize) }), { abortSignal: signal });
      records = output.Records ?? [];
      iterator = output.NextShardIterator ?? undefined;
    } catch (error) {
      if (signal.aborted) break;
      const name = errorName(error);
      if (name === 'TrimmedDataAccessException') {
        iterator = await shardIterator(options, 'TRIM_HORIZON', undefined);
      } else if (name === 'ExpiredIteratorException') {
        iterator = await shardIterator(options, options.position, lastSequenceNumber);
      } else {
        // Keep the iterator (valid for 15 minutes) and try again.
        options.log(`${options.shardId}: GetRecords failed: ${errorMessage(error)}`);
        await sleep(ERROR_PAUSE_MS, signal);
      }
      continue;
    }
    for (const record of records) {
      lastSequenceNumber = record.dynamodb?.SequenceNumber ?? lastSequenceNumber;
      const lambdaRecord = toStreamRecord(record, options.region, options.streamArn, options.viewType);
      if (options.filter && !options.filter(lambdaRecord)) continue;
      if (pending.length === 0) pendingSince = Date.now();
      pending.push(lambdaRecord);
    }
    while (pending.length >= options.batchSize && !signal.aborted) {
      await options.deliver(pending.slice(0, options.batchSize));
      pending = pending.slice(options.batchSize);
      pendingSince = Date.now();
    }
    const windowLeft = pendingSince + options.windowMs - Date.now();
    if (pending.length > 0 && windowLeft <= 0 && !signal.aborted) {
      await options.deliver(pending);
      pending = [];
    }
    if (records.length === 0 && iterator !== undefined) {
      await sleep(pending.length > 0 ? Math.min(options.pollIntervalMs, windowLeft) : options.pollIntervalMs, signal);
    }
  }
  return false;
}

async function shardIterator(options: ShardReaderOptions, position: 'LATEST' | 'TRIM_HORIZON', after: string | undefined): Promise<string | undefined> {
  const type: ShardIteratorType = after ? 'AFTER_SEQUENCE_NUMBER' : position;
  for (;;) {
    if (options.signal.aborted) return undefined;
    try {
      const output = await options.streams.send(
        new GetShardIteratorCommand({ StreamArn: options.streamArn, ShardId: options.shardId, ShardIteratorType: type, ...(after ? { SequenceNumber: after } : {}) }),
        { abortSignal: options.signal },
      );
      return output.ShardIterator ?? undefined;
    } catch (error) {
      if (options.signal.aborted) return undefined;
      if (errorName(error) === 'ResourceNotFoundException') {
        options.log(`${options.shardId}: shard is gone: ${errorMessage(error)}`);
        return undefined;
      }
      options.log(`${options.shardId}: GetShardIterator failed: ${errorMessage(error)}`);
      await sleep(ERROR_PAUSE_MS, options.signal);
    }
  }
}

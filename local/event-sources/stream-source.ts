import { compileFilterCriteria } from './filter.js';
import { StatsCounter } from './stats.js';
import { deliverBatch } from './stream-batch.js';
import { readShard } from './stream-shard-reader.js';
import { describeShards, ShardLineage } from './stream-shards.js';
import { errorMessage, sleep } from './timing.js';
import type { StreamEventSource, StreamSourceOptions } from './types.js';
import { checkRange } from './validate.js';

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_POLL_INTERVAL_MS = 250;
const DEFAULT_SHARD_REFRESH_MS = 1000;
/**
 * `maximumRetryAttempts: -1` means "until the record expires" (24 h) on AWS, which blocks the
 * shard that long. Locally it means this many retries (about 26 s with the backoff of
 * `retryDelayMs`), then the batch goes to `onFailure` and the shard moves on.
 */
export const UNBOUNDED_RETRY_CAP = 10;

/**
 * A DynamoDB Streams event source mapping (ParallelizationFactor 1): one reader per shard,
 * started when its parent shard is done, one invocation at a time per shard. The shard list
 * is read again every `shardRefreshMs` and when a shard ends, to find new (child) shards.
 */
export function startStreamSource(options: StreamSourceOptions): StreamEventSource {
  const batchSize = checkRange('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE, 1, 10_000);
  const windowSeconds = checkRange('maximumBatchingWindowInSeconds', options.maximumBatchingWindowInSeconds ?? 0, 0, 300);
  const retries = checkRange('maximumRetryAttempts', options.maximumRetryAttempts ?? -1, -1, 10_000);
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const shardRefreshMs = options.shardRefreshMs ?? DEFAULT_SHARD_REFRESH_MS;
  const filter = compileFilterCriteria(options.filterCriteria);
  const log = options.log ?? (() => undefined);
  const controller = new AbortController();
  const { signal } = controller;
  const stats = new StatsCounter();
  const lineage = new ShardLineage(options.startingPosition);
  const readers = new Set<Promise<void>>();
  let wake: AbortController = new AbortController();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  /** Starts the readers of the shards that can be read now; resolves when each took its iterator. */
  const startReady = (): Promise<void> => {
    const started: Array<Promise<void>> = [];
    for (const { shardId, position } of lineage.takeReady()) {
      let onStarted!: () => void;
      started.push(new Promise<void>((resolve) => (onStarted = resolve)));
      const reader: Promise<void> = readShard({
        streams: options.streams,
        streamArn: options.streamArn,
        region: options.region,
        shardId,
        position,
        batchSize,
        windowMs: windowSeconds * 1000,
        pollIntervalMs,
        filter,
        viewType: options.streamViewType,
        signal,
        log,
        onStarted,
        deliver: (batch) =>
          deliverBatch(batch, {
            shardId,
            invoke: options.invoke,
            maximumRetryAttempts: retries === -1 ? UNBOUNDED_RETRY_CAP : retries,
            bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? false,
            reportBatchItemFailures: options.reportBatchItemFailures ?? false,
            ...(options.onFailure ? { onFailure: options.onFailure } : {}),
            stats,
            signal,
            log,
          }),
      })
        .then((finished) => {
          if (!finished) return;
          lineage.finish(shardId);
          void startReady();
          wake.abort(); // children may already be listed, or appear at the next DescribeStream
        })
        .catch((error: unknown) => log(`${shardId}: reader failed: ${errorMessage(error)}`))
        .finally(() => {
          onStarted();
          readers.delete(reader);
        });
      readers.add(reader);
    }
    return Promise.all(started).then(() => undefined);
  };

  const discover = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        lineage.add(await describeShards(options.streams, options.streamArn, signal));
        void startReady().then(markReady);
      } catch (error) {
        if (signal.aborted) return;
        log(`DescribeStream failed: ${errorMessage(error)}`);
        markReady(); // do not hold a caller waiting on a stream that cannot be read
      }
      await sleep(shardRefreshMs, AbortSignal.any([signal, wake.signal]));
      if (wake.signal.aborted) wake = new AbortController();
    }
  };

  const discovery = discover();
  return {
    ready: () => ready,
    async stop() {
      controller.abort();
      markReady();
      await discovery;
      while (readers.size > 0) await Promise.allSettled([...readers]);
    },
    stats: () => stats.snapshot(),
  };
}

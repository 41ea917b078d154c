import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

/** `FilterCriteria` of an event source mapping: a record passes when any pattern matches. */
export interface FilterCriteria {
  Filters: Array<{ Pattern: string }>;
}

/** A running event source mapping. */
export interface EventSource {
  /** Stops polling (aborting a long poll in progress) and waits for in-flight invocations. */
  stop(): Promise<void>;
  stats(): EventSourceStats;
}

/** A stream source also says when it has begun reading. */
export interface StreamEventSource extends EventSource {
  /**
   * Resolves once the first shard iterators are taken (or the first DescribeStream failed, or
   * on stop): with LATEST, records written before that are not delivered, as with a mapping
   * that is still being created.
   */
  ready(): Promise<void>;
}

export interface EventSourceStats {
  /** Invocations started. */
  invocations: number;
  /** Records sent to the function (a record retried counts each time). */
  records: number;
  /** Invocations that failed: rejected, or a partial or invalid batch response. */
  failures: number;
  /** Invocations in flight now. */
  concurrency: number;
}

export interface SqsSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** Default 10 (1..10000); messages are received in chunks of 10. */
  batchSize?: number;
  /** Default 0: one round of receives. Otherwise gather up to `batchSize` or until the window passes. */
  maximumBatchingWindowInSeconds?: number;
  /** `FunctionResponseTypes: [ReportBatchItemFailures]`. */
  reportBatchItemFailures?: boolean;
  /** `ScalingConfig.MaximumConcurrency`; default 5 locally (Lambda: 2..1000). */
  maximumConcurrency?: number;
  filterCriteria?: FilterCriteria;
  /** Long-poll wait of each ReceiveMessage, 0..20 (default 20, as Lambda). */
  waitTimeSeconds?: number;
  /** Runs the function; rejects on function error or timeout. */
  invoke(event: unknown): Promise<unknown>;
  log?(line: string): void;
}

export type StartingPosition = 'LATEST' | 'TRIM_HORIZON';

/** What `onFailure` receives for a discarded batch (DestinationConfig.OnFailure). */
export interface StreamFailureInfo {
  /** The discarded records, in Lambda's shape. */
  batch: unknown[];
  /** The last error: the function's error message, or why the response was a failure. */
  error: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  /** ISO times of the first and last records (their ApproximateCreationDateTime), as in DDBStreamBatchInfo. */
  approximateArrivalOfFirstRecord?: string;
  approximateArrivalOfLastRecord?: string;
  /** Retries made before giving up (the first invocation is not a retry). */
  retryAttempts: number;
}

export interface StreamSourceOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  region: string;
  startingPosition: StartingPosition;
  /** Default 100 (1..10000). */
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  /** Default -1 ("until the record expires"), capped locally: see README.md. */
  maximumRetryAttempts?: number;
  bisectBatchOnFunctionError?: boolean;
  reportBatchItemFailures?: boolean;
  filterCriteria?: FilterCriteria;
  /**
   * The view the records show: the table's declared StreamViewType, when the local stream
   * was created with more (e.g. for the replication of a global table). Default: the stream's.
   */
  streamViewType?: string;
  onFailure?(info: StreamFailureInfo): Promise<void>;
  invoke(event: unknown): Promise<unknown>;
  /** Pause after an empty GetRecords; default 250 (Lambda polls a shard 4 times a second). */
  pollIntervalMs?: number;
  /** How often the shard list is read again (DescribeStream); default 1000. */
  shardRefreshMs?: number;
  log?(line: string): void;
}

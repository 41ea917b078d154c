/** Lambda event source mappings for the local cloud: SQS queues and DynamoDB streams, polled through the SDK. */
export { startSqsSource } from './sqs-source.js';
export { startStreamSource, UNBOUNDED_RETRY_CAP } from './stream-source.js';
export { compileFilterCriteria, FilterPatternError, matchesFilter } from './filter.js';
export { retryDelayMs } from './stream-batch.js';
export { toJsonValue } from './encoding.js';
export type { SqsRecord, SqsMessageAttribute } from './sqs-record.js';
export type { StreamRecord } from './stream-record.js';
export type {
  EventSource,
  EventSourceStats,
  FilterCriteria,
  SqsSourceOptions,
  StartingPosition,
  StreamFailureInfo,
  StreamEventSource,
  StreamSourceOptions,
} from './types.js';

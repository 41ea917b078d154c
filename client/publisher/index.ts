/**
 * roomcast publisher client (Node): SigV4-signed publishing with idempotency ids and
 * full-jitter retries; history and occupancy reads. See README.md beside this file.
 */
export { createPublisher, MAX_BATCH, MAX_OCCUPANCY_ROOMS, DEFAULT_TIMEOUT_MS } from './publisher.js';
export { PublishError, PublishBatchError, type PublishErrorCode, type PublishErrorInit } from './errors.js';
export { DEFAULT_RETRIES, backoffDelay } from './backoff.js';
export { signHeaders, type SigningOptions, type SignableBody } from './sign.js';
export type {
  BatchMessage,
  CallOptions,
  Credentials,
  HistoryMessage,
  HistoryOptions,
  HistoryPage,
  PublishOptions,
  PublishResult,
  Publisher,
  PublisherOptions,
  RegionOccupancy,
  RetryPolicy,
  RoomOccupancy,
} from './types.js';

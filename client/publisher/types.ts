/** Public types of the publisher client. */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { RoomMessage } from '../message.js';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). 1 means no retry. */
  attempts: number;
  /** The first backoff's ceiling (default 100 ms); it doubles per attempt. */
  baseMs: number;
  /** The largest backoff ceiling (default 5000 ms); also caps a server's Retry-After. */
  capMs: number;
}

export interface PublisherOptions {
  /** The publish API's base URL (the stack's `PublishUrl`), a stage path included if any. */
  endpoint: string;
  /** The API's region: part of the SigV4 scope. */
  region: string;
  /** Static keys or a provider; default: the AWS SDK's default credential chain. */
  credentials?: Credentials;
  retries?: Partial<RetryPolicy>;
  /** Deadline of one attempt, headers and body included (default 10000 ms). */
  timeoutMs?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface PublishOptions {
  /** Idempotency id (1 to 128 printable ASCII characters); generated when absent. */
  id?: string;
  /** Stops waiting and retrying: the call rejects with code ABORTED. */
  signal?: AbortSignal;
}

export interface PublishResult {
  room: string;
  id: string;
  /** The message's position in its room (opaque, sorts as a string). */
  pos: string;
}

export interface BatchMessage {
  room: string;
  data: unknown;
  id?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface HistoryOptions extends CallOptions {
  /** Messages after this position; without it, the latest `limit` messages. */
  since?: string;
  limit?: number;
}

/** A message of a history page: the room is the page's. */
export type HistoryMessage = Omit<RoomMessage, 'room'>;

export interface HistoryPage {
  room: string;
  /** Oldest first. */
  messages: HistoryMessage[];
  /** Present when the page is full: pass it as `since` for the next page. */
  next?: string;
  /** Without `since`: the room's cursor at the newest message, to read what follows later. */
  cursor?: string;
  /** With `since`: false when the room no longer holds everything after it (its history was trimmed). */
  complete?: boolean;
}

export interface Publisher {
  publish(room: string, data: unknown, options?: PublishOptions): Promise<PublishResult>;
  /** Results in input order; more than 25 messages go as several requests, one after another. */
  publishBatch(messages: readonly BatchMessage[], options?: CallOptions): Promise<PublishResult[]>;
  history(room: string, options?: HistoryOptions): Promise<HistoryPage>;
}

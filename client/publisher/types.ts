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

/** What one region counts in a room, and when it read its counts. */
export interface RegionOccupancy {
  /** Connections of that region subscribed to the room. */
  connections: number;
  /** Their distinct principals (the tokens' `sub`). */
  principals: number;
  /** When the region read its counts, in ms since the epoch. */
  at: number;
}

/** A room's occupancy: `GET /rooms/{room}`, or one room of `POST /occupancy`. */
export interface RoomOccupancy {
  room: string;
  /** Subscribed connections, all regions that answered together. */
  connections: number;
  /** Distinct principals, all regions that answered together. */
  principals: number;
  /** Each region that answered, by its name (today: the region of the endpoint, alone). */
  regions: Record<string, RegionOccupancy>;
}

export interface Publisher {
  publish(room: string, data: unknown, options?: PublishOptions): Promise<PublishResult>;
  /** Results in input order; more than 25 messages go as several requests, one after another. */
  publishBatch(messages: readonly BatchMessage[], options?: CallOptions): Promise<PublishResult[]>;
  history(room: string, options?: HistoryOptions): Promise<HistoryPage>;
  /** The room's subscribed connections and their distinct principals (`GET /rooms/{room}`). */
  occupancy(room: string, options?: CallOptions): Promise<RoomOccupancy>;
  /**
   * Several rooms' occupancy, one answer per input room in input order (a repeated room is
   * asked once and answered at each place); more than 50 distinct rooms go as several
   * `POST /occupancy` requests, one after another. No rooms: no request, `[]`.
   */
  occupancyOf(rooms: readonly string[], options?: CallOptions): Promise<RoomOccupancy[]>;
}

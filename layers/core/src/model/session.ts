import { shardOf } from './fanout.js';

/**
 * A session: the authenticated life of one connection. It ends when its token expires,
 * plus a grace (TOKEN_EXPIRY_GRACE_SECONDS) for the client's `refresh` to arrive; a
 * `refresh` with a new token moves the end. Without a token (AuthMode none) it never ends.
 * Times are seconds since the epoch, as a JWT's `exp`; `now` is in ms, as `App.now()`.
 */
export function sessionEnd(tokenExpiresAt: number | undefined, graceSeconds: number): number | undefined {
  return tokenExpiresAt === undefined ? undefined : tokenExpiresAt + graceSeconds;
}

/** Whether a session that ends at `endsAt` is still open at `now` (ms). */
export function isSessionOpen(endsAt: number | undefined, now: number): boolean {
  return endsAt === undefined || now < endsAt * 1000;
}

/**
 * The sweep finds ended sessions by an index whose partitions are these shards of the
 * connection ids: a connect storm's index writes spread over them instead of one key.
 */
export const SWEEP_SHARDS = 8;

export function sweepShardOf(connectionId: string): string {
  return String(shardOf(connectionId, SWEEP_SHARDS));
}

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

/**
 * The end stored on a connection's row (seconds): its token's (plus the grace), and at the
 * latest the row's own expiry, when API Gateway has long closed it. So every connection is
 * in the sweep's index and is removed, its rooms counted out (model/occupancy.ts), even
 * when `$disconnect` never came and no delivery met its 410.
 */
export function storedSessionEnd(tokenExpiresAt: number | undefined, graceSeconds: number, connectionExpiresAt: number): number {
  return Math.min(sessionEnd(tokenExpiresAt, graceSeconds) ?? connectionExpiresAt, connectionExpiresAt);
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

import { shardOf } from './fanout.js';

/**
 * A room's occupancy: its subscribed connections and their distinct principals, without I/O.
 *
 * Connections are the room's subscription rows, counted in each partition beside the rows
 * (model/room-partitions.ts): a room of a million spreads its count over its ~1,364
 * partitions as it spreads its rows. Principals are counted per principal (how many of the
 * room's rows are its) in PRINCIPAL_SHARDS shards of the room, each with the number of its
 * principals that have a row: a principal's first row counts it in, its last counts it out.
 * Only the write that puts a row where there was none, or deletes one that was there, moves
 * these counts, so nothing run twice counts twice (adapters/counted-rows.ts). What they can
 * miss: a function that ends between a row's write and its counts' (a crash or timeout at
 * that instant), and a row that DynamoDB's TTL deletes (docs/operations.md, "Occupancy").
 */
export interface Occupancy {
  connections: number;
  principals: number;
}

/**
 * Shards of a room's principal counts: a principal joining or leaving writes one of them.
 * 16 take 16,000 principal changes a second in one room (1,000 write units a second per
 * key), ten times the churn of a million viewers at 10% a minute.
 */
export const PRINCIPAL_SHARDS = 16;

/**
 * The principal of every connection without a token (AuthMode=none). Each such connection
 * counts as a principal of its own: counted in and out with its row, in the shard of its
 * connection id, with no item of its own (one principal for all would be one hot item).
 */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

/** The shard that counts a principal in a room. */
export function principalShardOf(principal: string): number {
  return shardOf(principal, PRINCIPAL_SHARDS);
}

/** The sum of counters, none below zero (a counter is never negative unless a row was counted out twice). */
export function sumCounts(counts: ReadonlyArray<number | undefined>): number {
  return counts.reduce<number>((sum, count) => sum + Math.max(0, count ?? 0), 0);
}

import { shardOf } from './fanout.js';

/**
 * A room's occupancy: its subscribed connections and their distinct principals, without I/O.
 *
 * Connections are the room's subscription rows, counted in each partition beside the rows
 * (model/room-partitions.ts): a room of a million spreads its count over its ~1,364
 * partitions as it spreads its rows. Principals are counted per principal (how many of the
 * room's rows are its) in PRINCIPAL_SHARDS shards of the room, each with the number of its
 * principals that have a row: a principal's first row counts it in, its last counts it out.
 * Every row written or deleted moves these counts in the same transaction, so they are
 * exact whatever fails or runs twice (adapters/counted-rows.ts).
 */
export interface Occupancy {
  connections: number;
  principals: number;
}

/**
 * Shards of a room's principal counts: a principal joining or leaving writes one of them.
 * 16 take ~8,000 principal changes a second in one room (1,000 write units a second per
 * key, 2 per transactional write), five times the churn of a million viewers at 10% a minute.
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

/** What adding (1) or removing (-1) a principal's row does to its count, given its rows before. */
export type PrincipalStep = 'first' | 'more' | 'last';

/**
 * The step to try first: a principal usually holds one connection, so a new row is its
 * first and a removed one its last; a cancelled try (the count was not what it assumed)
 * tries the other (nextStep).
 */
export function firstStep(delta: 1 | -1): PrincipalStep {
  return delta > 0 ? 'first' : 'last';
}

export function nextStep(delta: 1 | -1, tried: PrincipalStep): PrincipalStep {
  if (delta > 0) return tried === 'first' ? 'more' : 'first';
  return tried === 'last' ? 'more' : 'last';
}

/** The sum of counters, none below zero (a counter is never negative unless a row was counted out twice). */
export function sumCounts(counts: ReadonlyArray<number | undefined>): number {
  return counts.reduce<number>((sum, count) => sum + Math.max(0, count ?? 0), 0);
}

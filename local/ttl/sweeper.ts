/**
 * The local stand-in for DynamoDB's Time to Live, which DynamoDB Local does not run: every
 * `intervalMs` (and whenever asked) it scans each table that has TTL enabled and deletes
 * the items that are expired (see expiry.ts). The deletes are ordinary DeleteItem calls,
 * so a table's stream shows each as a REMOVE record, as AWS's TTL deletes are, but without
 * AWS's `userIdentity` (`{"type":"Service","principalId":"dynamodb.amazonaws.com"}`).
 */
import { DeleteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expiredCondition, expiryWindow, isExpired, type ExpiryWindow } from './expiry.js';

/** A table with TTL enabled: its name, key attributes and TTL attribute. */
export interface TtlTable {
  name: string;
  keys: string[];
  attribute: string;
}

export interface TtlSweeperOptions {
  dynamo: DynamoDBClient;
  tables: TtlTable[];
  /** Pause between the end of a sweep and the next one; 0: sweep only when asked. */
  intervalMs: number;
  /** Epoch milliseconds; default Date.now. */
  now?: () => number;
  /** Deletes in flight at once, per table. Default 8. */
  concurrency?: number;
  log?(line: string): void;
}

export interface TtlSweepOptions {
  /** Sweep as if it were this time (epoch seconds); default now. */
  at?: number;
}

/** What one sweep did, per table name and in all; a table that failed (a DynamoDB error) says why. */
export interface TtlSweep {
  /** The time the sweep took as now, in epoch seconds. */
  at: number;
  tables: Record<string, { scanned: number; deleted: number; error?: string }>;
  deleted: number;
}

export interface TtlStats {
  intervalMs: number;
  tables: string[];
  /** Sweeps made, items they deleted, and tables whose sweep failed (a DynamoDB error). */
  sweeps: number;
  deleted: number;
  failures: number;
}

export interface TtlSweeper {
  /** Sweeps now, after the sweep under way if any; resolves with what it deleted (rejects once stopped). */
  sweep(options?: TtlSweepOptions): Promise<TtlSweep>;
  stats(): TtlStats;
  /** No more sweeps; waits for the one under way. */
  stop(): Promise<void>;
}

export function startTtlSweeper(options: TtlSweeperOptions): TtlSweeper {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const stats: TtlStats = { intervalMs: options.intervalMs, tables: options.tables.map((table) => table.name), sweeps: 0, deleted: 0, failures: 0 };
  let last: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const sweep = (sweepOptions: TtlSweepOptions = {}): Promise<TtlSweep> => {
    if (stopped) return Promise.reject(new Error('the TTL sweeper is stopped'));
    const run = last.then(async () => {
      const result = await sweepTables(options, expiryWindow(sweepOptions.at ?? now() / 1000));
      stats.sweeps += 1;
      stats.deleted += result.deleted;
      if (result.deleted > 0) log(`TTL: ${result.deleted} expired item(s) deleted`);
      for (const [name, table] of Object.entries(result.tables)) {
        if (table.error === undefined) continue;
        stats.failures += 1;
        log(`TTL sweep of ${name} failed: ${table.error}`);
      }
      return result;
    });
    last = run.catch(() => undefined);
    return run;
  };
  const schedule = (): void => {
    if (stopped || options.intervalMs <= 0 || options.tables.length === 0) return;
    timer = setTimeout(() => {
      sweep()
        .catch(() => undefined)
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    sweep,
    stats: () => ({ ...stats, tables: [...stats.tables] }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await last;
    },
  };
}

async function sweepTables(options: TtlSweeperOptions, window: ExpiryWindow): Promise<TtlSweep> {
  const result: TtlSweep = { at: window.now, tables: {}, deleted: 0 };
  for (const table of options.tables) {
    const counts = { scanned: 0, deleted: 0 };
    try {
      await sweepTable(options.dynamo, table, window, options.concurrency ?? 8, counts);
      result.tables[table.name] = counts;
    } catch (error) {
      result.tables[table.name] = { ...counts, error: error instanceof Error ? error.message : String(error) };
    }
    result.deleted += counts.deleted;
  }
  return result;
}

/** Scans the table page by page (keys and TTL attribute only) and deletes what is expired, counting as it goes. */
async function sweepTable(dynamo: DynamoDBClient, table: TtlTable, window: ExpiryWindow, concurrency: number, counts: { scanned: number; deleted: number }): Promise<void> {
  const names = Object.fromEntries([...new Set([...table.keys, table.attribute])].map((name, index) => [`#a${index}`, name]));
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: table.name, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    const items = page.Items ?? [];
    counts.scanned += items.length;
    const expired = items.filter((item) => isExpired(item[table.attribute], window));
    for (let i = 0; i < expired.length; i += concurrency) {
      const outcomes = await Promise.all(expired.slice(i, i + concurrency).map((item) => deleteExpired(dynamo, table, item, window)));
      counts.deleted += outcomes.filter(Boolean).length;
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Deletes the item if it is still expired; false when it changed meanwhile (or is gone). */
async function deleteExpired(dynamo: DynamoDBClient, table: TtlTable, item: Record<string, AttributeValue>, window: ExpiryWindow): Promise<boolean> {
  const key = Object.fromEntries(table.keys.map((name) => [name, item[name]!]));
  try {
    await dynamo.send(new DeleteItemCommand({ TableName: table.name, Key: key, ...expiredCondition(table.attribute, window) }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

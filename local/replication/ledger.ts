/**
 * What the replicator knows of the items of the global tables that are not yet the same in
 * every region: bookkeeping only, no I/O.
 *
 * - Last writer wins. DynamoDB Local numbers the stream records of all its tables with one
 *   counter, so a record's sequence number orders writes across the regions: an item's
 *   winner is its change with the highest one.
 * - Loop-free, without adding attributes: each write of the replicator is remembered (the
 *   region, the item, what it wrote) until its record comes through that region's stream.
 *   That record is the write's echo, not a change to pass on.
 * - Every region whose table does not hold the winner gets it written, once the delay of the
 *   winner's region has passed since the winner was read. A region whose stream shows a
 *   losing write (or the echo of an older winner) gets the winner written back.
 * - An item that every region holds, with nothing in flight, is forgotten.
 */
import { fingerprint, type Image } from './images.js';

/** One write the replicator makes: `image` put (null: the item deleted) in `region`'s table. */
export interface ReplicaWrite {
  /** The table's logical id. */
  table: string;
  region: string;
  keys: Image;
  image: Image | null;
  /** The sequence number of the change being replicated. */
  version: bigint;
}

/** How a write went: the table changed (its record will come), already held it (no record comes), or failed. */
export type WriteOutcome = 'changed' | 'unchanged' | 'failed';

/** A change read from a region's stream. */
export interface ObservedChange {
  keys: Image;
  /** The new item; null for a delete. */
  image: Image | null;
  sequenceNumber: string;
}

interface Winner {
  version: bigint;
  region: string;
  image: Image | null;
  readAt: number;
}

interface Item {
  table: string;
  keys: Image;
  winner: Winner;
  /** The version each region's table holds, as its stream (or a write that changed nothing) told. */
  held: Map<string, bigint>;
  /** The version being written, by region: one write per item and region at a time. */
  writing: Map<string, bigint>;
  /** Writes whose record has not come through the region's stream yet. */
  echoes: Map<string, Array<{ fingerprint: string; version: bigint }>>;
  /** After a failed write: not before then. */
  retryAt: Map<string, number>;
}

export class ReplicationLedger {
  private readonly items = new Map<string, Item>();

  constructor(
    private readonly regions: readonly string[],
    private readonly retryDelayMs = 1000,
  ) {}

  /** Items not yet the same in every region (0: replication has caught up). */
  get unsettled(): number {
    return this.items.size;
  }

  /** A record of `region`'s stream: the echo of a write of the replicator, or a change made there. */
  observe(table: string, region: string, change: ObservedChange, now: number): 'change' | 'echo' {
    const id = itemId(table, change.keys);
    const print = fingerprint(change.image);
    let item = this.items.get(id);
    const expected = item?.echoes.get(region);
    const index = expected?.findIndex((echo) => echo.fingerprint === print) ?? -1;
    if (item && expected && index >= 0) {
      const [echo] = expected.splice(index, 1);
      if (expected.length === 0) item.echoes.delete(region);
      item.held.set(region, echo!.version);
      this.forgetIfSettled(id, item);
      return 'echo';
    }
    const version = sequenceOf(change.sequenceNumber);
    const winner: Winner = { version, region, image: change.image, readAt: now };
    if (!item) {
      item = { table, keys: change.keys, winner, held: new Map(), writing: new Map(), echoes: new Map(), retryAt: new Map() };
      this.items.set(id, item);
    } else if (version > item.winner.version) {
      item.winner = winner;
    }
    item.held.set(region, version);
    this.forgetIfSettled(id, item);
    return 'change';
  }

  /** The writes due at `now`, each marked as in flight until `settle`. */
  takeDue(now: number, delayOf: (region: string) => number): ReplicaWrite[] {
    const due: ReplicaWrite[] = [];
    for (const item of this.items.values()) {
      for (const region of this.waiting(item)) {
        if (dueAt(item, region, delayOf) > now) continue;
        const { version, image } = item.winner;
        item.writing.set(region, version);
        item.retryAt.delete(region);
        item.echoes.set(region, [...(item.echoes.get(region) ?? []), { fingerprint: fingerprint(image), version }]);
        due.push({ table: item.table, region, keys: item.keys, image, version });
      }
    }
    return due;
  }

  /** When the next write falls due; undefined when none waits. */
  nextDue(delayOf: (region: string) => number): number | undefined {
    let next: number | undefined;
    for (const item of this.items.values()) {
      for (const region of this.waiting(item)) {
        const at = dueAt(item, region, delayOf);
        if (next === undefined || at < next) next = at;
      }
    }
    return next;
  }

  /** A write came back. Unless the table changed, no record will come for it. */
  settle(write: ReplicaWrite, outcome: WriteOutcome, now: number): void {
    const id = itemId(write.table, write.keys);
    const item = this.items.get(id);
    if (!item) return;
    if (item.writing.get(write.region) === write.version) item.writing.delete(write.region);
    if (outcome !== 'changed') {
      const echoes = item.echoes.get(write.region) ?? [];
      const print = fingerprint(write.image);
      const index = echoes.findIndex((echo) => echo.version === write.version && echo.fingerprint === print);
      if (index >= 0) echoes.splice(index, 1);
      if (echoes.length === 0) item.echoes.delete(write.region);
      const held = item.held.get(write.region);
      if (outcome === 'unchanged' && (held === undefined || held < write.version)) item.held.set(write.region, write.version);
      if (outcome === 'failed') item.retryAt.set(write.region, now + this.retryDelayMs);
    }
    this.forgetIfSettled(id, item);
  }

  /** Regions that need the winner written: they do not hold it, and no write of it is under way. */
  private waiting(item: Item): string[] {
    const { version } = item.winner;
    return this.regions.filter(
      (region) => item.held.get(region) !== version && !item.writing.has(region) && !(item.echoes.get(region) ?? []).some((echo) => echo.version === version),
    );
  }

  private forgetIfSettled(id: string, item: Item): void {
    const settled = item.writing.size === 0 && item.echoes.size === 0 && this.regions.every((region) => item.held.get(region) === item.winner.version);
    if (settled) this.items.delete(id);
  }
}

function itemId(table: string, keys: Image): string {
  return `${table}\n${fingerprint(keys)}`;
}

function dueAt(item: Item, region: string, delayOf: (region: string) => number): number {
  return Math.max(item.winner.readAt + delayOf(item.winner.region), item.retryAt.get(region) ?? 0);
}

function sequenceOf(sequenceNumber: string): bigint {
  if (!/^\d+$/.test(sequenceNumber)) throw new Error(`stream record sequence number ${JSON.stringify(sequenceNumber)} is not a number`);
  return BigInt(sequenceNumber);
}

/**
 * The local stand-in for DynamoDB global tables: reads each region's stream of each
 * replicated table and writes every change (INSERT and MODIFY as the new item, REMOVE as a
 * delete) to the same table of the other regions, after the source region's delay.
 * See ledger.ts for the rules (last writer wins, loop-free).
 */
import { DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { startStreamSource, toJsonValue, type StreamEventSource, type StreamRecord } from '../event-sources/index.js';
import type { ReplicationDelays } from './delays.js';
import { fingerprint, toAttributeMap, type Image } from './images.js';
import { ReplicationLedger, type ReplicaWrite, type WriteOutcome } from './ledger.js';

export interface ReplicaRegion {
  region: string;
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** The region's tables by logical id; a replicated one needs a stream with new images. */
  tables: Record<string, { name: string; streamArn?: string }>;
}

export interface ReplicatorOptions {
  regions: ReplicaRegion[];
  /** Logical ids of the tables to replicate. */
  tables: string[];
  delays: ReplicationDelays;
  /** Pause after an empty GetRecords; default 100. */
  pollIntervalMs?: number;
  log?(line: string): void;
}

export interface ReplicatorStats {
  /** Changes read from the streams (writes made in a region). */
  changes: number;
  /** Records of the replicator's own writes, read and not passed on. */
  echoes: number;
  /** Writes made to replicas (puts and deletes), including those that changed nothing. */
  writes: number;
  /** Writes that found the item as it was to be (no record follows them). */
  unchanged: number;
  failures: number;
  /** Items not yet the same in every region. */
  unsettled: number;
}

export interface Replicator {
  /** Resolves once every stream is being read (later changes are replicated). */
  ready: Promise<void>;
  stats(): ReplicatorStats;
  stop(): Promise<void>;
}

/** Longest timer Node keeps (about 24.8 days); a longer delay is waited in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function startReplicator(options: ReplicatorOptions): Replicator {
  const log = options.log ?? (() => undefined);
  const regions = new Map(options.regions.map((region) => [region.region, region]));
  const ledger = new ReplicationLedger([...regions.keys()]);
  const delayOf = (region: string): number => options.delays.of(region);
  const counts = { changes: 0, echoes: 0, writes: 0, unchanged: 0, failures: 0 };
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const apply = async (write: ReplicaWrite): Promise<void> => {
    const outcome = await writeReplica(regions.get(write.region)!, write, log);
    counts.writes += 1;
    if (outcome === 'unchanged') counts.unchanged += 1;
    if (outcome === 'failed') counts.failures += 1;
    ledger.settle(write, outcome, Date.now());
  };

  /** Starts the writes that are due and sets the timer for the next one. */
  const pump = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    for (const write of ledger.takeDue(Date.now(), delayOf)) {
      const work: Promise<void> = apply(write).finally(() => {
        inFlight.delete(work);
        pump();
      });
      inFlight.add(work);
    }
    const next = ledger.nextDue(delayOf);
    if (next !== undefined) timer = setTimeout(pump, Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now())));
  };

  const observe = (table: string, region: string, records: StreamRecord[]): void => {
    for (const record of records) {
      const image = record.eventName === 'REMOVE' ? null : (record.dynamodb.NewImage as Image | undefined);
      if (image === undefined || !record.dynamodb.Keys) {
        log(`${region} ${table}: a ${record.eventName} record without its new image cannot be replicated`);
        continue;
      }
      const seen = ledger.observe(table, region, { keys: record.dynamodb.Keys, image, sequenceNumber: record.dynamodb.SequenceNumber }, Date.now());
      counts[seen === 'echo' ? 'echoes' : 'changes'] += 1;
    }
    pump();
  };

  const streamOf = (replica: ReplicaRegion, table: string): string => {
    const streamArn = replica.tables[table]?.streamArn;
    if (!streamArn) throw new Error(`${table} in ${replica.region} has no stream: it cannot be replicated`);
    return streamArn;
  };
  options.regions.forEach((replica) => options.tables.forEach((table) => streamOf(replica, table)));
  const sources: StreamEventSource[] = [];
  for (const replica of options.regions) {
    for (const table of options.tables) {
      const streamArn = streamOf(replica, table);
      sources.push(
        startStreamSource({
          streams: replica.streams,
          streamArn,
          region: replica.region,
          startingPosition: 'LATEST',
          pollIntervalMs: options.pollIntervalMs ?? 100,
          invoke: async (event) => observe(table, replica.region, (event as { Records: StreamRecord[] }).Records),
          log: (line) => log(`${replica.region} ${table}: ${line}`),
        }),
      );
    }
  }
  const unsubscribe = options.delays.onChange(pump);

  return {
    ready: Promise.all(sources.map((source) => source.ready())).then(() => undefined),
    stats: () => ({ ...counts, unsettled: ledger.unsettled }),
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      await Promise.allSettled(sources.map((source) => source.stop()));
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** Puts the image (or deletes the item) and says whether the table changed. */
async function writeReplica(replica: ReplicaRegion, write: ReplicaWrite, log: (line: string) => void): Promise<WriteOutcome> {
  const tableName = replica.tables[write.table]?.name;
  try {
    if (!tableName) throw new Error('no such table in this region');
    if (write.image) {
      const { Attributes } = await replica.dynamo.send(new PutItemCommand({ TableName: tableName, Item: toAttributeMap(write.image), ReturnValues: 'ALL_OLD' }));
      return Attributes && fingerprint(toJsonValue(Attributes) as Image) === fingerprint(write.image) ? 'unchanged' : 'changed';
    }
    const { Attributes } = await replica.dynamo.send(new DeleteItemCommand({ TableName: tableName, Key: toAttributeMap(write.keys), ReturnValues: 'ALL_OLD' }));
    return Attributes ? 'changed' : 'unchanged';
  } catch (error) {
    log(`${write.region} ${write.table}: ${write.image ? 'put' : 'delete'} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 'failed';
  }
}

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RoomcastError } from '../errors.js';
import { fullJitter } from '../model/backoff.js';
import { mapLimit, sleep } from '../model/concurrency.js';
import { shardOf } from '../model/fanout.js';
import { ANONYMOUS_PRINCIPAL, firstStep, nextStep, principalShardOf, PRINCIPAL_SHARDS, sumCounts, type Occupancy, type PrincipalStep } from '../model/occupancy.js';
import { partitionsOf, type Partition } from '../model/room-partitions.js';
import { COUNT_SK, partitionKey, subscriptionRow, type RoomPartitionsStore } from './room-partitions-store.js';

/**
 * A room's subscription rows, written and deleted together with the counts that make its
 * occupancy (model/occupancy.ts), in one transaction each:
 *   the row                      pk = <partition key>,                  sk = <connection id>
 *   its partition's count        pk = <partition key>,                  sk = "#rows"          rows
 *   its principal's rows         pk = "room#<room>#p<shard>",           sk = "p#<principal>"  conns
 *   the shard's principals       pk = "room#<room>#p<shard>",           sk = "#principals"    principals
 * A principal's item goes with its last row. A row is put only where there is none and
 * deleted only where there is one, so a retried subscribe or a second `$disconnect` counts
 * nothing twice. Write units (items up to 1 KB, two units per item written in a
 * transaction): a principal's first row 8, its others 6; removing its last row 8, another 6;
 * an anonymous connection's row 6 (its own principal, model/occupancy.ts); a row from before
 * principals were counted 4.
 */
export interface RowFacts {
  connectionId: string;
  principal?: string | undefined;
  expiresAt: number;
  sessionEndsAt?: number | undefined;
}

export class CountedRows {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly partitions: RoomPartitionsStore,
  ) {}

  /** Put a row where there is none and count it in; a row already there is written again, uncounted. Whether it was new. */
  async add(room: string, row: RowFacts, partition: Partition): Promise<boolean> {
    const item = { ...subscriptionRow(room, row.connectionId, row.expiresAt, partition, row.sessionEndsAt), ...(row.principal === undefined ? {} : { principal: row.principal }) };
    const put = { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
    const added = await this.transact(room, 1, put, partition, row.connectionId, row.principal);
    if (!added) await this.dynamo.send(new PutCommand({ TableName: this.table, Item: item }));
    return added;
  }

  /** Delete a row if there is one and count it out; whether there was one. The principal is read from the row when not given. */
  async remove(room: string, connectionId: string, partition: Partition, principal?: string): Promise<boolean> {
    const key = { pk: partitionKey(room, partition), sk: connectionId };
    let owner = principal;
    if (owner === undefined) {
      const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
      if (!Item) return false;
      owner = typeof Item.principal === 'string' ? Item.principal : undefined;
    }
    const del = { Delete: { TableName: this.table, Key: key, ConditionExpression: 'attribute_exists(pk)' } };
    return this.transact(room, -1, del, partition, connectionId, owner);
  }

  /** The room's occupancy from its counts: every partition's rows and every shard's principals. */
  async occupancy(room: string): Promise<Occupancy> {
    const partitions = partitionsOf(await this.partitions.shape(room));
    const keys = [
      ...partitions.map((partition) => ({ pk: partitionKey(room, partition), sk: COUNT_SK })),
      ...Array.from({ length: PRINCIPAL_SHARDS }, (_, shard) => ({ pk: principalKey(room, shard), sk: PRINCIPALS_SK })),
    ];
    const items = await this.getAll(keys);
    return {
      connections: sumCounts(items.filter((item) => item.sk === COUNT_SK).map((item) => Number(item.rows))),
      principals: sumCounts(items.filter((item) => item.sk === PRINCIPALS_SK).map((item) => Number(item.principals))),
    };
  }

  /**
   * The row's write with its counts, trying the principal's likely step first and the other
   * when its count says otherwise. False: the row's own condition failed (there was one
   * already, or none to delete).
   */
  private async transact(room: string, delta: 1 | -1, rowWrite: Record<string, unknown>, partition: Partition, connectionId: string, principal: string | undefined): Promise<boolean> {
    let step = firstStep(delta);
    let misses = 0;
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const principalWrites =
        principal === ANONYMOUS_PRINCIPAL
          ? [this.shardWrite(room, shardOf(connectionId, PRINCIPAL_SHARDS), delta)]
          : principal === undefined || (misses >= 2 && !(await this.principalCounted(room, principal)))
            ? []
            : this.principalWrites(room, principal, delta, step);
      try {
        await this.dynamo.send(new TransactWriteCommand({ TransactItems: [rowWrite, this.countWrite(room, partition, delta), ...principalWrites] as never }));
        if (delta > 0) await this.partitions.afterAdded(room, partition);
        return true;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [row, , principalCount] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
        if (row === 'ConditionalCheckFailed') return false;
        if (principalCount === 'ConditionalCheckFailed') {
          step = nextStep(delta, step);
          misses += 1;
        } else {
          await sleep(fullJitter(attempt, { baseMs: 10, capMs: 200 }));
        }
      }
    }
    throw new RoomcastError('THROTTLED', `room ${room} is busy: its counts kept changing`, { details: { room } });
  }

  private countWrite(room: string, partition: Partition, delta: number): Record<string, unknown> {
    return {
      Update: { TableName: this.table, Key: { pk: partitionKey(room, partition), sk: COUNT_SK }, UpdateExpression: 'ADD #rows :delta', ExpressionAttributeNames: { '#rows': 'rows' }, ExpressionAttributeValues: { ':delta': delta } },
    };
  }

  /**
   * The principal's count, conditioned on the step's assumption (its last row deletes it),
   * and its shard's principals when it joins or leaves.
   */
  private principalWrites(room: string, principal: string, delta: number, step: PrincipalStep): Array<Record<string, unknown>> {
    const shard = principalShardOf(principal);
    const Key = { pk: principalKey(room, shard), sk: `p#${principal}` };
    const own =
      step === 'last'
        ? { Delete: { TableName: this.table, Key, ConditionExpression: 'conns = :one', ExpressionAttributeValues: { ':one': 1 } } }
        : {
            Update: {
              TableName: this.table,
              Key,
              UpdateExpression: 'ADD conns :delta',
              ConditionExpression: step === 'first' ? 'attribute_not_exists(conns) OR conns <= :zero' : delta > 0 ? 'conns >= :one' : 'conns > :one',
              ExpressionAttributeValues: { ':delta': delta, ...(step === 'first' ? { ':zero': 0 } : { ':one': 1 }) },
            },
          };
    return step === 'more' ? [own] : [own, this.shardWrite(room, shard, delta)];
  }

  private shardWrite(room: string, shard: number, delta: number): Record<string, unknown> {
    return { Update: { TableName: this.table, Key: { pk: principalKey(room, shard), sk: PRINCIPALS_SK }, UpdateExpression: 'ADD principals :delta', ExpressionAttributeValues: { ':delta': delta } } };
  }

  /** Whether the principal has rows counted in the room (a row from before principals were counted has none). */
  private async principalCounted(room: string, principal: string): Promise<boolean> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: { pk: principalKey(room, principalShardOf(principal)), sk: `p#${principal}` }, ConsistentRead: true }));
    return Number(Item?.conns ?? 0) > 0;
  }

  /** Every item of `keys`, 100 a request, READS_IN_FLIGHT requests at once. */
  private async getAll(keys: Array<Record<string, string>>): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    const chunks = Array.from({ length: Math.ceil(keys.length / 100) }, (_, i) => keys.slice(i * 100, i * 100 + 100));
    await mapLimit(chunks, READS_IN_FLIGHT, async (chunk) => {
      let pending: Array<Record<string, unknown>> | undefined = chunk;
      for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
        if (attempt > 0) await sleep(fullJitter(attempt, { baseMs: 25, capMs: 1000 }));
        if (attempt > 8) throw new RoomcastError('THROTTLED', 'could not read the room’s counts');
        const result: BatchGetCommandOutput = await this.dynamo.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending } } }));
        items.push(...(result.Responses?.[this.table] ?? []));
        pending = result.UnprocessedKeys?.[this.table]?.Keys;
      }
    });
    return items;
  }
}

const ATTEMPTS = 8;
/** BatchGetItem requests of one occupancy read at once: a room of 1,000,000 is 14. */
const READS_IN_FLIGHT = 8;
const PRINCIPALS_SK = '#principals';

function principalKey(room: string, shard: number): string {
  return `room#${room}#p${shard}`;
}

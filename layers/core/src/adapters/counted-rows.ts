import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RoomcastError } from '../errors.js';
import { fullJitter } from '../model/backoff.js';
import { mapLimit, sleep } from '../model/concurrency.js';
import { shardOf } from '../model/fanout.js';
import { ANONYMOUS_PRINCIPAL, principalShardOf, PRINCIPAL_SHARDS, sumCounts, type Occupancy } from '../model/occupancy.js';
import { partitionsOf, type Partition } from '../model/room-partitions.js';
import { COUNT_SK, partitionKey, subscriptionRow, type RoomPartitionsStore } from './room-partitions-store.js';

/**
 * A room's subscription rows, written and deleted with the counts that make its occupancy
 * (model/occupancy.ts):
 *   the row                      pk = <partition key>,                  sk = <connection id>  principal
 *   its partition's count        pk = <partition key>,                  sk = "#rows"          rows
 *   its principal's rows         pk = "room#<room>#p<shard>",           sk = "p#<principal>"  conns
 *   the shard's principals       pk = "room#<room>#p<shard>",           sk = "#principals"    principals
 * A row is put only where there is none and deleted only where there is one, and only the
 * write that put or deleted it moves the counts (atomic ADDs, which never conflict), so a
 * retried subscribe or a second `$disconnect` counts nothing twice. A principal's count that
 * reaches 1 counts it in, 0 counts it out (and deletes its item). Write units (items up to
 * 1 KB): a row with its partition's count 2, its principal's count 1 more, and 1 more when
 * that counts the principal in or out; an anonymous connection's row 3.
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
    const Item = { ...subscriptionRow(room, row.connectionId, row.expiresAt, partition, row.sessionEndsAt), ...(row.principal === undefined ? {} : { principal: row.principal }) };
    try {
      await this.dynamo.send(new PutCommand({ TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.dynamo.send(new PutCommand({ TableName: this.table, Item }));
      return false;
    }
    await Promise.all([this.partitions.count(room, partition, 1), this.countPrincipal(room, row.connectionId, row.principal, 1)]);
    return true;
  }

  /** Delete a row if there is one and count it out; whether there was one. */
  async remove(room: string, connectionId: string, partition: Partition): Promise<boolean> {
    let Attributes: Record<string, unknown> | undefined;
    try {
      ({ Attributes } = await this.dynamo.send(
        new DeleteCommand({ TableName: this.table, Key: { pk: partitionKey(room, partition), sk: connectionId }, ConditionExpression: 'attribute_exists(pk)', ReturnValues: 'ALL_OLD' }),
      ));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
    const principal = typeof Attributes?.principal === 'string' ? Attributes.principal : undefined;
    await Promise.all([this.partitions.count(room, partition, -1), this.countPrincipal(room, connectionId, principal, -1)]);
    return true;
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
   * A row of `principal` came (1) or went (-1): its count moves, and the shard's principals
   * when that count reaches 1 or 0. An anonymous connection is a principal of its own; a row
   * from before principals were counted has none and moves nothing.
   */
  private async countPrincipal(room: string, connectionId: string, principal: string | undefined, delta: 1 | -1): Promise<void> {
    if (principal === undefined) return;
    if (principal === ANONYMOUS_PRINCIPAL) return this.countShard(room, shardOf(connectionId, PRINCIPAL_SHARDS), delta);
    const shard = principalShardOf(principal);
    const Key = { pk: principalKey(room, shard), sk: `p#${principal}` };
    const { Attributes } = await this.dynamo.send(
      new UpdateCommand({ TableName: this.table, Key, UpdateExpression: 'ADD conns :delta', ExpressionAttributeValues: { ':delta': delta }, ReturnValues: 'UPDATED_NEW' }),
    );
    const conns = Number(Attributes?.conns ?? 0);
    if (conns === (delta > 0 ? 1 : 0)) await this.countShard(room, shard, delta);
    if (conns > 0) return;
    // Its last row went: the item goes too, unless a row came back meanwhile.
    await this.dynamo.send(new DeleteCommand({ TableName: this.table, Key, ConditionExpression: 'conns <= :zero', ExpressionAttributeValues: { ':zero': 0 } })).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }

  private async countShard(room: string, shard: number, delta: number): Promise<void> {
    await this.dynamo.send(
      new UpdateCommand({ TableName: this.table, Key: { pk: principalKey(room, shard), sk: PRINCIPALS_SK }, UpdateExpression: 'ADD principals :delta', ExpressionAttributeValues: { ':delta': delta } }),
    );
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

const PRINCIPALS_SK = '#principals';
/** BatchGetItem requests of one occupancy read at once: a room of 1,000,000 is 14. */
const READS_IN_FLIGHT = 8;

function principalKey(room: string, shard: number): string {
  return `room#${room}#p${shard}`;
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RoomcastError } from '../errors.js';
import { shardOf } from '../model/fanout.js';
import { LIMITS } from '../model/limits.js';
import { sleep } from '../model/concurrency.js';

/**
 * The regional connections table. Two kinds of rows, one key shape (pk, sk):
 * - a connection:   pk = "conn#<id>",          sk = "conn"   principal, patterns, rooms, expiresAt
 * - a subscription: pk = "room#<room>#<shard>", sk = "<id>"   expiresAt
 * A room's subscriptions spread over `shards` partition keys (the shard is a hash of
 * the connection id), so a big room is read by parallel Queries and written without a
 * hot key, and a small room costs `shards` small Queries per publish.
 */
export interface Connection {
  connectionId: string;
  principal: string;
  patterns: string[];
  rooms: string[];
  connectedAt: number;
  expiresAt: number;
}

export class ConnectionsStore {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly shards: number,
  ) {}

  async put(connection: Omit<Connection, 'rooms'>): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.table, Item: { pk: connKey(connection.connectionId), sk: 'conn', ...connection } }));
  }

  async get(connectionId: string): Promise<Connection | undefined> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: { pk: connKey(connectionId), sk: 'conn' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const rooms = Item.rooms instanceof Set ? [...(Item.rooms as Set<string>)] : [];
    return { connectionId, principal: Item.principal, patterns: Item.patterns ?? [], rooms, connectedAt: Item.connectedAt, expiresAt: Item.expiresAt };
  }

  /**
   * Add rooms to a connection, keeping it under `max` rooms, then write the subscription
   * rows. The rooms set is written first so that a crash leaves nothing `$disconnect`
   * cannot find.
   */
  async subscribe(connection: Connection, rooms: readonly string[], max: number): Promise<void> {
    const added = rooms.filter((room) => !connection.rooms.includes(room));
    if (connection.rooms.length + added.length > max) {
      throw new RoomcastError('TOO_MANY_ROOMS', `a connection holds at most ${max} rooms`, { details: { limit: max } });
    }
    if (added.length > 0) {
      try {
        await this.dynamo.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: connKey(connection.connectionId), sk: 'conn' },
            UpdateExpression: 'ADD rooms :added',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(rooms) OR size(rooms) <= :room_budget)',
            ExpressionAttributeValues: { ':added': new Set(added), ':room_budget': max - added.length },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          throw new RoomcastError('TOO_MANY_ROOMS', `a connection holds at most ${max} rooms`, { details: { limit: max } });
        }
        throw error;
      }
    }
    await this.writeRows(rooms.map((room) => ({ PutRequest: { Item: this.subscriptionRow(room, connection) } })));
  }

  /** Remove rooms from a connection: the rows first, then the rooms set. */
  async unsubscribe(connectionId: string, rooms: readonly string[]): Promise<void> {
    await this.writeRows(rooms.map((room) => ({ DeleteRequest: { Key: this.subscriptionKey(room, connectionId) } })));
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: connKey(connectionId), sk: 'conn' },
        UpdateExpression: 'DELETE rooms :rooms',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':rooms': new Set(rooms) },
      }),
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }

  /**
   * Forget a connection and every subscription row it has. `alsoRooms` names rooms whose
   * rows may exist even when the connection row is gone (a 410 for a job of that room).
   */
  async remove(connectionId: string, alsoRooms: readonly string[] = []): Promise<{ rooms: string[] }> {
    const connection = await this.get(connectionId);
    const rooms = [...new Set([...(connection?.rooms ?? []), ...alsoRooms])];
    await this.writeRows(rooms.map((room) => ({ DeleteRequest: { Key: this.subscriptionKey(room, connectionId) } })));
    await this.dynamo.send(new DeleteCommand({ TableName: this.table, Key: { pk: connKey(connectionId), sk: 'conn' } }));
    return { rooms };
  }

  /** Read one shard of a room's subscribers page by page; `onPage` runs as pages arrive. */
  async forEachSubscriberPage(room: string, shard: number, onPage: (connectionIds: string[]) => Promise<void>): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': roomKey(room, shard) },
          ProjectionExpression: 'sk',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      const ids = (page.Items ?? []).map((item) => item.sk as string);
      if (ids.length > 0) await onPage(ids);
      start = page.LastEvaluatedKey;
    } while (start);
  }

  get shardCount(): number {
    return this.shards;
  }

  private subscriptionKey(room: string, connectionId: string): { pk: string; sk: string } {
    return subscriptionKey(room, connectionId, this.shards);
  }

  private subscriptionRow(room: string, connection: Connection): Record<string, unknown> {
    return subscriptionRow(room, connection.connectionId, connection.expiresAt, this.shards);
  }

  private async writeRows(requests: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: Record<string, unknown>[] | undefined = requests.slice(i, i + 25);
      for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        if (attempt > 8) throw new RoomcastError('THROTTLED', 'could not write subscription rows');
        const result = await this.dynamo.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }));
        pending = result.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
      }
    }
  }
}

function subscriptionKey(room: string, connectionId: string, shards: number): { pk: string; sk: string } {
  return { pk: roomKey(room, shardOf(connectionId, shards)), sk: connectionId };
}

/** A subscription row exactly as `subscribe` writes it (tools that write rows in bulk use it too). */
export function subscriptionRow(room: string, connectionId: string, expiresAt: number, shards: number): { pk: string; sk: string; expiresAt: number } {
  return { ...subscriptionKey(room, connectionId, shards), expiresAt };
}

function connKey(connectionId: string): string {
  return `conn#${connectionId}`;
}

function roomKey(room: string, shard: number): string {
  return `room#${room}#${shard}`;
}


export const CONNECTION_TTL_SECONDS = LIMITS.connectionTtlSeconds;

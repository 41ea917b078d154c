import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RoomcastError } from '../errors.js';
import { LIMITS } from '../model/limits.js';
import { mapLimit } from '../model/concurrency.js';
import { SWEEP_SHARDS, sweepShardOf } from '../model/session.js';
import { partitionOf, type Partition } from '../model/room-partitions.js';
import { CountedRows } from './counted-rows.js';
import { subscriptionRow, type RoomPartitionsStore } from './room-partitions-store.js';
import type { Occupancy } from '../model/occupancy.js';
import type { Connection, ConnectionsPort } from '../app/ports.js';

/**
 * The regional connections table. A connection's row:
 *   pk = "conn#<id>", sk = "conn"   principal, patterns, rooms, expiresAt, "gen:<room>"...,
 *                                   sessionEndsAt and sweepShard (with a token only)
 * `gen:<room>` says which generation of the room's partitions holds the connection's
 * subscription row (adapters/room-partitions-store.ts has the room's rows), so that
 * unsubscribing and `$disconnect` delete exactly that row and count it out. A row without
 * it is in generation 0. Top-level attributes, so that no update depends on a map existing.
 * The index `bySessionEnd` (sweepShard, sessionEndsAt; keys only) holds the connection rows
 * of sessions that can end, so the sweep finds the ended ones without reading the others.
 */
export type { Connection } from '../app/ports.js';

export class ConnectionsStore implements ConnectionsPort {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
    /** Where rooms' subscription rows are: their shapes and partitions. */
    readonly partitions: RoomPartitionsStore,
  ) {
    this.rows = new CountedRows(dynamo, table, partitions);
  }

  /** Rooms' subscription rows with the counts of their occupancy. */
  private readonly rows: CountedRows;

  async put(connection: Omit<Connection, 'rooms' | 'generations'>): Promise<void> {
    const sweep = connection.sessionEndsAt === undefined ? {} : { sweepShard: sweepShardOf(connection.connectionId) };
    await this.dynamo.send(new PutCommand({ TableName: this.table, Item: { pk: connKey(connection.connectionId), sk: 'conn', ...connection, ...sweep } }));
  }

  async get(connectionId: string): Promise<Connection | undefined> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: { pk: connKey(connectionId), sk: 'conn' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const rooms = Item.rooms instanceof Set ? [...(Item.rooms as Set<string>)] : [];
    const generations = Object.fromEntries(Object.entries(Item).filter(([name]) => name.startsWith(GEN)).map(([name, generation]) => [name.slice(GEN.length), Number(generation)]));
    const session = typeof Item.sessionEndsAt === 'number' ? { sessionEndsAt: Item.sessionEndsAt } : {};
    return { connectionId, principal: Item.principal, patterns: Item.patterns ?? [], rooms, generations, connectedAt: Item.connectedAt, expiresAt: Item.expiresAt, ...session };
  }

  /**
   * Add rooms to a connection, keeping it under `max` rooms, then write the subscription
   * rows and count the new ones. A new room's row goes to the room's newest generation
   * (as this instance knows it); a room the connection has already is written again where
   * it is. The rooms set is written first so that a crash leaves nothing `$disconnect`
   * cannot find.
   */
  async subscribe(connection: Connection, rooms: readonly string[], max: number): Promise<void> {
    const added = rooms.filter((room) => !connection.rooms.includes(room));
    if (connection.rooms.length + added.length > max) {
      throw new RoomcastError('TOO_MANY_ROOMS', `a connection holds at most ${max} rooms`, { details: { limit: max } });
    }
    const shapes = await Promise.all(added.map((room) => this.partitions.shapeForWriting(room)));
    const generations = { ...connection.generations };
    added.forEach((room, index) => (generations[room] = shapes[index]!.generation));
    if (added.length > 0) {
      const names = Object.fromEntries(added.map((room, index) => [`#r${index}`, `${GEN}${room}`]));
      const values = Object.fromEntries(added.map((room, index) => [`:g${index}`, generations[room]]));
      try {
        await this.dynamo.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: connKey(connection.connectionId), sk: 'conn' },
            UpdateExpression: `ADD rooms :added SET ${added.map((_, index) => `#r${index} = :g${index}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(rooms) OR size(rooms) <= :room_budget)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':added': new Set(added), ':room_budget': max - added.length, ...values },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          throw new RoomcastError('TOO_MANY_ROOMS', `a connection holds at most ${max} rooms`, { details: { limit: max } });
        }
        throw error;
      }
    }
    const { connectionId, principal, expiresAt, sessionEndsAt } = connection;
    await mapLimit(rooms, ROWS_IN_FLIGHT, async (room) => {
      await this.rows.add(room, { connectionId, principal, expiresAt, sessionEndsAt }, partitionOf(connectionId, this.partitions.base, generations[room] ?? 0));
    });
  }

  async occupancy(room: string): Promise<Occupancy> {
    return this.rows.occupancy(room);
  }

  /** Remove rooms from a connection: the rows first (counted out), then the rooms set. */
  async unsubscribe(connectionId: string, rooms: readonly string[]): Promise<void> {
    const connection = await this.get(connectionId);
    if (!connection) return;
    const held = rooms.filter((room) => connection.rooms.includes(room));
    await this.removeRows(connection, held);
    if (held.length === 0) return;
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: connKey(connectionId), sk: 'conn' },
        UpdateExpression: `DELETE rooms :rooms REMOVE ${held.map((_, index) => `#r${index}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(held.map((room, index) => [`#r${index}`, `${GEN}${room}`])),
        ExpressionAttributeValues: { ':rooms': new Set(held) },
      }),
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }

  /**
   * A `refresh`: the row's new patterns and session end (only while the row exists), then
   * each held room's subscription row, updated in place (never created again: a room left
   * meanwhile stays left). At most ROOMS_PER_CONNECTION rows, a bounded number at a time.
   */
  async renew(connection: Connection, patterns: readonly string[], sessionEndsAt: number | undefined): Promise<void> {
    const update = sessionEndsAt === undefined ? 'SET patterns = :patterns REMOVE sessionEndsAt, sweepShard' : 'SET patterns = :patterns, sessionEndsAt = :ends, sweepShard = :shard';
    const values = sessionEndsAt === undefined ? {} : { ':ends': sessionEndsAt, ':shard': sweepShardOf(connection.connectionId) };
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: connKey(connection.connectionId), sk: 'conn' },
          UpdateExpression: update,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':patterns': [...patterns], ...values },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new RoomcastError('CONNECTION_UNKNOWN', 'this connection is not known; reconnect');
      throw error;
    }
    const partition = (room: string): Partition => partitionOf(connection.connectionId, this.partitions.base, connection.generations[room] ?? 0);
    const rowUpdate = sessionEndsAt === undefined ? 'REMOVE sessionEndsAt' : 'SET sessionEndsAt = :ends';
    await mapLimit(connection.rooms, ROWS_IN_FLIGHT, async (room) => {
      await this.dynamo
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key: subscriptionKey(room, connection.connectionId, partition(room)),
            UpdateExpression: rowUpdate,
            ConditionExpression: 'attribute_exists(pk)',
            ...(sessionEndsAt === undefined ? {} : { ExpressionAttributeValues: { ':ends': sessionEndsAt } }),
          }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
    });
  }

  /** Ended sessions, from the index `bySessionEnd`: a Query per shard (longest ended first), at most `limit` in all. */
  async endedSessions(now: number, limit: number): Promise<string[]> {
    const ended: string[] = [];
    const perShard = Math.ceil(limit / SWEEP_SHARDS);
    await Promise.all(
      Array.from({ length: SWEEP_SHARDS }, async (_, shard) => {
        let start: Record<string, unknown> | undefined;
        let found = 0;
        do {
          const page = await this.dynamo.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: SESSION_INDEX,
              KeyConditionExpression: 'sweepShard = :shard AND sessionEndsAt <= :now',
              ExpressionAttributeValues: { ':shard': String(shard), ':now': Math.floor(now / 1000) },
              Limit: perShard - found,
              ExclusiveStartKey: start,
            }),
          );
          for (const item of page.Items ?? []) ended.push(String(item.pk).slice(CONN.length));
          found += page.Items?.length ?? 0;
          start = page.LastEvaluatedKey;
        } while (start && found < perShard);
      }),
    );
    return ended;
  }

  /**
   * Forget a connection and every subscription row it has. `alsoRooms` names rooms whose
   * rows may exist even when the connection row is gone (a 410 for a job of that room):
   * those are looked for in every generation of the room.
   */
  async remove(connectionId: string, alsoRooms: readonly string[] = []): Promise<{ rooms: string[] }> {
    const connection = await this.get(connectionId);
    const held = connection?.rooms ?? [];
    if (connection) await this.removeRows(connection, held);
    const unknown = alsoRooms.filter((room) => !held.includes(room));
    await Promise.all(unknown.map((room) => this.removeAnywhere(connectionId, room)));
    await this.dynamo.send(new DeleteCommand({ TableName: this.table, Key: { pk: connKey(connectionId), sk: 'conn' } }));
    return { rooms: [...new Set([...held, ...alsoRooms])] };
  }

  private async removeRows(connection: Connection, rooms: readonly string[]): Promise<void> {
    await mapLimit(rooms, ROWS_IN_FLIGHT, async (room) => {
      await this.rows.remove(room, connection.connectionId, partitionOf(connection.connectionId, this.partitions.base, connection.generations[room] ?? 0));
    });
  }

  /** A row whose generation nobody recorded: delete it wherever it may be, and count out what was there. */
  private async removeAnywhere(connectionId: string, room: string): Promise<void> {
    const { generation } = await this.partitions.shape(room);
    for (let candidate = 0; candidate <= generation; candidate += 1) {
      await this.rows.remove(room, connectionId, partitionOf(connectionId, this.partitions.base, candidate));
    }
  }

}

function subscriptionKey(room: string, connectionId: string, partition: Partition): { pk: string; sk: string } {
  const { pk, sk } = subscriptionRow(room, connectionId, 0, partition);
  return { pk, sk };
}

/** The prefix of the attributes that name a room's generation on a connection's row. */
const GEN = 'gen:';
const CONN = 'conn#';
/** The connections table's index of session ends (template.yaml). */
export const SESSION_INDEX = 'bySessionEnd';
/** Subscription rows a `refresh` updates at once. */
const ROWS_IN_FLIGHT = 16;

function connKey(connectionId: string): string {
  return `${CONN}${connectionId}`;
}

export const CONNECTION_TTL_SECONDS = LIMITS.connectionTtlSeconds;

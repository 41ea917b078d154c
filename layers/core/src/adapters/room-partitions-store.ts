import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { grownGeneration, type Partition, type RoomShape } from '../model/room-partitions.js';
import { isSessionOpen } from '../model/session.js';
import type { RoomPartitionsPort } from '../app/ports.js';

/**
 * The rows of the connections table that say where a room's subscriptions are
 * (model/room-partitions.ts):
 * - a room's shape:        pk = "room#<room>",              sk = "shape"  generation
 * - a partition's count:   pk = <partition key>,            sk = "#rows"  rows
 * - a subscription:        pk = <partition key>,            sk = "<id>"   expiresAt, sessionEndsAt
 * Partition keys: "room#<room>#<index>" in generation 0, "room#<room>#<generation>.<index>"
 * after it. The count lives beside the rows it counts, so counting adds no hot key, and a
 * Query of a partition reads it first ('#' sorts before connection ids).
 */
export class RoomPartitionsStore implements RoomPartitionsPort {
  private readonly cached = new Map<string, { shape: RoomShape; readAt: number }>();

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
    readonly base: number,
    /** Rows in one partition of the newest generation that open the next. */
    readonly partitionRows: number,
    /** How long a writer may use a shape it read: a stale one only writes to an older generation, which readers still read. */
    private readonly cacheMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The room's shape, read strongly consistent: what a planner must use. */
  async shape(room: string): Promise<RoomShape> {
    return this.read(room, true);
  }

  /** The room's shape as a writer may use it: from this instance's memory while fresh. */
  async shapeForWriting(room: string): Promise<RoomShape> {
    const hit = this.cached.get(room);
    if (hit && this.now() - hit.readAt < this.cacheMs) return hit.shape;
    return this.read(room, false);
  }

  private async read(room: string, consistent: boolean): Promise<RoomShape> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: shapeKey(room), ConsistentRead: consistent }));
    return this.remember(room, Item ? Number(Item.generation) : 0);
  }

  /** Keep a room's shape in this instance's memory (the least recently stored go first beyond the bound). */
  private remember(room: string, generation: number): RoomShape {
    const shape = { base: this.base, generation };
    this.cached.delete(room);
    if (this.cached.size >= CACHE_ENTRIES) this.cached.delete(this.cached.keys().next().value!);
    this.cached.set(room, { shape, readAt: this.now() });
    return shape;
  }

  /** Count rows added to (delta 1) or removed from (-1) a partition; a row that fills the newest generation grows the room. */
  async count(room: string, partition: Partition, delta: number): Promise<void> {
    const { Attributes } = await this.dynamo.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: partitionKey(room, partition), sk: COUNT_SK },
        UpdateExpression: 'ADD #rows :delta',
        ExpressionAttributeNames: { '#rows': 'rows' },
        ExpressionAttributeValues: { ':delta': delta },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    if (delta <= 0) return;
    const shape = this.cached.get(room)?.shape ?? { base: this.base, generation: partition.generation };
    const grown = grownGeneration(shape, partition, Number(Attributes?.rows ?? 0), this.partitionRows);
    if (grown !== undefined) await this.grow(room, grown);
  }

  /** Open generation `generation` of a room, unless it is there already. Generations never shrink. */
  async grow(room: string, generation: number): Promise<void> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.table,
          Key: shapeKey(room),
          UpdateExpression: 'SET generation = :generation',
          ConditionExpression: 'attribute_not_exists(generation) OR generation < :generation',
          ExpressionAttributeValues: { ':generation': generation },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    this.remember(room, Math.max(generation, this.cached.get(room)?.shape.generation ?? 0));
  }

  /**
   * Read one partition's subscribers page by page; `onPage` runs as pages arrive. With
   * `openAt`, rows whose session had ended by then are left out: the session's end is on
   * each row, so that costs no request per delivery.
   */
  async forEachSubscriberPage(room: string, partition: Partition, onPage: (connectionIds: string[]) => Promise<void>, openAt?: number): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partitionKey(room, partition) },
          ProjectionExpression: 'sk, sessionEndsAt',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      const ids = (page.Items ?? [])
        .filter((item) => item.sk !== COUNT_SK && (openAt === undefined || isSessionOpen(item.sessionEndsAt as number | undefined, openAt)))
        .map((item) => item.sk as string);
      if (ids.length > 0) await onPage(ids);
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

const CACHE_ENTRIES = 10_000;
/** The sort key of a partition's count of rows. */
export const COUNT_SK = '#rows';

function shapeKey(room: string): { pk: string; sk: string } {
  return { pk: `room#${room}`, sk: 'shape' };
}

/** The partition key of a room's partition: generation 0 keeps the short form. */
export function partitionKey(room: string, partition: Partition): string {
  return partition.generation === 0 ? `room#${room}#${partition.index}` : `room#${room}#${partition.generation}.${partition.index}`;
}

/** A subscription row exactly as `subscribe` writes it (tools that write rows in bulk use it too); `sessionEndsAt` when the session ends. */
export function subscriptionRow(
  room: string,
  connectionId: string,
  expiresAt: number,
  partition: Partition,
  sessionEndsAt?: number,
): { pk: string; sk: string; expiresAt: number; sessionEndsAt?: number } {
  return { pk: partitionKey(room, partition), sk: connectionId, expiresAt, ...(sessionEndsAt === undefined ? {} : { sessionEndsAt }) };
}

/** The rows that make a room of this layout: its shape and each partition's count (seeding big rooms). */
export function layoutRows(room: string, shape: RoomShape, rows: ReadonlyMap<string, number>): Array<Record<string, unknown>> {
  const counts = [...rows].map(([label, count]) => {
    const [generation, index] = label.split('.').map(Number);
    return { pk: partitionKey(room, { generation: generation!, index: index! }), sk: COUNT_SK, rows: count };
  });
  return [...(shape.generation > 0 ? [{ ...shapeKey(room), generation: shape.generation }] : []), ...counts];
}

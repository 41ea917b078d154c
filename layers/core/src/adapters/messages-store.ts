import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredMessage } from '../model/message.js';
import { ORIGIN_POSITION, decodePosition, originKey, type Position } from '../model/positions.js';

/**
 * The messages table (a global table; its stream carries new messages to other regions).
 * Rows under one room's partition key `pk = <room>`:
 * - a message:         sk = <pos>               kind "msg", id, ts, origin, seq, opos, json, expiresAt
 * - a region's counter: sk = "#seq#<origin>"    seq, clock (never expires: positions never repeat)
 * - a publish record:  sk = "#id#<id>"          kind "pub", state, token, claimedAt, origin, pos, ts
 * '#' sorts before digits, so range queries over positions never see the other rows. Each
 * region writes only its own counter and its own positions, so replication never makes
 * one region's message overwrite another's. The local index `byOrigin` (sort key
 * `opos = <origin>.<seq>`) reads one origin's messages in seq order, strongly consistent.
 */
export type PublishState = 'claimed' | 'positioned' | 'planned';

export interface PublishRecord {
  state: PublishState;
  token: string;
  claimedAt: number;
  pos?: string;
  ts?: number;
}

export type ClaimResult = { won: true; record: PublishRecord } | { won: false; record: PublishRecord | undefined };

export class MessagesStore {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Claim the right to publish `id` in `room`. Wins when nobody has, or when an earlier
   * claim went stale (its request died) before the fan-out was planned; the record keeps
   * any position already given, so a retry never takes a second one.
   */
  async claim(room: string, id: string, token: string, now: number, staleBefore: number, expiresAt: number): Promise<ClaimResult> {
    try {
      const { Attributes } = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: room, sk: publishKey(id) },
          UpdateExpression: 'SET #token = :token, claimedAt = :now, #state = if_not_exists(#state, :claimed), kind = :kind, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(pk) OR (claimedAt < :stale AND #state <> :planned)',
          ExpressionAttributeNames: { '#token': 'token', '#state': 'state' },
          ExpressionAttributeValues: { ':token': token, ':now': now, ':claimed': 'claimed', ':kind': 'pub', ':expiresAt': expiresAt, ':stale': staleBefore, ':planned': 'planned' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { won: true, record: toRecord(Attributes!) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: { pk: room, sk: publishKey(id) }, ConsistentRead: true }));
      return { won: false, record: Item ? toRecord(Item) : undefined };
    }
  }

  /**
   * The next position of a room in region `origin`: seq dense from 1, clock = max(now,
   * previous clock + 1), so that clock order is seq order. One write, or two when the
   * previous clock is not behind `now` (then adding 1 is the max, whatever raced).
   */
  async nextPosition(room: string, origin: string, now: number): Promise<Position> {
    const key = { pk: room, sk: counterKey(origin) };
    try {
      const { Attributes } = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET clock = :now ADD seq :one',
          ConditionExpression: 'attribute_not_exists(clock) OR clock < :now',
          ExpressionAttributeValues: { ':now': now, ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { clock: now, origin, seq: Number(Attributes!.seq) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Attributes } = await this.dynamo.send(
        new UpdateCommand({ TableName: this.table, Key: key, UpdateExpression: 'ADD seq :one, clock :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }),
      );
      return { clock: Number(Attributes!.clock), origin, seq: Number(Attributes!.seq) };
    }
  }

  /** The regions that have published to a room (as far as this region has heard). */
  async origins(room: string): Promise<string[]> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :room AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':room': room, ':prefix': counterKey('') },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => (item.sk as string).slice(counterKey('').length));
  }

  /** Record the position a claim was given; only the claim's holder may. */
  async setPosition(room: string, id: string, token: string, pos: string, ts: number): Promise<void> {
    await this.updateRecord(room, id, token, 'SET #state = :positioned, pos = :pos, ts = :ts', { ':positioned': 'positioned', ':pos': pos, ':ts': ts });
  }

  async markPlanned(room: string, id: string, token: string): Promise<void> {
    await this.updateRecord(room, id, token, 'SET #state = :planned', { ':planned': 'planned' });
  }

  /** Let a retry take over at once after this request failed. */
  async release(room: string, id: string, token: string): Promise<void> {
    await this.updateRecord(room, id, token, 'SET claimedAt = :zero', { ':zero': 0 });
  }

  /** Store a message. Writing the same position twice writes the same item. */
  async put(message: StoredMessage, expiresAt: number): Promise<void> {
    const { seq } = decodePosition(message.pos);
    await this.dynamo.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: message.room,
          sk: message.pos,
          kind: 'msg',
          id: message.id,
          ts: message.ts,
          origin: message.origin,
          seq,
          opos: originKey(message.origin, seq),
          json: JSON.stringify(message.data),
          expiresAt,
        },
      }),
    );
  }

  /** The latest `limit` messages of a room, oldest first. */
  async latest(room: string, limit: number): Promise<StoredMessage[]> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :room AND sk >= :origin',
        ExpressionAttributeValues: { ':room': room, ':origin': ORIGIN_POSITION },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return Items.map(toMessage).reverse();
  }

  /** Up to `limit` messages of region `origin` after its sequence number `seq`, oldest first. */
  async afterOrigin(room: string, origin: string, seq: number, limit: number): Promise<StoredMessage[]> {
    return this.byOrigin(room, origin, seq + 1, limit, true);
  }

  /** The latest message of region `origin` in a room, if any is kept. */
  async latestOf(room: string, origin: string): Promise<StoredMessage | undefined> {
    return (await this.byOrigin(room, origin, 1, 1, false))[0];
  }

  private async byOrigin(room: string, origin: string, fromSeq: number, limit: number, forward: boolean): Promise<StoredMessage[]> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_ORIGIN,
        KeyConditionExpression: 'pk = :room AND opos BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':room': room, ':from': originKey(origin, fromSeq), ':to': `${origin}.${LAST_SEQ}` },
        ScanIndexForward: forward,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return Items.map(toMessage);
  }

  private async updateRecord(room: string, id: string, token: string, update: string, values: Record<string, unknown>): Promise<void> {
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: room, sk: publishKey(id) },
        UpdateExpression: update,
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token', ...(update.includes('#state') ? { '#state': 'state' } : {}) },
        ExpressionAttributeValues: { ':token': token, ...values },
      }),
    );
  }
}

const BY_ORIGIN = 'byOrigin';
const LAST_SEQ = '9'.repeat(16);

function counterKey(origin: string): string {
  return `#seq#${origin}`;
}

function publishKey(id: string): string {
  return `#id#${id}`;
}

function toRecord(item: Record<string, unknown>): PublishRecord {
  return {
    state: item.state as PublishState,
    token: item.token as string,
    claimedAt: Number(item.claimedAt),
    ...(typeof item.pos === 'string' ? { pos: item.pos } : {}),
    ...(item.ts !== undefined ? { ts: Number(item.ts) } : {}),
  };
}

/** A message row (also a stream NewImage, once unmarshalled) as a message. */
export function toMessage(item: Record<string, unknown>): StoredMessage {
  return {
    room: item.pk as string,
    pos: item.sk as string,
    id: item.id as string,
    ts: Number(item.ts),
    origin: item.origin as string,
    data: JSON.parse(item.json as string) as unknown,
  };
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredMessage } from '../model/message.js';
import { ORIGIN_POSITION } from '../model/positions.js';

/**
 * The messages table (a global table; its stream carries new messages to other regions).
 * Rows under one room's partition key `pk = <room>`:
 * - a message:        sk = <pos> (16 digits)  kind "msg", id, ts, origin, json, expiresAt
 * - the room counter: sk = "#seq"            seq (never expires: positions never repeat)
 * - a publish record: sk = "#id#<id>"        kind "pub", state, token, claimedAt, pos, ts
 * '#' sorts before digits, so range queries over positions never see the other rows.
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

  /** The next position number of a room: dense, starting at 1. */
  async nextSeq(room: string): Promise<number> {
    const { Attributes } = await this.dynamo.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: room, sk: '#seq' },
        UpdateExpression: 'ADD seq :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes!.seq);
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
    await this.dynamo.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: message.room, sk: message.pos, kind: 'msg', id: message.id, ts: message.ts, origin: message.origin, json: JSON.stringify(message.data), expiresAt },
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
      }),
    );
    return Items.map(toMessage).reverse();
  }

  /** Up to `limit` messages after position `since`, oldest first. */
  async after(room: string, since: string, limit: number): Promise<StoredMessage[]> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :room AND sk > :since',
        ExpressionAttributeValues: { ':room': room, ':since': since < ORIGIN_POSITION ? ORIGIN_POSITION : since },
        Limit: limit,
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

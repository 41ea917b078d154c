import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RoomcastError } from '../errors.js';
import { fullJitter } from '../model/backoff.js';
import { sleep } from '../model/concurrency.js';
import type { StoredMessage } from '../model/message.js';
import { ORIGIN_POSITION, encodePosition, originKey } from '../model/positions.js';
import { fingerprintOf } from '../model/publish-fingerprint.js';
import { counterKey, ID_KEY_SORT, LAST_SEQ, messageItem, publishKey, toMessage, toRecord } from './message-items.js';
import { sameRequest, type ClaimResult } from '../model/publish-ledger.js';
import type { AppendOutcome, IdConflict, MessagePage, MessagesPort } from '../app/ports.js';
import { messageBytes, readUnitsOf } from '../model/read-budget.js';

/**
 * The messages table (a global table; its stream carries new messages to other regions).
 * Rows under one room's partition key `pk = <room>`:
 * - a message:         sk = <pos>               kind "msg", id, ts, origin, seq, opos, json, expiresAt
 * - a region's counter: sk = "#seq#<origin>"    seq, clock (never expires: positions never repeat);
 *                                               written only with the message at that seq
 * - a publish record:  sk = "#id#<id>"          kind "pub", state, token, claimedAt, origin, pos, ts, fp
 * And under `pk = "#id#<id>"`, `sk = "#id"`: the room a client's id names in the whole stack
 * (kind "idkey", room, expiresAt), written with the message, so that the id cannot name a
 * message of another room. Room names start with a letter or digit, so no room is such a key.
 * '#' sorts before digits, so range queries over positions never see the other rows. Each
 * region writes only its own counter and its own positions, so replication never makes
 * one region's message overwrite another's. The local index `byOrigin` (sort key
 * `opos = <origin>.<seq>`) reads one origin's messages in seq order, strongly consistent.
 */
/** Whose publish record a new message's transaction writes; `newAt`: create it, claimed at that time. */
export interface AppendClaim {
  token: string;
  newAt?: number;
  /** With `newAt`: also write the id's room item (a client's id). */
  reserveId?: boolean;
}

export type { AppendOutcome } from '../app/ports.js';

export class MessagesStore implements MessagesPort {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async idConflict(room: string, id: string, fingerprint: string): Promise<IdConflict | undefined> {
    const read = (Key: Record<string, string>) => this.dynamo.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
    const [named, record] = await Promise.all([read({ pk: publishKey(id), sk: ID_KEY_SORT }), read({ pk: room, sk: publishKey(id) })]);
    if (named.Item && named.Item.room !== room) return 'another room';
    if (record.Item && !sameRequest(toRecord(record.Item), fingerprint)) return 'other data';
    return undefined;
  }

  /**
   * Claim the right to publish `id` in `room`: wins when the ledger's `canTakeOver` holds
   * (model/publish-ledger.ts; here as the write's condition, so that two claims never both
   * win). The record keeps any position already given, so a retry never takes a second one.
   */
  async claim(room: string, id: string, token: string, now: number, staleBefore: number, expiresAt: number, fingerprint: string): Promise<ClaimResult> {
    try {
      const { Attributes } = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: room, sk: publishKey(id) },
          UpdateExpression: 'SET #token = :token, claimedAt = :now, #state = if_not_exists(#state, :claimed), kind = :kind, expiresAt = :expiresAt, fp = if_not_exists(fp, :fp)',
          ConditionExpression: 'attribute_not_exists(pk) OR (claimedAt < :stale AND #state <> :planned AND (attribute_not_exists(fp) OR fp = :fp))',
          ExpressionAttributeNames: { '#token': 'token', '#state': 'state' },
          ExpressionAttributeValues: { ':token': token, ':now': now, ':claimed': 'claimed', ':kind': 'pub', ':expiresAt': expiresAt, ':stale': staleBefore, ':planned': 'planned', ':fp': fingerprint },
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
   * Store a new message at the next position of its room in its origin region, in one
   * transaction with that region's counter and the message's publish record:
   * seq = counter + 1, clock = max(now, counter's clock + 1). A position therefore exists
   * only with its message, and an origin's history never has a hole a publish still in
   * flight could fill later. Concurrent publishers of one room and region take turns: the
   * loser of a race reads the counter again.
   * `appendNew` also claims the id: the transaction creates the publish record, and when
   * the id already has one, nothing is written and it answers `id-claimed`.
   * `appendClaimed` stores under this request's claim: the record must still be held by
   * `token`; when it was taken over meanwhile, nothing is written and it throws
   * PUBLISH_IN_PROGRESS.
   */
  appendNew(message: Omit<StoredMessage, 'pos'>, token: string, expiresAt: number, reserveId: boolean): Promise<AppendOutcome> {
    return this.append(message, { token, newAt: message.ts, reserveId }, expiresAt);
  }

  async appendClaimed(message: Omit<StoredMessage, 'pos'>, token: string, expiresAt: number): Promise<StoredMessage> {
    const outcome = await this.append(message, { token }, expiresAt);
    // A conflict on the record throws PUBLISH_IN_PROGRESS inside `append` already; this only narrows the type.
    if (outcome.kind !== 'stored') throw new RoomcastError('PUBLISH_IN_PROGRESS', `message ${message.id} was taken over by another request`);
    return outcome.message;
  }

  private async append(message: Omit<StoredMessage, 'pos'>, claim: AppendClaim, expiresAt: number): Promise<AppendOutcome> {
    const counter = { pk: message.room, sk: counterKey(message.origin) };
    for (let attempt = 0; ; attempt += 1) {
      const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: counter, ConsistentRead: true }));
      const previous = Item ? { seq: Number(Item.seq), clock: Number(Item.clock) } : undefined;
      const seq = (previous?.seq ?? 0) + 1;
      const clock = Math.max(message.ts, (previous?.clock ?? -1) + 1);
      const stored: StoredMessage = { ...message, pos: encodePosition({ clock, origin: message.origin, seq }) };
      try {
        await this.dynamo.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: counter,
                  UpdateExpression: 'SET seq = :seq, clock = :clock',
                  ConditionExpression: previous ? 'seq = :previous' : 'attribute_not_exists(seq)',
                  ExpressionAttributeValues: { ':seq': seq, ':clock': clock, ...(previous ? { ':previous': previous.seq } : {}) },
                },
              },
              { Put: { TableName: this.table, Item: messageItem(stored, expiresAt) } },
              this.recordWrite(stored, claim, expiresAt),
              ...(claim.reserveId ? [this.idKeyWrite(stored, expiresAt)] : []),
            ],
          }),
        );
        return { kind: 'stored', message: stored };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [counterRace, , record, idKey] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
        if (idKey === 'ConditionalCheckFailed') return { kind: 'id-reused' };
        if (record === 'ConditionalCheckFailed') {
          if (claim.newAt !== undefined) return { kind: 'id-claimed' };
          throw new RoomcastError('PUBLISH_IN_PROGRESS', `message ${message.id} was taken over by another request`);
        }
        if (attempt >= APPEND_ATTEMPTS) throw new RoomcastError('THROTTLED', `room ${message.room} is busy: too many concurrent publishes`, { details: { room: message.room } });
        if (counterRace !== 'ConditionalCheckFailed') await sleep(fullJitter(attempt, { baseMs: 10, capMs: 200 }));
      }
    }
  }

  /** The transaction's write of the publish record: created with the position, or updated under the claim. */
  private recordWrite(stored: StoredMessage, claim: AppendClaim, expiresAt: number) {
    const Key = { pk: stored.room, sk: publishKey(stored.id) };
    if (claim.newAt !== undefined) {
      const fp = fingerprintOf(stored.room, stored.data);
      const Item = { ...Key, kind: 'pub', state: 'positioned', token: claim.token, claimedAt: claim.newAt, pos: stored.pos, ts: stored.ts, fp, expiresAt };
      return { Put: { TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(pk)' } };
    }
    return {
      Update: {
        TableName: this.table,
        Key,
        UpdateExpression: 'SET #state = :positioned, pos = :pos, ts = :ts',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
        ExpressionAttributeValues: { ':positioned': 'positioned', ':pos': stored.pos, ':ts': stored.ts, ':token': claim.token },
      },
    };
  }

  /** The transaction's write of the id's room: new, or the same room again (an id of another room cancels it). */
  private idKeyWrite(stored: StoredMessage, expiresAt: number) {
    const Item = { pk: publishKey(stored.id), sk: ID_KEY_SORT, kind: 'idkey', room: stored.room, expiresAt };
    return { Put: { TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(pk) OR room = :room', ExpressionAttributeValues: { ':room': stored.room } } };
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

  async markPlanned(room: string, id: string, token: string): Promise<void> {
    await this.updateRecord(room, id, token, 'SET #state = :planned', { ':planned': 'planned' });
  }

  /** Let a retry take over at once after this request failed. */
  async release(room: string, id: string, token: string): Promise<void> {
    await this.updateRecord(room, id, token, 'SET claimedAt = :zero', { ':zero': 0 });
  }

  /** Store a message at its position unless one is there: a message subscribers may have received is never rewritten. */
  async put(message: StoredMessage, expiresAt: number): Promise<'stored' | 'kept'> {
    try {
      await this.dynamo.send(new PutCommand({ TableName: this.table, Item: messageItem(message, expiresAt), ConditionExpression: 'attribute_not_exists(sk)' }));
      return 'stored';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return 'kept';
    }
  }

  /** The latest `limit` messages of a room, oldest first. */
  async latest(room: string, limit: number): Promise<StoredMessage[]> {
    return (await this.latestPage(room, limit)).messages;
  }

  /** The same, and whether older messages are kept (DynamoDB stopped at `limit` or at its 1 MB page). */
  async latestPage(room: string, limit: number): Promise<MessagePage> {
    const page = await this.query({
      KeyConditionExpression: 'pk = :room AND sk >= :origin',
      ExpressionAttributeValues: { ':room': room, ':origin': ORIGIN_POSITION },
      ScanIndexForward: false,
      Limit: limit,
    });
    return { ...page, messages: page.messages.reverse() };
  }

  /** One Query of up to `limit` messages of region `origin` after its sequence number `seq`, oldest first. */
  async afterOrigin(room: string, origin: string, seq: number, limit: number): Promise<MessagePage> {
    return this.byOrigin(room, origin, seq + 1, limit, true);
  }

  /** The latest message of region `origin` in a room, if any is kept. */
  async latestOf(room: string, origin: string): Promise<StoredMessage | undefined> {
    return (await this.byOrigin(room, origin, 1, 1, false)).messages[0];
  }

  private byOrigin(room: string, origin: string, fromSeq: number, limit: number, forward: boolean): Promise<MessagePage> {
    return this.query({
      IndexName: BY_ORIGIN,
      KeyConditionExpression: 'pk = :room AND opos BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':room': room, ':from': originKey(origin, fromSeq), ':to': `${origin}.${LAST_SEQ}` },
      ScanIndexForward: forward,
      Limit: limit,
    });
  }

  /**
   * One strongly consistent Query of message rows: its items, the read units DynamoDB says it
   * consumed (counted from the items' sizes when an endpoint does not say), and whether it
   * stopped before the end of the range.
   */
  private async query(input: Omit<QueryCommandInput, 'TableName' | 'ConsistentRead' | 'ReturnConsumedCapacity'>): Promise<MessagePage> {
    const { Items = [], ConsumedCapacity, LastEvaluatedKey } = await this.dynamo.send(new QueryCommand({ ...input, TableName: this.table, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    const messages = Items.map(toMessage);
    const units = ConsumedCapacity?.CapacityUnits ?? readUnitsOf(messages.reduce((sum, message) => sum + messageBytes(message), 0));
    return { messages, units, more: LastEvaluatedKey !== undefined };
  }

  /** Update the record while `token` holds it; PUBLISH_IN_PROGRESS once another request took it over. */
  private async updateRecord(room: string, id: string, token: string, update: string, values: Record<string, unknown>): Promise<void> {
    try {
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
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new RoomcastError('PUBLISH_IN_PROGRESS', `message ${id} was taken over by another request`, { details: { room, id } });
    }
  }
}

const BY_ORIGIN = 'byOrigin';
/** Races for one room's counter a publish may lose before it answers THROTTLED. */
const APPEND_ATTEMPTS = 50;

export { messageItem, toMessage } from './message-items.js';

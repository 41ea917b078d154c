/**
 * The items of the messages table (adapters/messages-store.ts has the layout): how a
 * message, a region's counter, a publish record and a client id's room are keyed and read.
 */
import type { StoredMessage } from '../model/message.js';
import { decodePosition, originKey } from '../model/positions.js';
import type { PublishRecord, PublishState } from '../model/publish-ledger.js';

/** A message's item in the messages table. */
export function messageItem(message: StoredMessage, expiresAt: number): Record<string, unknown> {
  const { seq } = decodePosition(message.pos);
  return {
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
  };
}
/** The highest seq an origin key can hold: the end of a `byOrigin` range. */
export const LAST_SEQ = '9'.repeat(16);

export function counterKey(origin: string): string {
  return `#seq#${origin}`;
}

export function publishKey(id: string): string {
  return `#id#${id}`;
}

/** The sort key of a client id's room item, whose partition key is the id's `publishKey`. */
export const ID_KEY_SORT = '#id';

export function toRecord(item: Record<string, unknown>): PublishRecord {
  return {
    state: item.state as PublishState,
    token: item.token as string,
    claimedAt: Number(item.claimedAt),
    ...(typeof item.pos === 'string' ? { pos: item.pos } : {}),
    ...(item.ts !== undefined ? { ts: Number(item.ts) } : {}),
    ...(typeof item.fp === 'string' ? { fingerprint: item.fp } : {}),
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

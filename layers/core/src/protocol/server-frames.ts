import type { RoomcastError } from '../errors.js';
import type { StoredMessage } from '../model/message.js';
import { pack } from '../model/pack.js';

/** Frames the server sends, as the text that goes on the wire. */
export function messageFrame(message: StoredMessage): string {
  return JSON.stringify({ type: 'message', room: message.room, id: message.id, pos: message.pos, ts: message.ts, data: message.data });
}

/**
 * A room's snapshot as frames of at most `maxBytes`: all but the last carry `more: true`;
 * the last carries `complete` (false when history no longer reaches back far enough) and,
 * for a latest-messages snapshot, the room's `cursor` (the latest position per origin).
 */
export function snapshotFrames(room: string, messages: readonly StoredMessage[], complete: boolean, maxBytes: number, cursor?: string): string[] {
  const end = `"complete":${complete}${cursor ? `,"cursor":${JSON.stringify(cursor)}` : ''}`;
  const encode = (items: string[], last: boolean): string =>
    `{"type":"snapshot","room":${JSON.stringify(room)},"messages":[${items.join(',')}],${last ? end : '"more":true'}}`;
  const overhead = Buffer.byteLength(encode([], true)) + 16;
  const items = messages.map((message) => JSON.stringify({ id: message.id, pos: message.pos, ts: message.ts, data: message.data }));
  const groups = pack(items, { maxBytes, baseBytes: overhead }, (item) => Buffer.byteLength(item) + 1);
  // An empty snapshot is one frame too: it says the room is complete.
  if (groups.length === 0) groups.push([]);
  return groups.map((group, index) => encode(group, index === groups.length - 1));
}

/** `conflated`: those of the rooms whose subscribers get only the latest message (model/conflation.ts). */
export function subscribedFrame(rooms: readonly string[], conflated: readonly string[] = []): string {
  return JSON.stringify(conflated.length > 0 ? { type: 'subscribed', rooms, conflated } : { type: 'subscribed', rooms });
}

export function unsubscribedFrame(rooms: readonly string[]): string {
  return JSON.stringify({ type: 'unsubscribed', rooms });
}

export function pongFrame(): string {
  return JSON.stringify({ type: 'pong' });
}

export function errorFrame(error: RoomcastError): string {
  return JSON.stringify({ type: 'error', code: error.code, message: error.message, retryable: error.retryable, ...(error.details ? { details: error.details } : {}) });
}

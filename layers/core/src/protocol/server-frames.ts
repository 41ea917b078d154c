import type { RoomcastError } from '../errors.js';
import type { ErrorCode } from './catalogue.js';
import type { StoredMessage } from '../model/message.js';
import { pack } from '../model/pack.js';

/** Frames the server sends, as the text that goes on the wire. */
export function messageFrame(message: StoredMessage): string {
  return JSON.stringify({ type: 'message', room: message.room, id: message.id, pos: message.pos, ts: message.ts, data: message.data });
}

/**
 * A room's snapshot as frames of at most `maxBytes`: all but the last carry `more: true`;
 * the last carries `complete` (false when history no longer reaches back far enough, or the
 * answer was cut short) and, for a latest-messages snapshot, the room's `cursor` (the latest
 * position per origin); a resume cut short carries `next`, the cursor to subscribe again with.
 */
export function snapshotFrames(room: string, messages: readonly StoredMessage[], complete: boolean, maxBytes: number, cursor?: string, next?: string): string[] {
  const end = `"complete":${complete}${cursor ? `,"cursor":${JSON.stringify(cursor)}` : ''}${next ? `,"next":${JSON.stringify(next)}` : ''}`;
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

/**
 * `reason`: when the server left the rooms by itself (a `refresh` whose token no longer
 * grants them), a catalogue code and a message say why; absent when the client asked.
 */
export function unsubscribedFrame(rooms: readonly string[], reason?: { code: ErrorCode; message: string }): string {
  return JSON.stringify(reason ? { type: 'unsubscribed', rooms, reason: reason.code, message: reason.message } : { type: 'unsubscribed', rooms });
}

/** A `refresh` renewed the session: `expiresAt`, the new token's `exp` in ms since the epoch (absent: no expiry). */
export function refreshedFrame(expiresAt: number | undefined): string {
  return JSON.stringify(expiresAt === undefined ? { type: 'refreshed' } : { type: 'refreshed', expiresAt });
}

/** A room's occupancy as this region counts it: connections subscribed, distinct principals, read at `at` (ms). */
export function occupancyFrame({ room, connections, principals, region, at }: { room: string; connections: number; principals: number; region: string; at: number }): string {
  return JSON.stringify({ type: 'occupancy', room, connections, principals, region, at });
}

export function pongFrame(): string {
  return JSON.stringify({ type: 'pong' });
}

export function errorFrame(error: RoomcastError): string {
  return JSON.stringify({ type: 'error', code: error.code, message: error.message, retryable: error.retryable, ...(error.details ? { details: error.details } : {}) });
}

/**
 * Sizes of roomcast's DynamoDB items and WebSocket frames, computed the way the services
 * meter them, for the cost model (pure, no I/O).
 *
 * DynamoDB item size: the UTF-8 bytes of each attribute name plus its value; a number takes
 * about one byte per two significant digits plus one. Read units: 4 KB of a strongly
 * consistent read; write units: 1 KB written.
 */
import { subscriptionRow } from '../layers/core/src/adapters/room-partitions-store.js';
import { partitionOf } from '../layers/core/src/model/room-partitions.js';
import { messageItem } from '../layers/core/src/adapters/messages-store.js';
import { LIMITS } from '../layers/core/src/model/limits.js';
import { encodePosition } from '../layers/core/src/model/positions.js';
import { messageFrame, snapshotFrames } from '../layers/core/src/protocol/server-frames.js';
import type { StoredMessage } from '../layers/core/src/model/message.js';

export const READ_UNIT_BYTES = 4096;
export const WRITE_UNIT_BYTES = 1024;
/** API Gateway's connection ids are 16 characters. */
export const SAMPLE_CONNECTION_ID = 'TvBZ0c5TDoECFQg=';
/** A Query answers at most 1 MB per page. */
export const QUERY_PAGE_BYTES = 1024 * 1024;

type Attribute = string | number | readonly string[];

export function itemBytes(item: Record<string, Attribute>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if (typeof value === 'string') bytes += Buffer.byteLength(value);
    else if (typeof value === 'number') bytes += numberBytes(value);
    else bytes += 3 + value.reduce((sum, entry) => sum + 1 + Buffer.byteLength(entry), 0);
  }
  return bytes;
}

function numberBytes(value: number): number {
  const digits = String(Math.abs(value)).replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(Math.max(1, digits) / 2) + 1;
}

/** A representative message: a room name, a UUID, a position and `data` a JSON string of `dataBytes`. */
export function sampleMessage(dataBytes: number, room = 'room:00001'): StoredMessage {
  const now = 1_795_306_850_177;
  return {
    room,
    id: '3f1c2b9e-6a4d-4f1e-9b8a-2c7d5e0f1a2b',
    pos: encodePosition({ clock: now, origin: 'us-east-1', seq: 1_234_567 }),
    ts: now,
    origin: 'us-east-1',
    data: 'x'.repeat(Math.max(0, dataBytes - 2)),
  };
}

/** The `message` frame a subscriber receives. */
export function frameBytes(message: StoredMessage): number {
  return Buffer.byteLength(messageFrame(message));
}

/** The snapshot frames of `count` such messages (what a subscribe is answered with). */
export function snapshotFrameSizes(message: StoredMessage, count: number): number[] {
  if (count <= 0) return [];
  const messages = Array.from({ length: count }, () => message);
  return snapshotFrames(message.room, messages, true, LIMITS.messageBytes).map((frame) => Buffer.byteLength(frame));
}

/** The message item of the messages table (its index byOrigin projects ALL, so it is written twice). */
export function messageItemBytes(message: StoredMessage): number {
  return itemBytes(messageItem(message, Math.floor(message.ts / 1000) + 86_400) as Record<string, Attribute>);
}

/** One subscription row (in the room's first generation), with its session's end (AuthMode jwt). */
export function subscriptionRowBytes(room: string, shards: number): number {
  return itemBytes(subscriptionRow(room, SAMPLE_CONNECTION_ID, 1_795_314_050, partitionOf(SAMPLE_CONNECTION_ID, shards, 0), 1_795_307_000));
}

/** Read units of strongly consistent Queries over `rows` rows of `rowBytes`, page by page (at least 1). */
export function queryReadUnits(rows: number, rowBytes: number): number {
  const total = rows * rowBytes;
  const fullPages = Math.floor(total / QUERY_PAGE_BYTES);
  const rest = total - fullPages * QUERY_PAGE_BYTES;
  return Math.max(1, fullPages * (QUERY_PAGE_BYTES / READ_UNIT_BYTES) + Math.ceil(rest / READ_UNIT_BYTES));
}

export function queryPages(rows: number, rowBytes: number): number {
  return Math.max(1, Math.ceil((rows * rowBytes) / QUERY_PAGE_BYTES));
}

export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
}

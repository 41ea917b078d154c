import type { RoomcastError } from '../errors.js';
import type { StoredMessage } from '../model/message.js';

/** Frames the server sends, as the text that goes on the wire. */
export function messageFrame(message: StoredMessage): string {
  return JSON.stringify({ type: 'message', room: message.room, id: message.id, pos: message.pos, ts: message.ts, data: message.data });
}

export function snapshotFrame(room: string, messages: readonly StoredMessage[], complete: boolean): string {
  const items = messages.map(({ room: _room, ...rest }) => ({ id: rest.id, pos: rest.pos, ts: rest.ts, data: rest.data }));
  return JSON.stringify({ type: 'snapshot', room, messages: items, complete });
}

export function subscribedFrame(rooms: readonly string[]): string {
  return JSON.stringify({ type: 'subscribed', rooms });
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

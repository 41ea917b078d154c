import { RoomcastClientError } from './errors.js';
import { readMessage, type RoomMessage } from '../message.js';
import type { Occupancy } from './types.js';

/** Server frames, checked just enough that the client can trust their shape. */
export type ServerFrame =
  | { type: 'message'; message: RoomMessage }
  /** `next`: the answer was cut short (the server's read allowance), and more follows: subscribe again to get it. */
  | { type: 'snapshot'; room: string; messages: RoomMessage[]; more: boolean; complete: boolean; cursor?: string; next?: string }
  /** `conflated`: those of the rooms the server conflates (empty when it says none, as older servers do). */
  | { type: 'subscribed' | 'unsubscribed'; rooms: string[]; conflated: string[]; reason?: RoomcastClientError }
  /** A `refresh` renewed the session; `expiresAt`: the new token's expiry (ms), absent when sessions do not expire. */
  | { type: 'refreshed'; expiresAt?: number }
  | { type: 'occupancy'; occupancy: Occupancy }
  | { type: 'error'; error: RoomcastClientError }
  | { type: 'pong' };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter(isString) : []);

/** Parse a text frame; undefined for anything the client does not understand. */
export function parseServerFrame(text: string): ServerFrame | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(json)) return undefined;
  const { type } = json;
  if (type === undefined && isString(json.message)) {
    // API Gateway's own answer when the route's integration failed ("Internal server error").
    return { type: 'error', error: new RoomcastClientError('INTERNAL', json.message, true) };
  }
  if (type === 'pong') return { type };
  if (type === 'message') {
    const message = isString(json.room) ? readMessage(json.room, json) : undefined;
    return message && { type, message };
  }
  if (type === 'snapshot' && isString(json.room) && Array.isArray(json.messages)) {
    const room = json.room;
    const messages = json.messages.map((item) => readMessage(room, item)).filter((item): item is RoomMessage => item !== undefined);
    const ends = { ...(isString(json.cursor) ? { cursor: json.cursor } : {}), ...(isString(json.next) ? { next: json.next } : {}) };
    return { type, room, messages, more: json.more === true, complete: json.complete !== false, ...ends };
  }
  if ((type === 'subscribed' || type === 'unsubscribed') && Array.isArray(json.rooms)) {
    // An `unsubscribed` with a reason: the server left the rooms by itself (a refreshed token no longer grants them).
    const reason = type === 'unsubscribed' && isString(json.reason) ? new RoomcastClientError(json.reason, isString(json.message) ? json.message : json.reason, false) : undefined;
    return { type, rooms: strings(json.rooms), conflated: strings(json.conflated), ...(reason ? { reason } : {}) };
  }
  if (type === 'occupancy' && isString(json.room)) {
    const { type: _, ...occupancy } = json;
    return { type, occupancy: occupancy as unknown as Occupancy };
  }
  if (type === 'refreshed') return { type, ...(typeof json.expiresAt === 'number' ? { expiresAt: json.expiresAt } : {}) };
  if (type === 'error' && isString(json.code)) {
    const message = isString(json.message) ? json.message : json.code;
    return { type, error: new RoomcastClientError(json.code, message, json.retryable === true, undefined, json.details) };
  }
  return undefined;
}

/** The rooms an error frame names in its details (`rooms` or `room`). */
export function roomsNamed(details: unknown): string[] {
  if (!isObject(details)) return [];
  if (Array.isArray(details.rooms)) return strings(details.rooms);
  return isString(details.room) ? [details.room] : [];
}

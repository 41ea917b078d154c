/** Reads the success answers of the publish API, refusing shapes it never sends. */
import { PublishError } from './errors.js';
import { readMessage } from '../message.js';
import type { HistoryMessage, HistoryPage, PublishResult, RegionOccupancy, RoomOccupancy } from './types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unexpected(what: string): PublishError {
  return new PublishError({ code: 'BAD_RESPONSE', message: `unexpected answer: ${what}`, retryable: false });
}

function publishResultOf(value: unknown): PublishResult {
  if (!isRecord(value)) throw unexpected('a result is not an object');
  const { room, id, pos } = value;
  if (typeof room !== 'string' || typeof id !== 'string' || typeof pos !== 'string') throw unexpected('a result lacks room, id or pos');
  return { room, id, pos };
}

/** `202 {"room","id","pos"}`. */
export function readPublishResult(body: unknown): PublishResult {
  return publishResultOf(body);
}

/** `202 {"messages":[{"room","id","pos"}, ...]}`, one per message sent, in input order. */
export function readBatchResults(body: unknown, sent: number): PublishResult[] {
  const messages = isRecord(body) ? body['messages'] : undefined;
  if (!Array.isArray(messages)) throw unexpected('no messages array');
  if (messages.length !== sent) throw unexpected(`${messages.length} results for ${sent} messages`);
  return messages.map(publishResultOf);
}

function historyMessageOf(room: string, value: unknown): HistoryMessage {
  const message = readMessage(room, value);
  if (!message) throw unexpected('a history message lacks id or pos');
  const { id, pos, ts, data } = message;
  return { id, pos, ts, data };
}

/** `200 {"room","messages":[...],"cursor"?,"next"?,"complete"?}`. */
export function readHistoryPage(body: unknown): HistoryPage {
  if (!isRecord(body) || typeof body['room'] !== 'string' || !Array.isArray(body['messages'])) throw unexpected('no room or messages');
  const room = body['room'];
  const page: HistoryPage = { room, messages: body['messages'].map((item) => historyMessageOf(room, item)) };
  for (const key of ['cursor', 'next'] as const) {
    const value = body[key];
    if (value !== undefined && typeof value !== 'string') throw unexpected(`${key} is not a string`);
    if (value !== undefined) page[key] = value;
  }
  const complete = body['complete'];
  if (complete !== undefined && typeof complete !== 'boolean') throw unexpected('complete is not a boolean');
  if (complete !== undefined) page.complete = complete;
  return page;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function regionOccupancyOf(region: string, value: unknown): RegionOccupancy {
  if (!isRecord(value)) throw unexpected(`region ${region} is not an object`);
  const { connections, principals, at } = value;
  if (!isCount(connections) || !isCount(principals) || typeof at !== 'number') throw unexpected(`region ${region} lacks connections, principals or at`);
  return { connections, principals, at };
}

/** `200 {"room","connections","principals","regions":{"<region>":{"connections","principals","at"}}}`. */
export function readRoomOccupancy(body: unknown): RoomOccupancy {
  if (!isRecord(body) || typeof body['room'] !== 'string') throw unexpected('an occupancy lacks its room');
  const { room, connections, principals, regions } = body;
  if (!isCount(connections) || !isCount(principals)) throw unexpected(`the occupancy of ${room} lacks connections or principals`);
  if (!isRecord(regions)) throw unexpected(`the occupancy of ${room} lacks regions`);
  return { room, connections, principals, regions: Object.fromEntries(Object.entries(regions).map(([region, value]) => [region, regionOccupancyOf(region, value)])) };
}

/** `200 {"rooms":[<as GET /rooms/{room}>, ...]}`: every room asked, each once. */
export function readOccupancyList(body: unknown, asked: readonly string[]): RoomOccupancy[] {
  const rooms = isRecord(body) ? body['rooms'] : undefined;
  if (!Array.isArray(rooms)) throw unexpected('no rooms array');
  const answers = rooms.map(readRoomOccupancy);
  const answered = new Set(answers.map((answer) => answer.room));
  const missing = asked.filter((room) => !answered.has(room));
  if (missing.length > 0 || answers.length !== asked.length) throw unexpected(`${answers.length} rooms answered for ${asked.length} asked${missing.length > 0 ? `, without ${missing.slice(0, 3).join(', ')}` : ''}`);
  return answers;
}

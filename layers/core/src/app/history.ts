import type { App } from './context.js';
import type { HttpRequest, HttpResponse } from './http-request.js';
import { resumeAfter } from './resume.js';
import { RoomcastError } from '../errors.js';
import { cursorOf, encodePosition, parseCursor } from '../model/positions.js';
import { assertRoomName } from '../model/rooms.js';

/**
 * GET /rooms/{room}/messages?since=<cursor>&limit=<n>: oldest first. Without `since`, the
 * latest messages and the room's `cursor`; with it, what follows, and `next` (the cursor
 * to page on with) while a page comes back full.
 */
export async function history(app: App, request: HttpRequest): Promise<HttpResponse> {
  const room = assertRoomName(request.pathParameters.room);
  const { since, limit: rawLimit } = request.query;
  const limit = rawLimit === undefined ? app.config.historyLength : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > app.config.historyLength) {
    throw new RoomcastError('INVALID_MESSAGE', `limit must be an integer from 1 to ${app.config.historyLength}`);
  }
  const shape = ({ id, pos, ts, data }: { id: string; pos: string; ts: number; data: unknown }) => ({ id, pos, ts, data });
  if (since === undefined) {
    const messages = await app.messages.latest(room, limit);
    const cursor = messages.length > 0 ? cursorOf(messages.map((message) => message.pos)) : undefined;
    return { status: 200, body: { room, messages: messages.map(shape), ...(cursor ? { cursor } : {}) } };
  }
  const cursor = parseCursor(since);
  const { messages, complete } = await resumeAfter(app.messages, room, cursor, limit);
  const next = cursorOf([...cursor.map(encodePosition), ...messages.map((message) => message.pos)]);
  return { status: 200, body: { room, messages: messages.map(shape), complete, ...(messages.length === limit ? { next } : {}) } };
}

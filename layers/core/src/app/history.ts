import type { App } from './context.js';
import type { HttpRequest, HttpResponse } from './http-request.js';
import { RoomcastError } from '../errors.js';
import { decodePosition } from '../model/positions.js';
import { assertRoomName } from '../model/rooms.js';

/** GET /rooms/{room}/messages?since=<pos>&limit=<n>: oldest first; `next` pages on. */
export async function history(app: App, request: HttpRequest): Promise<HttpResponse> {
  const room = assertRoomName(request.pathParameters.room);
  const { since, limit: rawLimit } = request.query;
  const limit = rawLimit === undefined ? app.config.historyLength : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > app.config.historyLength) {
    throw new RoomcastError('INVALID_MESSAGE', `limit must be an integer from 1 to ${app.config.historyLength}`);
  }
  if (since !== undefined) decodePosition(since);
  const messages = since === undefined ? await app.messages.latest(room, limit) : await app.messages.after(room, since, limit);
  const items = messages.map(({ id, pos, ts, data }) => ({ id, pos, ts, data }));
  const last = items[items.length - 1];
  return { status: 200, body: { room, messages: items, ...(since !== undefined && last && items.length === limit ? { next: last.pos } : {}) } };
}

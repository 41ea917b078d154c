import type { App } from './context.js';
import type { HttpRequest, HttpResponse } from './http-request.js';
import { resumeAfter } from './resume.js';
import { RoomcastError } from '../errors.js';
import { cursorOf, parseCursor } from '../model/positions.js';
import { FRAME_READ_UNITS, ReadAllowance } from '../model/read-budget.js';
import { nextCursor } from '../model/resume.js';
import { assertRoomName } from '../model/rooms.js';

/**
 * GET /rooms/{room}/messages?since=<cursor>&limit=<n>: oldest first. Without `since`, the
 * latest messages and the room's `cursor`; with it, what follows, and `next` (the cursor
 * to page on with) while more follows than the page holds: `limit` messages, or what
 * FRAME_READ_UNITS of reads return (model/read-budget.ts).
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
  // Only origins the room has are read: an entry naming another has nothing after it.
  const [asked, origins] = [parseCursor(since), new Set(await app.messages.origins(room))];
  const cursor = asked.filter((entry) => origins.has(entry.origin));
  const { messages, complete, more } = await resumeAfter(app.messages, room, cursor, limit, new ReadAllowance(FRAME_READ_UNITS));
  const next = more ? nextCursor(cursor, messages) : undefined;
  return { status: 200, body: { room, messages: messages.map(shape), complete, ...(next ? { next } : {}) } };
}

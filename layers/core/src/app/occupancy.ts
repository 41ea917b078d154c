import type { App } from './context.js';
import type { HttpRequest, HttpResponse } from './http-request.js';
import type { SocketRequest } from './socket-request.js';
import { postToSender } from './post-with-retry.js';
import { connectionAllowing } from './room-access.js';
import { RoomcastError } from '../errors.js';
import { mapLimit } from '../model/concurrency.js';
import { LIMITS } from '../model/limits.js';
import type { Occupancy } from '../model/occupancy.js';
import { assertRoomName } from '../model/rooms.js';
import type { OccupancyRequest } from '../protocol/client-frames.js';
import { occupancyFrame } from '../protocol/server-frames.js';

/** A room's occupancy as this region counts it, and when it was read (ms since the epoch). */
export interface RoomOccupancy extends Occupancy {
  room: string;
  region: string;
  at: number;
}

/** Rooms read side by side. */
const ROOMS_IN_FLIGHT = 8;

/** Each room's occupancy, read from its counts (model/occupancy.ts), in the order asked. */
export async function occupancyOf(app: App, rooms: readonly string[]): Promise<RoomOccupancy[]> {
  return mapLimit(rooms, ROOMS_IN_FLIGHT, async (room) => ({ room, ...(await app.connections.occupancy(room)), region: app.config.region, at: app.now() }));
}

/**
 * The `occupancy` action: every room must be allowed by the connection's token, or nothing is
 * answered (ROOM_FORBIDDEN); then one `occupancy` frame per room.
 */
export async function occupancy(app: App, request: SocketRequest, frame: OccupancyRequest): Promise<undefined> {
  await connectionAllowing(app, request.connectionId, frame.rooms, 'see');
  await postToSender(app, request, (await occupancyOf(app, frame.rooms)).map(occupancyFrame));
  return undefined;
}

/** GET /rooms/{room}: `{room, connections, principals, regions: {<region>: {connections, principals, at}}}`. */
export async function roomOccupancy(app: App, request: HttpRequest): Promise<HttpResponse> {
  const [answer] = await occupancyOf(app, [assertRoomName(request.pathParameters.room)]);
  return { status: 200, body: httpBody(answer!) };
}

/** POST /occupancy `{"rooms":[...]}`: `{"rooms":[<as GET /rooms/{room}>, ...]}`, in the order asked. */
export async function roomsOccupancy(app: App, request: HttpRequest): Promise<HttpResponse> {
  const rooms = parseRooms(request.body);
  return { status: 200, body: { rooms: (await occupancyOf(app, rooms)).map(httpBody) } };
}

function httpBody({ room, connections, principals, region, at }: RoomOccupancy): Record<string, unknown> {
  return { room, connections, principals, regions: { [region]: { connections, principals, at } } };
}

function parseRooms(body: string | undefined): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    throw new RoomcastError('INVALID_MESSAGE', 'the body is not valid JSON');
  }
  const rooms = (json as { rooms?: unknown } | null)?.rooms;
  if (!Array.isArray(rooms) || rooms.length === 0 || !rooms.every((room) => typeof room === 'string')) {
    throw new RoomcastError('INVALID_MESSAGE', 'the body must be {"rooms":["<room>", ...]} with at least one room');
  }
  if (rooms.length > LIMITS.roomsPerFrame) {
    throw new RoomcastError('TOO_MANY_ROOMS', `at most ${LIMITS.roomsPerFrame} rooms at once`, { details: { limit: LIMITS.roomsPerFrame } });
  }
  return [...new Set(rooms.map((room) => assertRoomName(room)))];
}

import * as v from 'valibot';
import { RoomcastError } from '../errors.js';
import { LIMITS } from '../model/limits.js';
import { isCursor } from '../model/positions.js';
import { roomNameProblem } from '../model/rooms.js';
import { describeIssue } from './issues.js';

/** Frames a client sends. API Gateway routes on `action`. */
const Rooms = v.pipe(v.array(v.string()), v.minLength(1, 'rooms must not be empty'));

const SubscribeFrame = v.strictObject({
  action: v.literal('subscribe'),
  rooms: Rooms,
  snapshot: v.optional(v.union([v.boolean(), v.pipe(v.number(), v.integer(), v.minValue(0))])),
  dump: v.optional(v.boolean()),
  since: v.optional(v.record(v.string(), v.string())),
});

const UnsubscribeFrame = v.strictObject({ action: v.literal('unsubscribe'), rooms: Rooms });
const PingFrame = v.strictObject({ action: v.literal('ping') });
/** A JWT is three base64url parts; the bound keeps a frame of junk from reaching the verifier. */
const RefreshFrame = v.strictObject({
  action: v.literal('refresh'),
  token: v.pipe(v.string(), v.minLength(1, 'token must not be empty'), v.maxLength(LIMITS.tokenChars, `token is at most ${LIMITS.tokenChars} characters`)),
});

const OccupancyFrame = v.strictObject({ action: v.literal('occupancy'), rooms: Rooms });

const SCHEMAS = { subscribe: SubscribeFrame, unsubscribe: UnsubscribeFrame, ping: PingFrame, refresh: RefreshFrame, occupancy: OccupancyFrame } as const;
export type ClientAction = keyof typeof SCHEMAS;

export interface SubscribeRequest {
  action: 'subscribe';
  rooms: string[];
  /** How many recent messages to send per room without `since`; 0: none. */
  snapshot: number | 'default';
  since: Record<string, string>;
}
export interface UnsubscribeRequest { action: 'unsubscribe'; rooms: string[] }
export interface PingRequest { action: 'ping' }
/** Renew the session in place with a new token (app/refresh.ts). */
export interface RefreshRequest { action: 'refresh'; token: string }
/** How many connections and principals the rooms have (app/occupancy.ts). */
export interface OccupancyRequest { action: 'occupancy'; rooms: string[] }
export type ClientFrame = SubscribeRequest | UnsubscribeRequest | PingRequest | RefreshRequest | OccupancyRequest;

/** Parse and validate one text frame. Throws a RoomcastError; never partially accepts. */
export function parseClientFrame(body: string | null | undefined): ClientFrame {
  const text = body ?? '';
  if (Buffer.byteLength(text) > LIMITS.frameBytes) {
    throw new RoomcastError('FRAME_TOO_LARGE', `a frame is at most ${LIMITS.frameBytes} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RoomcastError('BAD_FRAME', 'the frame is not valid JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new RoomcastError('BAD_FRAME', 'the frame must be a JSON object');
  }
  const action = (json as { action?: unknown }).action;
  if (typeof action !== 'string' || !Object.hasOwn(SCHEMAS, action)) {
    throw new RoomcastError('UNKNOWN_ACTION', `unknown action ${JSON.stringify(action)?.slice(0, 40) ?? 'undefined'}`, {
      details: { known: Object.keys(SCHEMAS) },
    });
  }
  const result = v.safeParse(SCHEMAS[action as ClientAction], json);
  if (!result.success) throw new RoomcastError('INVALID_FRAME', describeIssue(result.issues[0], '', action));
  const frame = result.output;
  if (frame.action === 'ping') return { action: 'ping' };
  if (frame.action === 'refresh') return { action: 'refresh', token: frame.token };
  const rooms = checkRooms(frame.rooms);
  if (frame.action === 'unsubscribe') return { action: 'unsubscribe', rooms };
  if (frame.action === 'occupancy') return { action: 'occupancy', rooms };
  return { action: 'subscribe', rooms, snapshot: snapshotCount(frame.snapshot ?? frame.dump), since: checkSince(frame.since ?? {}, rooms) };
}

function checkRooms(rooms: string[]): string[] {
  const unique = [...new Set(rooms)];
  if (unique.length > LIMITS.roomsPerFrame) {
    throw new RoomcastError('TOO_MANY_ROOMS', `at most ${LIMITS.roomsPerFrame} rooms per frame`, { details: { limit: LIMITS.roomsPerFrame } });
  }
  const invalid = unique.flatMap((room) => {
    // Reserved rooms are well-formed; whether a token grants one is the subscribe route's call.
    const problem = roomNameProblem(room, { allowReserved: true });
    return problem ? [{ room: room.slice(0, 64), problem }] : [];
  });
  if (invalid.length > 0) {
    throw new RoomcastError('INVALID_ROOM', invalid[0]!.problem, { details: { rooms: invalid.map((item) => item.room) } });
  }
  return unique;
}

function snapshotCount(value: boolean | number | undefined): number | 'default' {
  if (value === true) return 'default';
  if (value === false || value === undefined) return 0;
  return value;
}

/** `since` without a prototype: a room named like a member of Object ("constructor") has no entry. */
function checkSince(since: Record<string, string>, rooms: string[]): Record<string, string> {
  const checked: Record<string, string> = Object.create(null);
  for (const [room, pos] of Object.entries(since)) {
    if (!rooms.includes(room)) throw new RoomcastError('INVALID_FRAME', `since names room "${room.slice(0, 64)}" that is not in rooms`);
    if (!isCursor(pos)) throw new RoomcastError('INVALID_POSITION', `since.${room.slice(0, 64)}: "${String(pos).slice(0, 80)}" is not a position or cursor`);
    checked[room] = pos;
  }
  return checked;
}

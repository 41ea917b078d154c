import { RoomcastError } from '../errors.js';
import { LIMITS } from './limits.js';
import { matchesPattern } from './room-patterns.js';

export { matchesPattern, patternProblem } from './room-patterns.js';

/**
 * Room names: 1-128 characters of [A-Za-z0-9_.:=@-], starting with a letter or digit.
 * Excluded on purpose: '#' and '|' (separators of our keys), '*' (patterns), '/' and
 * '%' (URL paths), whitespace, and anything outside ASCII (no confusables).
 * Names starting with `roomcast.` are reserved for the service itself: nobody publishes to
 * them through the publish API, and only a pattern that itself starts with `roomcast.`
 * grants one (`*` does not).
 */
const ROOM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:=@-]*$/;
export const RESERVED_PREFIX = 'roomcast.';

export function roomNameProblem(room: unknown, { allowReserved = false } = {}): string | undefined {
  if (typeof room !== 'string') return 'a room name must be a string';
  if (room.length === 0) return 'a room name must not be empty';
  if (room.length > LIMITS.roomNameLength) return `a room name is at most ${LIMITS.roomNameLength} characters`;
  if (!ROOM_NAME.test(room)) return 'a room name uses only letters, digits and _ . : = @ -, and starts with a letter or digit';
  if (room.includes('..')) return 'a room name must not contain ".."';
  if (!allowReserved && room.startsWith(RESERVED_PREFIX)) return `room names starting with "${RESERVED_PREFIX}" are reserved`;
  return undefined;
}

export function assertRoomName(room: unknown, options?: { allowReserved?: boolean }): string {
  const problem = roomNameProblem(room, options);
  if (problem) throw new RoomcastError('INVALID_ROOM', problem, { details: { room: preview(room) } });
  return room as string;
}

function preview(value: unknown): unknown {
  return typeof value === 'string' && value.length > 64 ? `${value.slice(0, 64)}...` : value;
}

/**
 * Whether a token's room patterns grant a room (model/room-patterns.ts: `*` within one
 * segment, `**` for a subtree). A reserved room is granted only by a pattern that itself
 * starts with `roomcast.`.
 */
export function isRoomAllowed(patterns: readonly string[], room: string): boolean {
  const reserved = room.startsWith(RESERVED_PREFIX);
  return patterns.some((pattern) => (!reserved || pattern.startsWith(RESERVED_PREFIX)) && matchesPattern(pattern, room));
}

/** The claim carrying room patterns may be a list or a comma/space separated string. */
export function parsePatterns(claim: unknown): string[] {
  const items = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  return items.filter((item): item is string => typeof item === 'string' && item.length > 0 && item.length <= 256);
}

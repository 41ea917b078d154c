import { RoomcastError } from '../errors.js';

/**
 * A position orders a message inside its room, the same way in every region:
 *
 *     <clock>.<origin>.<seq>      0001763776000123.eu-west-1.0000000000000042
 *
 * - `origin`: the region that accepted the publish;
 * - `seq`: dense per (room, origin), from 1: a skipped one is a gap;
 * - `clock`: the origin's publish clock in ms, strictly increasing with `seq` per (room, origin).
 *
 * Positions sort as strings by clock, then origin: one total order that every region
 * agrees on (the order of history), and within one origin it is publish order. Keys never
 * collide across regions, since each carries its origin. Clients treat positions as opaque.
 */
export interface Position {
  clock: number;
  origin: string;
  seq: number;
}

const WIDTH = 16;
const POSITION = /^(\d{16})\.([a-z0-9-]{1,32})\.(\d{16})$/;
const ORIGIN = /^[a-z0-9-]{1,32}$/;
/** Entries a cursor may hold: one per region, with room to spare. */
const CURSOR_ENTRIES = 16;

const digits = (value: number): string => String(value).padStart(WIDTH, '0');

export function encodePosition({ clock, origin, seq }: Position): string {
  if (!Number.isSafeInteger(clock) || clock < 0) throw new RangeError(`bad clock ${clock}`);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`bad sequence number ${seq}`);
  if (!ORIGIN.test(origin)) throw new RangeError(`bad origin ${origin}`);
  return `${digits(clock)}.${origin}.${digits(seq)}`;
}

export function decodePosition(pos: string): Position {
  const match = POSITION.exec(pos);
  if (!match) throw new RoomcastError('INVALID_POSITION', `"${pos.slice(0, 60)}" is not a position`);
  return { clock: Number(match[1]), origin: match[2]!, seq: Number(match[3]) };
}

export function isPosition(value: unknown): value is string {
  return typeof value === 'string' && POSITION.test(value);
}

/** A message's key in the room's by-origin index: `<origin>.<seq>`, sorting in seq order. */
export function originKey(origin: string, seq: number): string {
  return `${origin}.${digits(seq)}`;
}

/** The smallest position prefix; every message's position sorts after it. */
export const ORIGIN_POSITION = digits(0);

/**
 * A cursor says where a reader is in a room: the last position it has from each origin,
 * joined by commas. One position is a cursor too. Resuming after a cursor returns, per
 * origin, every message after that origin's position: exact across regions, whatever the
 * replication delay was when the reader moved.
 */
export function parseCursor(cursor: string): Position[] {
  const parts = cursor.split(',');
  if (parts.length > CURSOR_ENTRIES) throw new RoomcastError('INVALID_POSITION', `a cursor holds at most ${CURSOR_ENTRIES} positions`);
  const byOrigin = new Map<string, Position>();
  for (const part of parts) {
    const position = decodePosition(part);
    const known = byOrigin.get(position.origin);
    if (!known || known.seq < position.seq) byOrigin.set(position.origin, position);
  }
  return [...byOrigin.values()];
}

export function isCursor(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseCursor(value);
    return true;
  } catch {
    return false;
  }
}

/** The cursor of the latest position per origin among `positions` (sorted, comma-joined). */
export function cursorOf(positions: Iterable<string>): string {
  const latest = new Map<string, string>();
  for (const pos of positions) {
    const { origin } = decodePosition(pos);
    const known = latest.get(origin);
    if (known === undefined || known < pos) latest.set(origin, pos);
  }
  return [...latest.values()].sort().join(',');
}

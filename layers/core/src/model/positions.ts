import { RoomcastError } from '../errors.js';

/**
 * A position orders a message inside its room. It is a dense sequence number per room,
 * written as 16 zero-padded digits so that positions sort as strings in the same order
 * as numbers (DynamoDB sort keys, `since` comparisons). Clients treat it as opaque.
 */
const WIDTH = 16;
const POSITION = /^\d{16}$/;

export function encodePosition(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`bad sequence number ${seq}`);
  return String(seq).padStart(WIDTH, '0');
}

export function decodePosition(pos: string): number {
  if (!POSITION.test(pos)) throw new RoomcastError('INVALID_POSITION', `"${pos.slice(0, 40)}" is not a position`);
  return Number(pos);
}

export function isPosition(value: unknown): value is string {
  return typeof value === 'string' && POSITION.test(value);
}

/** The smallest position; every message's position sorts after it. */
export const ORIGIN_POSITION = encodePosition(0);

import { describe, expect, it } from 'vitest';
import { cursorOf, decodePosition, encodePosition, parseCursor, RoomcastError } from '@roomcast/core';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof RoomcastError ? error.code : 'not a RoomcastError';
  }
  return undefined;
};

describe('positions', () => {
  it('round-trip, and sort as strings by clock, then origin', () => {
    const positions = [
      { clock: 5, origin: 'us-east-1', seq: 1 },
      { clock: 10, origin: 'eu-west-1', seq: 1 },
      { clock: 10, origin: 'us-east-1', seq: 2 },
      { clock: 99, origin: 'eu-west-1', seq: 2 },
      { clock: 2 ** 45, origin: 'ap-southeast-2', seq: 123_456_789 },
    ];
    const encoded = positions.map(encodePosition);
    expect(encoded.map(decodePosition)).toEqual(positions);
    expect([...encoded].reverse().sort()).toEqual(encoded);
    expect(encoded[0]).toBe('0000000000000005.us-east-1.0000000000000001');
  });

  it('refuses what it did not issue with INVALID_POSITION', () => {
    const bad = ['', '12', '0000000000000001', '0000000000000001.eu-west-1.1', '0000000000000001.EU.0000000000000001', '0000000000000001.a,b.0000000000000001', ' 0000000000000001.eu-west-1.0000000000000001'];
    for (const pos of bad) expect(codeOf(() => decodePosition(pos)), pos).toBe('INVALID_POSITION');
  });

  it('refuses bad parts', () => {
    expect(() => encodePosition({ clock: -1, origin: 'eu-west-1', seq: 1 })).toThrow(RangeError);
    expect(() => encodePosition({ clock: 1, origin: 'eu-west-1', seq: 0 })).toThrow(RangeError);
    expect(() => encodePosition({ clock: 1, origin: 'eu-west-1', seq: 1.5 })).toThrow(RangeError);
    expect(() => encodePosition({ clock: 1, origin: 'EU WEST', seq: 1 })).toThrow(RangeError);
  });
});

describe('cursors', () => {
  const a = (seq: number) => encodePosition({ clock: 100 + seq, origin: 'eu-west-1', seq });
  const b = (seq: number) => encodePosition({ clock: 50 + seq, origin: 'us-east-1', seq });

  it('keep the latest position per origin', () => {
    expect(cursorOf([a(1), b(3), a(4), b(2)])).toBe([b(3), a(4)].join(','));
    expect(parseCursor([a(2), b(7), a(5)].join(','))).toEqual([decodePosition(a(5)), decodePosition(b(7))]);
  });

  it('accept one position, and refuse bad parts and oversized lists', () => {
    expect(parseCursor(a(1))).toEqual([decodePosition(a(1))]);
    expect(codeOf(() => parseCursor(`${a(1)},`))).toBe('INVALID_POSITION');
    expect(codeOf(() => parseCursor(`${a(1)},nope`))).toBe('INVALID_POSITION');
    expect(codeOf(() => parseCursor(Array.from({ length: 17 }, (_, i) => a(i + 1)).join(',')))).toBe('INVALID_POSITION');
  });
});

import { describe, expect, it } from 'vitest';
import { decodePosition, encodePosition, RoomcastError } from '@roomcast/core';

describe('positions', () => {
  it('round-trips and sorts as strings in numeric order', () => {
    const numbers = [0, 1, 9, 10, 99, 100, 12345, 2 ** 40, Number.MAX_SAFE_INTEGER];
    const encoded = numbers.map(encodePosition);
    expect(encoded.map(decodePosition)).toEqual(numbers);
    expect([...encoded].sort()).toEqual(encoded);
  });

  it('refuses what it did not issue with INVALID_POSITION', () => {
    for (const bad of ['', '12', 'abcdefghijklmnop', '00000000000000001 ', '-000000000000001']) {
      expect(() => decodePosition(bad)).toThrowError(RoomcastError);
      try {
        decodePosition(bad);
      } catch (error) {
        expect((error as RoomcastError).code).toBe('INVALID_POSITION');
      }
    }
  });

  it('refuses bad sequence numbers', () => {
    expect(() => encodePosition(-1)).toThrow(RangeError);
    expect(() => encodePosition(1.5)).toThrow(RangeError);
  });
});

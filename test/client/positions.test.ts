import { describe, expect, it } from 'vitest';
import { compare, follows, next } from '../../client/sdk/positions.js';

describe('positions', () => {
  it('compares as strings of one room', () => {
    expect(compare('0000000000000001', '0000000000000002')).toBe(-1);
    expect(compare('0000000000000010', '0000000000000009')).toBe(1);
    expect(compare('0000000000000004', '0000000000000004')).toBe(0);
  });

  it('knows the next dense position, same width, with carries', () => {
    expect(next('0000000000000041')).toBe('0000000000000042');
    expect(next('0000000000000099')).toBe('0000000000000100');
    expect(next('0999999999999999')).toBe('1000000000000000');
    expect(next('9')).toBe('10');
  });

  it('does not guess for positions of another shape', () => {
    expect(next('a7')).toBeUndefined();
    expect(follows('a7', 'b2')).toBe(true);
    expect(follows('0000000000000001', '0000000000000002')).toBe(true);
    expect(follows('0000000000000001', '0000000000000003')).toBe(false);
  });
});

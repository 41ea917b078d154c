import { describe, expect, it } from 'vitest';
import { compare, cursorOf, entries, follows, originOf, raise } from '../../client/sdk/positions.js';
import { positionOf } from '../support/positions.js';

describe('positions', () => {
  const a = (n: number) => positionOf(n, 'eu-west-1', 1000 + n);
  const b = (n: number) => positionOf(n, 'us-east-1', 1000 + n);

  it('compare as strings, and name their origin', () => {
    expect(compare(a(1), a(2))).toBe(-1);
    expect(compare(a(10), a(9))).toBe(1);
    expect(compare(a(4), a(4))).toBe(0);
    expect(originOf(b(3))).toBe('us-east-1');
    expect(originOf('a7')).toBe('');
  });

  it('follow densely within one origin only', () => {
    expect(follows(a(1), a(2))).toBe(true);
    expect(follows(a(1), a(3))).toBe(false);
    expect(follows(a(9), a(10))).toBe(true);
    expect(follows(a(1), b(2))).toBe(false);
  });

  it('do not guess for positions of another shape', () => {
    expect(follows('a7', 'b2')).toBe(true);
  });

  it('make cursors of the latest position per origin', () => {
    const latest = new Map<string, string>();
    for (const pos of [a(2), b(5), a(1), b(6)]) raise(latest, pos);
    expect(raise(latest, a(2))).toBe(false);
    expect(cursorOf(latest)).toBe([a(2), b(6)].sort().join(','));
    expect(entries(cursorOf(latest))).toEqual([a(2), b(6)].sort());
    expect(cursorOf(new Map())).toBeUndefined();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPattern, patternProblem } from '../../layers/core/src/model/room-patterns.js';

describe('a room pattern, segment by segment', () => {
  it.each([
    ['team:1*', 'team:12', true],
    ['team:1*', 'team:1', true],
    ['team:1*', 'team:1:admin', false],
    ['scores:*', 'scores:1', true],
    ['scores:*', 'scores:1:detail', false],
    ['scores:*', 'chat:scores:1', false],
    ['*', 'lobby', true],
    ['*', 'team:1', false],
    ['team:*:chat', 'team:7:chat', true],
    ['team:*:chat', 'team:7:x:chat', false],
    ['team:*:chat', 'team:chat', false],
    ['*:*', 'a:b', true],
    ['*:*', 'a:b:c', false],
    ['a*a', 'aa', true],
    ['a*a', 'a', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
  ])('%s matches %s: %s', (pattern, room, expected) => {
    expect(matchesPattern(pattern, room)).toBe(expected);
  });

  it.each([
    ['team:1:**', 'team:1:chat', true],
    ['team:1:**', 'team:1:chat:mods', true],
    ['team:1:**', 'team:1', false],
    ['team:1:**', 'team:12:chat', false],
    ['team:*:**', 'team:9:a:b', true],
    ['**', 'lobby', true],
    ['**', 'a:b:c:d', true],
  ])('a subtree: %s matches %s: %s', (pattern, room, expected) => {
    expect(matchesPattern(pattern, room)).toBe(expected);
  });

  it.each(['a**', '**:x', 'a:**:b', 'a:b**', ''])('%j is refused and grants nothing', (pattern) => {
    expect(patternProblem(pattern)).toBeTypeOf('string');
    expect(matchesPattern(pattern, 'a:x')).toBe(false);
    expect(matchesPattern(pattern, 'x')).toBe(false);
  });

  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const room = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(':'));

  it('a single * never crosses a segment: the pattern grants rooms of exactly its segment count', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('*', 'a*', '*b', 'x'), { minLength: 1, maxLength: 4 }), room, (parts, name) => {
      if (matchesPattern(parts.join(':'), name)) expect(name.split(':').length).toBe(parts.length);
    }));
  });

  it('a name matches itself, and its prefix followed by ** matches it only when it is longer', () => {
    fc.assert(fc.property(room, fc.nat(4), (name, cut) => {
      expect(matchesPattern(name, name)).toBe(true);
      const segments = name.split(':');
      const prefix = segments.slice(0, Math.min(cut, segments.length));
      const subtree = [...prefix, '**'].join(':');
      expect(matchesPattern(subtree, name)).toBe(prefix.length < segments.length);
    }));
  });
});

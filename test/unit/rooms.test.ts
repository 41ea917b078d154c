import { describe, expect, it } from 'vitest';
import { isRoomAllowed, matchesPattern, parsePatterns, roomNameProblem } from '@roomcast/core';

describe('room names', () => {
  it.each(['a', 'scores:42', 'team_1.chat', 'user@example.com', 'k=v', 'A-b', 'x'.repeat(128)])('accepts %s', (room) => {
    expect(roomNameProblem(room)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['x'.repeat(129), 'too long'],
    ['x'.repeat(10_000), 'far too long'],
    ['a#b', 'key separator #'],
    ['a|b', 'separator |'],
    ['a*', 'pattern character'],
    ['a/b', 'path separator'],
    ['../etc', 'path traversal'],
    ['a..b', 'double dot'],
    ['a%2Fb', 'percent encoding'],
    ['.hidden', 'leading dot'],
    ['-x', 'leading dash'],
    ['a b', 'space'],
    ['ѕcores', 'cyrillic confusable'],
    ['scores\u200b', 'zero-width space'],
    ['roomcast.canary', 'reserved prefix'],
  ])('refuses %j (%s)', (room) => {
    expect(roomNameProblem(room)).toBeTypeOf('string');
  });

  it('refuses non-strings', () => {
    expect(roomNameProblem(42)).toMatch(/string/);
    expect(roomNameProblem(null)).toMatch(/string/);
  });

  it('lets the service use its reserved prefix when asked', () => {
    expect(roomNameProblem('roomcast.canary', { allowReserved: true })).toBeUndefined();
  });
});

describe('room patterns (model/room-patterns.ts has the matching rule)', () => {
  it('matches through the public index', () => {
    expect(matchesPattern('scores:*', 'scores:1')).toBe(true);
    expect(matchesPattern('scores:*', 'scores:1:x')).toBe(false);
  });

  it('allows a room when any pattern matches', () => {
    expect(isRoomAllowed(['chat:1', 'scores:*'], 'scores:9')).toBe(true);
    expect(isRoomAllowed(['chat:1'], 'chat:2')).toBe(false);
    expect(isRoomAllowed([], 'chat:1')).toBe(false);
  });

  it('reads the claim as a list or a separated string, dropping junk', () => {
    expect(parsePatterns(['a', 'b:*'])).toEqual(['a', 'b:*']);
    expect(parsePatterns('a, b:*  c')).toEqual(['a', 'b:*', 'c']);
    expect(parsePatterns([1, '', 'ok', {}])).toEqual(['ok']);
    expect(parsePatterns(undefined)).toEqual([]);
  });
});

describe('reserved rooms', () => {
  it('are granted only by a pattern that itself starts with roomcast.', () => {
    expect(isRoomAllowed(['*'], 'roomcast.canary')).toBe(false);
    expect(isRoomAllowed(['roomcast.canary'], 'roomcast.canary')).toBe(true);
    expect(isRoomAllowed(['roomcast.*'], 'roomcast.canary')).toBe(true);
    expect(isRoomAllowed(['**'], 'roomcast.canary')).toBe(false);
    expect(isRoomAllowed(['**', 'roomcast.canary'], 'scores:1')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { matchesOrigin, originPatternProblem } from '../../layers/core/src/model/origins.js';

describe('allowed origins', () => {
  it.each([
    ['https://*.example.com', 'https://app.example.com', true],
    ['https://*.example.com', 'https://a.b.example.com', true],
    ['https://*.example.com', 'https://APP.Example.COM', true],
    ['https://*.example.com', 'https://example.com', false],
    ['https://*.example.com', 'https://evilexample.com', false],
    ['https://*.example.com', 'https://example.com.evil.net', false],
    ['https://*.example.com', 'https://app.example.com.evil.net', false],
    ['https://*.example.com', 'http://app.example.com', false],
    ['https://*.example.com', 'https://app.example.com:8443', false],
    ['https://*.example.com:8443', 'https://app.example.com:8443', true],
    ['https://*.example.com', 'https://.example.com', false],
    ['https://*.example.com', 'https://a..example.com', false],
    ['https://*.example.com', 'https://app.example.com/path', false],
    ['https://*.example.com', 'null', false],
    ['https://app.example.com', 'https://app.example.com', true],
    ['https://app.example.com', 'https://app.example.com:443', false],
    ['http://localhost:5173', 'http://localhost:5173', true],
    ['http://[::1]:4512', 'http://[::1]:4512', true],
    ['*', 'https://anything.test', true],
  ])('%s allows %s: %s', (pattern, origin, expected) => {
    expect(matchesOrigin(pattern, origin)).toBe(expected);
  });

  it.each([
    'https://app.*.com',
    'https://*example.com',
    'https://*.com',
    'https://ex*ample.com',
    '*.example.com',
    'example.com',
    'https://example.com/',
  ])('refuses the entry %s, which would not mean what it looks like', (pattern) => {
    expect(originPatternProblem(pattern)).toBeTypeOf('string');
    expect(matchesOrigin(pattern, 'https://www.example.com')).toBe(false);
  });

  it.each(['*', 'https://app.example.com', 'https://*.example.com', 'http://localhost:4512', 'http://[::1]:4512'])('accepts %s', (pattern) => {
    expect(originPatternProblem(pattern)).toBeUndefined();
  });
});

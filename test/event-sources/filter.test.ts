import { describe, expect, it } from 'vitest';
import { compileFilterCriteria, FilterPatternError, matchesFilter } from '../../local/event-sources/index.js';

const insert = (image: Record<string, unknown>, eventName = 'INSERT') => ({
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: 'room#a' } }, NewImage: image, SequenceNumber: '100' },
});

describe('matchesFilter', () => {
  it('matches exact values, any of a list, and nested keys', () => {
    const record = insert({ kind: { S: 'msg' }, n: { N: '5' }, ok: { BOOL: true } });
    expect(matchesFilter({ eventName: ['INSERT'] }, record)).toBe(true);
    expect(matchesFilter({ eventName: ['MODIFY', 'INSERT'] }, record)).toBe(true);
    expect(matchesFilter({ eventName: ['REMOVE'] }, record)).toBe(false);
    expect(matchesFilter({ dynamodb: { NewImage: { kind: { S: ['msg'] } } } }, record)).toBe(true);
    expect(matchesFilter({ dynamodb: { NewImage: { kind: { S: ['other'] } } } }, record)).toBe(false);
    expect(matchesFilter({ dynamodb: { NewImage: { ok: { BOOL: [true] } } } }, record)).toBe(true);
    expect(matchesFilter({ dynamodb: { NewImage: { ok: { BOOL: [false] } } } }, record)).toBe(false);
    // every key of the pattern must match
    expect(matchesFilter({ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['other'] } } } }, record)).toBe(false);
    expect(matchesFilter({}, record)).toBe(true);
  });

  it('needs the field to exist, except for exists:false', () => {
    const record = insert({ kind: { S: 'msg' } });
    expect(matchesFilter({ dynamodb: { NewImage: { missing: { S: ['msg'] } } } }, record)).toBe(false);
    expect(matchesFilter({ dynamodb: { NewImage: { kind: { S: [{ exists: true }] } } } }, record)).toBe(true);
    expect(matchesFilter({ dynamodb: { NewImage: { missing: { S: [{ exists: true }] } } } }, record)).toBe(false);
    expect(matchesFilter({ dynamodb: { NewImage: { missing: { S: [{ exists: false }] } } } }, record)).toBe(true);
    expect(matchesFilter({ dynamodb: { OldImage: { kind: { S: [{ exists: false }] } } } }, record)).toBe(true);
    expect(matchesFilter({ dynamodb: { NewImage: { kind: { S: [{ exists: false }] } } } }, record)).toBe(false);
  });

  it('prefix, suffix and equals-ignore-case', () => {
    const record = insert({ room: { S: 'lobby-eu' } });
    expect(matchesFilter({ dynamodb: { Keys: { pk: { S: [{ prefix: 'room#' }] } } } }, record)).toBe(true);
    expect(matchesFilter({ dynamodb: { Keys: { pk: { S: [{ prefix: 'user#' }] } } } }, record)).toBe(false);
    expect(matchesFilter({ dynamodb: { NewImage: { room: { S: [{ suffix: '-eu' }] } } } }, record)).toBe(true);
    expect(matchesFilter({ dynamodb: { NewImage: { room: { S: [{ 'equals-ignore-case': 'LOBBY-EU' }] } } } }, record)).toBe(true);
  });

  it('anything-but: a list, one value, a prefix; never a missing field', () => {
    const record = insert({ origin: { S: 'us-west-2' } });
    const origin = (rule: unknown) => ({ dynamodb: { NewImage: { origin: { S: [rule] } } } });
    expect(matchesFilter(origin({ 'anything-but': ['us-east-1'] }), record)).toBe(true);
    expect(matchesFilter(origin({ 'anything-but': ['us-east-1', 'us-west-2'] }), record)).toBe(false);
    expect(matchesFilter(origin({ 'anything-but': 'us-west-2' }), record)).toBe(false);
    expect(matchesFilter(origin({ 'anything-but': { prefix: 'us-' } }), record)).toBe(false);
    expect(matchesFilter(origin({ 'anything-but': { prefix: 'eu-' } }), record)).toBe(true);
    expect(matchesFilter({ dynamodb: { NewImage: { nope: { S: [{ 'anything-but': ['x'] }] } } } }, record)).toBe(false);
  });

  it('numeric ranges, on numbers and on DynamoDB N strings', () => {
    const record = { body: { size: 12 }, dynamodb: { NewImage: { n: { N: '5' }, text: { S: 'five' } } } };
    const n = (numeric: unknown[]) => ({ dynamodb: { NewImage: { n: { N: [{ numeric }] } } } });
    expect(matchesFilter(n(['=', 5]), record)).toBe(true);
    expect(matchesFilter(n(['>', 4, '<=', 5]), record)).toBe(true);
    expect(matchesFilter(n(['>', 5]), record)).toBe(false);
    expect(matchesFilter(n(['>=', 5, '<', 6]), record)).toBe(true);
    expect(matchesFilter(n(['<', 5]), record)).toBe(false);
    expect(matchesFilter({ body: { size: [{ numeric: ['>', 10] }] } }, record)).toBe(true);
    expect(matchesFilter({ dynamodb: { NewImage: { text: { S: [{ numeric: ['>', 0] }] } } } }, record)).toBe(false);
  });

  it('matches arrays in the record element by element, and null exactly', () => {
    const record = { body: { tags: ['a', 'b'], gone: null, items: [{ k: 'x' }, { k: 'y' }] } };
    expect(matchesFilter({ body: { tags: ['b'] } }, record)).toBe(true);
    expect(matchesFilter({ body: { tags: ['c'] } }, record)).toBe(false);
    expect(matchesFilter({ body: { gone: [null] } }, record)).toBe(true);
    expect(matchesFilter({ body: { gone: [{ exists: true }] } }, record)).toBe(true);
    expect(matchesFilter({ body: { items: { k: ['y'] } } }, record)).toBe(true);
  });

  it('the pattern of the brief', () => {
    const pattern = JSON.parse(
      '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"kind":{"S":["msg"]},"origin":{"S":[{"anything-but":["us-east-1"]}]}}}}',
    ) as object;
    expect(matchesFilter(pattern, insert({ kind: { S: 'msg' }, origin: { S: 'eu-west-1' } }))).toBe(true);
    expect(matchesFilter(pattern, insert({ kind: { S: 'msg' }, origin: { S: 'us-east-1' } }))).toBe(false);
    expect(matchesFilter(pattern, insert({ kind: { S: 'msg' } }))).toBe(false);
    expect(matchesFilter(pattern, insert({ kind: { S: 'sub' }, origin: { S: 'eu-west-1' } }))).toBe(false);
    expect(matchesFilter(pattern, insert({ kind: { S: 'msg' }, origin: { S: 'eu-west-1' } }, 'MODIFY'))).toBe(false);
  });
});

describe('compileFilterCriteria', () => {
  it('passes a record when any filter matches; nothing to compile without filters', () => {
    const filter = compileFilterCriteria({ Filters: [{ Pattern: '{"eventName":["INSERT"]}' }, { Pattern: '{"eventName":["REMOVE"]}' }] });
    expect(filter?.({ eventName: 'REMOVE' })).toBe(true);
    expect(filter?.({ eventName: 'MODIFY' })).toBe(false);
    expect(compileFilterCriteria(undefined)).toBeUndefined();
    expect(compileFilterCriteria({ Filters: [] })).toBeUndefined();
  });

  it.each([
    ['not json', '{eventName'],
    ['not an object', '["INSERT"]'],
    ['a bare leaf', '{"eventName":"INSERT"}'],
    ['an unknown operator', '{"eventName":[{"wildcard":"IN*"}]}'],
    ['two operators in one rule', '{"eventName":[{"prefix":"I","suffix":"T"}]}'],
    ['a bad numeric rule', '{"n":[{"numeric":[">"]}]}'],
    ['a numeric rule with an unknown operator', '{"n":[{"numeric":["!=",1]}]}'],
    ['exists that is not a boolean', '{"n":[{"exists":"yes"}]}'],
  ])('rejects %s', (_what, Pattern) => {
    expect(() => compileFilterCriteria({ Filters: [{ Pattern }] })).toThrow(FilterPatternError);
  });
});

import { describe, expect, it } from 'vitest';
import { LIMITS, parseBatchBody, parsePublishBody, RoomcastError } from '@roomcast/core';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(RoomcastError);
    return (error as RoomcastError).code;
  }
}

const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });

describe('publish bodies', () => {
  it('accepts any JSON data and an optional id', () => {
    expect(parsePublishBody('scores:1', '{"data":{"home":1}}')).toEqual({ room: 'scores:1', data: { home: 1 } });
    expect(parsePublishBody('r', '{"data":null,"id":"abc-1"}')).toEqual({ room: 'r', data: null, id: 'abc-1' });
    expect(parsePublishBody('r', '{"data":"text"}').data).toBe('text');
    expect(parsePublishBody('r', JSON.stringify({ data: nested(LIMITS.dataDepth - 1) })).room).toBe('r');
  });

  it.each([
    ['r', 'not json', 'INVALID_JSON'],
    ['r', undefined, 'INVALID_JSON'],
    ['r', '{}', 'INVALID_MESSAGE'],
    ['r', '[]', 'INVALID_MESSAGE'],
    ['r', '{"data":1,"id":""}', 'INVALID_MESSAGE'],
    ['r', '{"data":1,"id":"has space"}', 'INVALID_MESSAGE'],
    ['r', '{"data":1,"id":7}', 'INVALID_MESSAGE'],
    ['r', '{"data":1,"extra":true}', 'INVALID_MESSAGE'],
    ['r', JSON.stringify({ data: nested(LIMITS.dataDepth + 1) }), 'INVALID_MESSAGE'],
    ['r', JSON.stringify({ data: 'x'.repeat(LIMITS.messageBytes) }), 'MESSAGE_TOO_LARGE'],
    ['bad#room', '{"data":1}', 'INVALID_ROOM'],
    ['', '{"data":1}', 'INVALID_ROOM'],
  ])('room %j body %j: %s', (room, body, code) => {
    expect(codeOf(() => parsePublishBody(room, body))).toBe(code);
  });

  it('takes a batch whole or not at all', () => {
    const ok = parseBatchBody(JSON.stringify({ messages: [{ room: 'a', data: 1 }, { room: 'b', data: 2, id: 'x' }] }));
    expect(ok).toHaveLength(2);
    const badSecond = JSON.stringify({ messages: [{ room: 'a', data: 1 }, { room: 'b#', data: 2 }] });
    expect(codeOf(() => parseBatchBody(badSecond))).toBe('INVALID_ROOM');
    try {
      parseBatchBody(badSecond);
    } catch (error) {
      expect((error as RoomcastError).message).toMatch(/^messages\.1: /);
      expect((error as RoomcastError).details).toMatchObject({ index: 1 });
    }
  });

  it('names the message of a batch that its shape refuses, as it names the others', () => {
    for (const second of [{ room: 'a' }, { room: 'a', data: 2, id: 7 }, { room: 'a', data: 2, extra: true }]) {
      const body = JSON.stringify({ messages: [{ room: 'a', data: 1 }, second] });
      expect(() => parseBatchBody(body), JSON.stringify(second)).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE', message: expect.stringMatching(/^messages\.1/), details: { index: 1 } }));
    }
  });

  it('de-duplicates a batch by id only: a message without an id never meets one whose id is its index', () => {
    const mixed = parseBatchBody(JSON.stringify({ messages: [{ room: 'a', data: 1 }, { room: 'a', data: 2, id: '0' }, { room: 'a', data: 3, id: '1' }] }));
    expect(mixed.map((request) => request.data)).toEqual([1, 2, 3]);
    const twice = JSON.stringify({ messages: [{ room: 'a', data: 1, id: 'x' }, { room: 'b', data: 2 }, { room: 'a', data: 3, id: 'x' }] });
    expect(() => parseBatchBody(twice)).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE', message: 'messages.2: the same id twice in one batch', details: { index: 2, id: 'x' } }));
  });

  it.each([
    [JSON.stringify({ messages: [] }), 'INVALID_MESSAGE'],
    [JSON.stringify({ messages: Array.from({ length: LIMITS.batchMessages + 1 }, () => ({ room: 'a', data: 1 })) }), 'BATCH_TOO_LARGE'],
    [JSON.stringify({ messages: [{ room: 'a', data: 1, id: 'x' }, { room: 'a', data: 2, id: 'x' }] }), 'INVALID_MESSAGE'],
    [JSON.stringify({ messages: [{ room: 'a' }] }), 'INVALID_MESSAGE'],
    ['{"messages":"no"}', 'INVALID_MESSAGE'],
  ])('refuses batch %s with %s', (body, code) => {
    expect(codeOf(() => parseBatchBody(body))).toBe(code);
  });

  it('keeps an error message short whatever the body holds (no echo of a 1 MB key)', () => {
    const body = JSON.stringify({ data: 1, [`k${'x'.repeat(1024 * 1024)}`]: 1 });
    expect(codeOf(() => parsePublishBody('r', body))).toBe('INVALID_MESSAGE');
    expect(() => parsePublishBody('r', body)).toThrow(expect.objectContaining({ message: expect.stringMatching(/^.{1,400}$/s) }));
  });
});

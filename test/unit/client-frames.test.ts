import { describe, expect, it } from 'vitest';
import { LIMITS, parseClientFrame, RoomcastError } from '@roomcast/core';

function codeOf(body: string): string | undefined {
  try {
    parseClientFrame(body);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(RoomcastError);
    return (error as RoomcastError).code;
  }
}

describe('client frames', () => {
  it('parses subscribe with snapshot, since and Pubby’s dump', () => {
    expect(parseClientFrame('{"action":"subscribe","rooms":["a","b","a"],"snapshot":20,"since":{"a":"0000000000000009.eu-west-1.0000000000000003,0000000000000007.us-east-1.0000000000000002"}}')).toEqual({
      action: 'subscribe',
      rooms: ['a', 'b'],
      snapshot: 20,
      since: { a: '0000000000000009.eu-west-1.0000000000000003,0000000000000007.us-east-1.0000000000000002' },
    });
    expect(parseClientFrame('{"action":"subscribe","rooms":["a"],"snapshot":true}')).toMatchObject({ snapshot: 'default' });
    expect(parseClientFrame('{"action":"subscribe","rooms":["a"],"dump":true}')).toMatchObject({ snapshot: 'default' });
    expect(parseClientFrame('{"action":"subscribe","rooms":["a"]}')).toMatchObject({ snapshot: 0, since: {} });
  });

  it('parses unsubscribe, occupancy and ping', () => {
    expect(parseClientFrame('{"action":"unsubscribe","rooms":["a"]}')).toEqual({ action: 'unsubscribe', rooms: ['a'] });
    expect(parseClientFrame('{"action":"occupancy","rooms":["a","b","a"]}')).toEqual({ action: 'occupancy', rooms: ['a', 'b'] });
    expect(parseClientFrame('{"action":"ping"}')).toEqual({ action: 'ping' });
  });

  it.each([
    ['not json', 'BAD_FRAME'],
    ['', 'BAD_FRAME'],
    ['[1,2]', 'BAD_FRAME'],
    ['"subscribe"', 'BAD_FRAME'],
    ['null', 'BAD_FRAME'],
    ['{"rooms":["a"]}', 'UNKNOWN_ACTION'],
    ['{"action":"publish","rooms":["a"]}', 'UNKNOWN_ACTION'],
    ['{"action":"__proto__"}', 'UNKNOWN_ACTION'],
    ['{"action":"toString"}', 'UNKNOWN_ACTION'],
    ['{"action":"subscribe"}', 'INVALID_FRAME'],
    ['{"action":"subscribe","rooms":"a"}', 'INVALID_FRAME'],
    ['{"action":"subscribe","rooms":[]}', 'INVALID_FRAME'],
    ['{"action":"subscribe","rooms":[1]}', 'INVALID_FRAME'],
    ['{"action":"subscribe","rooms":["a"],"snapshot":-1}', 'INVALID_FRAME'],
    ['{"action":"subscribe","rooms":["a"],"snapshot":"all"}', 'INVALID_FRAME'],
    ['{"action":"subscribe","rooms":["a"],"extra":1}', 'INVALID_FRAME'],
    ['{"action":"subscribe","rooms":["a"],"since":{"b":"0000000000000001.eu-west-1.0000000000000001"}}', 'INVALID_FRAME'],
    ['{"action":"subscribe","rooms":["a"],"since":{"a":"yesterday"}}', 'INVALID_POSITION'],
    ['{"action":"subscribe","rooms":["a"],"since":{"a":"0000000000000003"}}', 'INVALID_POSITION'],
    ['{"action":"subscribe","rooms":["a"],"since":{"a":"0000000000000001.eu-west-1.0000000000000001,"}}', 'INVALID_POSITION'],
    ['{"action":"subscribe","rooms":["a#1"]}', 'INVALID_ROOM'],
    ['{"action":"occupancy"}', 'INVALID_FRAME'],
    ['{"action":"occupancy","rooms":["a"],"snapshot":1}', 'INVALID_FRAME'],
    ['{"action":"occupancy","rooms":["a#1"]}', 'INVALID_ROOM'],
    ['{"action":"subscribe","rooms":["ok","../x"]}', 'INVALID_ROOM'],
    [JSON.stringify({ action: 'subscribe', rooms: ['x'.repeat(10_000)] }), 'INVALID_ROOM'],
    [JSON.stringify({ action: 'subscribe', rooms: Array.from({ length: LIMITS.roomsPerFrame + 1 }, (_, i) => `r${i}`) }), 'TOO_MANY_ROOMS'],
    [JSON.stringify({ action: 'ping', pad: 'x'.repeat(LIMITS.frameBytes) }), 'FRAME_TOO_LARGE'],
  ])('refuses %s with %s', (body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  it('reads no since for rooms named like members of Object (constructor, toString)', () => {
    const frame = parseClientFrame('{"action":"subscribe","rooms":["constructor","toString"]}');
    if (frame.action !== 'subscribe') throw new Error('not a subscribe');
    expect(frame.rooms.map((room) => frame.since[room])).toEqual([undefined, undefined]);
  });

  it('keeps an error message short whatever the frame holds (no echo of a 20 KB key)', () => {
    const body = JSON.stringify({ action: 'ping', [`k${'x'.repeat(20_000)}`]: 1 });
    expect(codeOf(body)).toBe('INVALID_FRAME');
    expect(() => parseClientFrame(body)).toThrow(expect.objectContaining({ message: expect.stringMatching(/^.{1,400}$/s) }));
  });
});

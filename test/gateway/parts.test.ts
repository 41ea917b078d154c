import { describe, expect, it } from 'vitest';
import { FrameMeter, type FrameViolation } from '../../local/gateway/frames.js';
import { requestTime } from '../../local/gateway/ids.js';
import { RateWindow, TokenBucket } from '../../local/gateway/limits.js';
import { evaluatePolicy } from '../../local/gateway/policy.js';
import { selectRouteKey } from '../../local/gateway/route-selection.js';

/** A masked client frame (RFC 6455 5.2) with a payload of `length` bytes. */
function frame(length: number, options: { fin?: boolean; opcode?: number } = {}): Buffer {
  const first = ((options.fin ?? true) ? 0x80 : 0) | (options.opcode ?? 0x1);
  const header = length < 126 ? Buffer.from([first, 0x80 | length]) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65536) {
    header[0] = first;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65536) {
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, Buffer.alloc(4), Buffer.alloc(length)]);
}

function meter(bytes: Buffer, chunk: number, limits = { frameBytes: 200, messageBytes: 500 }): FrameViolation[] {
  const seen: FrameViolation[] = [];
  const m = new FrameMeter(limits, (violation) => seen.push(violation));
  for (let at = 0; at < bytes.length; at += chunk) m.push(bytes.subarray(at, at + chunk));
  return seen;
}

describe('FrameMeter', () => {
  it('measures frames however the bytes are split', () => {
    const ok = Buffer.concat([frame(200), frame(150, { fin: false }), frame(9, { opcode: 0x9 }), frame(150, { opcode: 0 }), frame(0)]);
    for (const chunk of [1, 3, 7, 1000]) expect(meter(ok, chunk)).toEqual([]);
    for (const chunk of [1, 5, 1000]) expect(meter(Buffer.concat([frame(10), frame(201)]), chunk)).toEqual(['frame']);
    const long = Buffer.concat([frame(200, { fin: false }), frame(200, { fin: false, opcode: 0 }), frame(101, { opcode: 0 })]);
    expect(meter(long, 64)).toEqual(['message']);
  });

  it('reads 16- and 64-bit lengths', () => {
    expect(meter(frame(70_000), 4096, { frameBytes: 32_768, messageBytes: 131_072 })).toEqual(['frame']);
    expect(meter(frame(30_000), 4096, { frameBytes: 32_768, messageBytes: 131_072 })).toEqual([]);
  });
});

describe('route selection', () => {
  it('evaluates body paths and templates', () => {
    expect(selectRouteKey('$request.body.action', '{"action":"subscribe"}')).toBe('subscribe');
    expect(selectRouteKey('$request.body.a.b', '{"a":{"b":true}}')).toBe('true');
    expect(selectRouteKey('$request.body.action', '{"action":null}')).toBeUndefined();
    expect(selectRouteKey('$request.body.action', 'nope')).toBeUndefined();
    expect(selectRouteKey('${request.body.type}-${request.body.op}', '{"type":"room","op":"join"}')).toBe('room-join');
    expect(selectRouteKey('${request.body.type}-${request.body.op}', '{"type":"room"}')).toBeUndefined();
  });
});

describe('policy', () => {
  const arn = 'arn:aws:execute-api:eu-west-1:000000000000:abc/test/$connect';
  const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
  it('allows, denies, and refuses nonsense', () => {
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }), arn)).toBe('Allow');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: ['s3:*', 'execute-api:*'], Resource: ['arn:aws:execute-api:eu-west-1:*:abc/*/$connect'] }), arn)).toBe('Allow');
    expect(evaluatePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, arn)).toBe('Allow');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${arn}x` }), arn)).toBe('Deny');
    expect(evaluatePolicy(doc(), arn)).toBe('Deny');
    expect(evaluatePolicy(undefined, arn)).toBe('Invalid');
    expect(evaluatePolicy({ Statement: 'x' }, arn)).toBe('Invalid');
  });
});

describe('rates and times', () => {
  it('refills the token bucket over time', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(bucket.take()).toBe(false);
    now = 500;
    expect(bucket.take()).toBe(true);
    now = 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('counts connections per wall-clock second', () => {
    let now = 1_000;
    const window = new RateWindow(2, () => now);
    expect([window.take(), window.take(), window.take()]).toEqual([true, true, false]);
    now = 2_000;
    expect(window.take()).toBe(true);
  });

  it('formats requestTime as API Gateway does', () => {
    expect(requestTime(Date.UTC(2021, 1, 9, 20, 53, 5))).toBe('09/Feb/2021:20:53:05 +0000');
  });
});

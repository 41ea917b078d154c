import { describe, expect, it } from 'vitest';
import { snapshotFrames } from '../../layers/core/src/protocol/server-frames.js';

const message = (n: number, size = 10) => ({ room: 'r', id: `m${n}`, pos: String(n).padStart(16, '0'), ts: n, origin: 'eu-west-1', data: 'x'.repeat(size) });

describe('snapshot frames', () => {
  it('sends one frame for a small snapshot, with complete', () => {
    const frames = snapshotFrames('r', [message(1), message(2)], true, 128 * 1024);
    expect(frames).toHaveLength(1);
    const frame = JSON.parse(frames[0]!);
    expect(frame).toEqual({ type: 'snapshot', room: 'r', complete: true, messages: [message(1), message(2)].map(({ id, pos, ts, data }) => ({ id, pos, ts, data })) });
  });

  it('splits a large snapshot into frames under the limit, in order, complete only on the last', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(i + 1, 30_000));
    const frames = snapshotFrames('r', messages, false, 128 * 1024);
    expect(frames.length).toBeGreaterThan(2);
    for (const frame of frames) expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(128 * 1024);
    const parsed = frames.map((frame) => JSON.parse(frame));
    expect(parsed.flatMap((frame) => frame.messages.map((item: { id: string }) => item.id))).toEqual(messages.map((item) => item.id));
    expect(parsed.slice(0, -1).every((frame) => frame.more === true && !('complete' in frame))).toBe(true);
    expect(parsed.at(-1)).toMatchObject({ complete: false });
  });

  it('sends an empty snapshot as one frame', () => {
    expect(JSON.parse(snapshotFrames('r', [], true, 1000)[0]!)).toEqual({ type: 'snapshot', room: 'r', messages: [], complete: true });
  });
});

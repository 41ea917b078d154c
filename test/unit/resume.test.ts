import { describe, expect, it } from 'vitest';
import { decodePosition } from '@roomcast/core';
import { afterEntry, headsOf, mergeResumed, windowCovers } from '../../layers/core/src/model/resume.js';
import { positionOf } from '../support/positions.js';

const EU = 'eu-west-1';
const US = 'us-east-1';
const message = (origin: string, seq: number, clock: number) => ({ room: 'r', id: `${origin}/${seq}`, pos: positionOf(seq, origin, clock), ts: clock, origin, data: null });
const entry = (origin: string, seq: number) => decodePosition(positionOf(seq, origin, 1));
const ids = (list: readonly { id: string }[]) => list.map((item) => item.id);

describe('resuming after a cursor', () => {
  const window = [message(EU, 4, 40), message(US, 2, 45), message(EU, 5, 50), message(US, 3, 55)];

  it('a window covers an origin whose next message it holds, or any origin when it is the whole history', () => {
    expect(windowCovers(window, false, entry(EU, 3))).toBe(true);
    expect(windowCovers(window, false, entry(EU, 2))).toBe(false);
    expect(windowCovers(window, false, entry(US, 9))).toBe(true);
    expect(windowCovers(window, false, entry('ap-south-1', 1))).toBe(false);
    expect(windowCovers(window, true, entry('ap-south-1', 1))).toBe(true);
    expect(ids(afterEntry(window, entry(EU, 4)))).toEqual([`${EU}/5`]);
  });

  it('merges origins in position order and is complete when each starts right after its entry', () => {
    const cursor = [entry(EU, 3), entry(US, 1)];
    const merged = mergeResumed(cursor, [afterEntry(window, cursor[0]!), afterEntry(window, cursor[1]!)], 10);
    expect(ids(merged.messages)).toEqual([`${EU}/4`, `${US}/2`, `${EU}/5`, `${US}/3`]);
    expect(merged.complete).toBe(true);
  });

  it('is incomplete when an origin skips ahead, or when the limit cuts it', () => {
    const skipped = mergeResumed([entry(EU, 1)], [afterEntry(window, entry(EU, 1))], 10);
    expect(skipped.complete).toBe(false);
    const cursor = [entry(EU, 3), entry(US, 1)];
    const cut = mergeResumed(cursor, [afterEntry(window, cursor[0]!), afterEntry(window, cursor[1]!)], 3);
    expect(ids(cut.messages)).toEqual([`${EU}/4`, `${US}/2`, `${EU}/5`]);
    expect(cut.complete).toBe(false);
  });

  it('names the latest position of every origin, the window’s and older ones', () => {
    expect(headsOf(window, [message('ap-south-1', 7, 10), undefined])).toBe([positionOf(7, 'ap-south-1', 10), positionOf(5, EU, 50), positionOf(3, US, 55)].join(','));
    expect(headsOf([], [undefined])).toBeUndefined();
  });
});

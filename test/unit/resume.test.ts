import { describe, expect, it } from 'vitest';
import { decodePosition } from '@roomcast/core';
import { afterEntry, headsOf, mergeResumed, nextCursor, windowCovers } from '../../layers/core/src/model/resume.js';
import { MESSAGE_ITEM_UNITS, ReadAllowance } from '../../layers/core/src/model/read-budget.js';
import { positionOf } from '../support/positions.js';

const EU = 'eu-west-1';
const US = 'us-east-1';
const message = (origin: string, seq: number, clock: number) => ({ room: 'r', id: `${origin}/${seq}`, pos: positionOf(seq, origin, clock), ts: clock, origin, data: null });
const entry = (origin: string, seq: number) => decodePosition(positionOf(seq, origin, 1));
const done = (messages: ReturnType<typeof afterEntry>) => ({ messages, more: false });
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
    const merged = mergeResumed(cursor, [done(afterEntry(window, cursor[0]!)), done(afterEntry(window, cursor[1]!))], 10);
    expect(ids(merged.messages)).toEqual([`${EU}/4`, `${US}/2`, `${EU}/5`, `${US}/3`]);
    expect(merged.complete).toBe(true);
  });

  it('is incomplete when an origin skips ahead, or when the limit cuts it', () => {
    const skipped = mergeResumed([entry(EU, 1)], [done(afterEntry(window, entry(EU, 1)))], 10);
    expect(skipped.complete).toBe(false);
    const cursor = [entry(EU, 3), entry(US, 1)];
    const cut = mergeResumed(cursor, [done(afterEntry(window, cursor[0]!)), done(afterEntry(window, cursor[1]!))], 3);
    expect(ids(cut.messages)).toEqual([`${EU}/4`, `${US}/2`, `${EU}/5`]);
    expect(cut.complete).toBe(false);
    expect(cut.more).toBe(true);
  });

  it('is incomplete, with more to read, when an origin’s read was cut short; the next cursor continues each origin', () => {
    const cursor = [entry(EU, 3), entry(US, 1), entry('ap-south-1', 0)];
    const cut = mergeResumed(cursor, [{ messages: [message(EU, 4, 40)], more: true }, done(afterEntry(window, cursor[1]!)), { messages: [], more: true }], 10);
    expect(cut).toMatchObject({ complete: false, more: true });
    expect(ids(cut.messages)).toEqual([`${EU}/4`, `${US}/2`, `${US}/3`]);
    // Each origin after what was read of it; an entry at seq 0 (before an origin's first message) is left out.
    expect(nextCursor(cursor, cut.messages)).toBe([positionOf(4, EU, 40), positionOf(3, US, 55)].join(','));
    expect(nextCursor([entry('ap-south-1', 0)], [])).toBeUndefined();
  });

  it('a read allowance asks for no more messages than what is left can pay for, whatever their size', () => {
    const allowance = new ReadAllowance(3 * MESSAGE_ITEM_UNITS + 5);
    expect(allowance.pageSize(100)).toBe(3);
    expect(allowance.pageSize(2)).toBe(2);
    allowance.spend(MESSAGE_ITEM_UNITS + 6);
    expect(allowance.pageSize(100)).toBe(1);
    allowance.spend(MESSAGE_ITEM_UNITS);
    expect(allowance.pageSize(100)).toBe(0);
    expect(allowance.spent).toBe(2 * MESSAGE_ITEM_UNITS + 6);
  });

  it('names the latest position of every origin, the window’s and older ones', () => {
    expect(headsOf(window, [message('ap-south-1', 7, 10), undefined])).toBe([positionOf(7, 'ap-south-1', 10), positionOf(5, EU, 50), positionOf(3, US, 55)].join(','));
    expect(headsOf([], [undefined])).toBeUndefined();
  });
});

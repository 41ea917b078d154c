import { describe, expect, it } from 'vitest';
import { canTakeOver, nextStep, staleBefore, type PublishRecord } from '../../layers/core/src/model/publish-ledger.js';

const record = (state: PublishRecord['state'], claimedAt: number, pos?: string): PublishRecord => ({ state, token: 't', claimedAt, ...(pos ? { pos, ts: 5 } : {}) });
const originOf = (pos: string): string => pos.split('@')[1]!;
const FP = 'fingerprint-of-the-request';
const other = (base: PublishRecord): PublishRecord => ({ ...base, fingerprint: 'another-room-or-data' });

describe('the publish ledger', () => {
  it('lets a claim take over no record, or a stale one not yet planned', () => {
    expect(canTakeOver(undefined, 100, FP)).toBe(true);
    expect(canTakeOver(record('claimed', 99), 100, FP)).toBe(true);
    expect(canTakeOver(record('positioned', 99, 'p@eu'), 100, FP)).toBe(true);
    expect(canTakeOver(record('claimed', 100), 100, FP)).toBe(false);
    expect(canTakeOver(record('positioned', 150, 'p@eu'), 100, FP)).toBe(false);
    expect(canTakeOver(record('planned', 0, 'p@eu'), 100, FP)).toBe(false);
    expect(staleBefore(31_000, 30_000)).toBe(1000);
  });

  it('answers a finished publish, and says in progress for one under way or one that left no position', () => {
    expect(nextStep({ won: false, record: record('planned', 1, 'p@eu') }, 'eu', originOf, FP)).toEqual({ kind: 'answer', pos: 'p@eu' });
    expect(nextStep({ won: false, record: record('positioned', 1, 'p@eu') }, 'eu', originOf, FP)).toEqual({ kind: 'in-progress' });
    expect(nextStep({ won: false, record: record('claimed', 1) }, 'eu', originOf, FP)).toEqual({ kind: 'in-progress' });
    expect(nextStep({ won: false, record: undefined }, 'eu', originOf, FP)).toEqual({ kind: 'in-progress' });
  });

  it("finishes a taken-over publish at this region's position, or at a new one", () => {
    expect(nextStep({ won: true, record: record('positioned', 1, 'p@eu') }, 'eu', originOf, FP)).toEqual({ kind: 'store-again', pos: 'p@eu', ts: 5 });
    expect(nextStep({ won: true, record: record('positioned', 1, 'p@us') }, 'eu', originOf, FP)).toEqual({ kind: 'store-new' });
    expect(nextStep({ won: true, record: record('claimed', 1) }, 'eu', originOf, FP)).toEqual({ kind: 'store-new' });
  });

  it('refuses an id whose record stands for another room or other data, whatever its state', () => {
    for (const state of ['claimed', 'positioned', 'planned'] as const) {
      const theirs = other(record(state, 1, state === 'claimed' ? undefined : 'p@eu'));
      expect(canTakeOver(theirs, 100, FP), state).toBe(false);
      expect(nextStep({ won: false, record: theirs }, 'eu', originOf, FP), state).toEqual({ kind: 'reused' });
    }
    const same = { ...record('planned', 1, 'p@eu'), fingerprint: FP };
    expect(nextStep({ won: false, record: same }, 'eu', originOf, FP)).toEqual({ kind: 'answer', pos: 'p@eu' });
    expect(canTakeOver({ ...record('claimed', 99), fingerprint: FP }, 100, FP)).toBe(true);
  });
});

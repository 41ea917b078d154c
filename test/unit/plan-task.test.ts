import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTask, encodeTask, isConflated, isSuperseded, RoomcastError, segmentOf, splitRange, type PlanTask } from '@roomcast/core';

const task: PlanTask = { v: 1, room: 'match:final', id: 'goal-1', pos: '0001.eu-west-1.0001', ts: 1, frame: '{"type":"message"}', base: 4, generation: 4, from: 0, to: 1364 };

describe('plan tasks', () => {
  it('split a range into at most `fanout` contiguous parts that cover it exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 100 }), (from, span, segment, fanout) => {
        const ranges = splitRange(from, from + span, segment, fanout);
        expect(ranges.length).toBeLessThanOrEqual(Math.max(1, fanout));
        expect(ranges[0]![0]).toBe(from);
        expect(ranges.at(-1)![1]).toBe(from + span);
        for (let index = 1; index < ranges.length; index += 1) expect(ranges[index]![0]).toBe(ranges[index - 1]![1]);
        for (const [start, end] of ranges) expect(end).toBeGreaterThan(start);
        if (span <= segment) expect(ranges).toEqual([[from, from + span]]);
      }),
      { numRuns: 1000 },
    );
  });

  it('reach segments of a room of 1,000,000 in two hops after the publish', () => {
    const hop1 = splitRange(0, 1364, 4, 10);
    expect(hop1).toHaveLength(10);
    const hop2 = hop1.flatMap(([from, to]) => splitRange(from, to, 4, 50));
    expect(hop2.every(([from, to]) => to - from <= 4)).toBe(true);
    expect(hop2.length).toBeGreaterThanOrEqual(341);
    expect(hop2.length).toBeLessThanOrEqual(350);
  });

  it('round-trip through an SQS body, and refuse anything else with a typed error', () => {
    expect(decodeTask(encodeTask(task))).toEqual(task);
    expect(decodeTask(encodeTask({ ...task, conflate: true }))).toEqual({ ...task, conflate: true });
    for (const body of ['nope', '{}', JSON.stringify({ ...task, to: 0 }), JSON.stringify({ ...task, base: 0 }), JSON.stringify({ ...task, from: -1 }), JSON.stringify({ ...task, conflate: 'yes' })]) {
      expect(() => decodeTask(body)).toThrow(RoomcastError);
    }
  });

  it('name a segment the same for every message while the room keeps its shape', () => {
    expect(segmentOf(task)).toBe('4:0-1364');
    expect(segmentOf({ ...task, generation: 3 })).not.toBe(segmentOf(task));
  });
});

describe('conflation', () => {
  it('matches rooms by pattern', () => {
    expect(isConflated(['scores:*', 'prices:eur'], 'scores:1')).toBe(true);
    expect(isConflated(['scores:*', 'prices:eur'], 'prices:usd')).toBe(false);
    expect(isConflated([], 'scores:1')).toBe(false);
  });

  it('supersedes a job only by a later planned position', () => {
    expect(isSuperseded('0002.a.0002', undefined)).toBe(false);
    expect(isSuperseded('0002.a.0002', '0002.a.0002')).toBe(false);
    expect(isSuperseded('0002.a.0002', '0001.a.0001')).toBe(false);
    expect(isSuperseded('0002.a.0002', '0003.a.0003')).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generationPartitions, lastGeneration, layoutOf, partitionCount, partitionOf, partitionsOf } from '@roomcast/core';
import { grownGeneration } from '../../layers/core/src/model/room-partitions.js';

const ids = (count: number, prefix = 'c') => Array.from({ length: count }, (_, index) => `${prefix}${index.toString(36)}=`);

describe('room partitions', () => {
  it('grows each generation 4x, up to 1,024 partitions', () => {
    expect([0, 1, 2, 3, 4, 5].map((generation) => generationPartitions(4, generation))).toEqual([4, 16, 64, 256, 1024, 1024]);
    expect(lastGeneration(4)).toBe(4);
    expect(lastGeneration(1)).toBe(5);
    expect(lastGeneration(64)).toBe(2);
    expect(partitionCount({ base: 4, generation: 4 })).toBe(1364);
    expect(partitionsOf({ base: 4, generation: 1 })).toHaveLength(20);
  });

  it('keeps a small room in the first generation: a handful of partitions per publish', () => {
    const layout = layoutOf(ids(5), 4, 1000);
    expect(layout.shape.generation).toBe(0);
    expect(partitionCount(layout.shape)).toBe(4);
  });

  it('spreads a room of 1,000,000 over at least 64 partitions, none far over the row limit', () => {
    const layout = layoutOf(ids(1_000_000), 4, 1000);
    expect(layout.shape.generation).toBe(4);
    expect(partitionCount(layout.shape)).toBeGreaterThanOrEqual(64);
    const largest = Math.max(...layout.rows.values());
    // A generation fills to the limit before the next opens; the last one takes the rest evenly.
    expect(largest).toBeLessThanOrEqual(1000);
    expect([...layout.rows.values()].reduce((a, b) => a + b, 0)).toBe(1_000_000);
  });

  it('opens the next generation only from a row in the newest one that reaches the limit', () => {
    const shape = { base: 4, generation: 1 };
    expect(grownGeneration(shape, { generation: 1, index: 3 }, 999, 1000)).toBeUndefined();
    expect(grownGeneration(shape, { generation: 1, index: 3 }, 1000, 1000)).toBe(2);
    expect(grownGeneration(shape, { generation: 0, index: 3 }, 5000, 1000)).toBeUndefined();
    expect(grownGeneration({ base: 4, generation: 4 }, { generation: 4, index: 0 }, 5000, 1000)).toBeUndefined();
  });

  it('places every connection in a partition its reader reads, whatever generation it joined in', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 5 }), (id, base, generation) => {
        const joined = Math.min(generation, lastGeneration(base));
        const partition = partitionOf(id, base, joined);
        const read = partitionsOf({ base, generation: lastGeneration(base) });
        expect(read.some((item) => item.generation === partition.generation && item.index === partition.index)).toBe(true);
        expect(partitionOf(id, base, joined)).toEqual(partition);
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pack } from '../../layers/core/src/model/pack.js';

describe('pack', () => {
  it('keeps the items in order, each group within its count and bytes unless one item alone is larger', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 })), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 10 }), (sizes, maxBytes, maxCount, baseBytes) => {
        const groups = pack(sizes, { maxBytes, maxCount, baseBytes }, (size) => size);
        expect(groups.flat()).toEqual(sizes);
        for (const group of groups) {
          expect(group.length).toBeGreaterThan(0);
          expect(group.length).toBeLessThanOrEqual(maxCount);
          if (group.length > 1) expect(baseBytes + group.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(maxBytes);
        }
        // Greedy: a group was closed only because the next item would not fit it.
        for (let i = 0; i + 1 < groups.length; i += 1) {
          const [group, next] = [groups[i]!, groups[i + 1]!];
          const full = group.length >= maxCount || baseBytes + group.reduce((sum, size) => sum + size, 0) + next[0]! > maxBytes;
          expect(full).toBe(true);
        }
      }),
    );
  });

  it('makes no group of nothing', () => {
    expect(pack([], { maxBytes: 10 }, () => 1)).toEqual([]);
  });
});

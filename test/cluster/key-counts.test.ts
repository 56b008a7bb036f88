import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addKeyCount, forEachKeyCount, keyCount, keyCountSize, type KeyCounts } from '../../src/cluster/key-counts.js';

describe('KeyCounts behave as a Map of positive counts, order included', () => {
  it('after any sequence of adds, as an array and once grown into a Map', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -40, max: 40 }), fc.constantFrom(1, 1, 2, -1, -1, -3)), { maxLength: 400 }), (ops) => {
        let counts: KeyCounts = [];
        const model = new Map<number, number>();
        for (const [key, delta] of ops) {
          counts = addKeyCount(counts, key, delta);
          const next = (model.get(key) ?? 0) + delta;
          if (next > 0) model.set(key, next);
          else model.delete(key);
        }
        expect(keyCountSize(counts)).toBe(model.size);
        const seen: [number, number][] = [];
        forEachKeyCount(counts, (key, n) => seen.push([key, n]));
        expect(seen).toEqual([...model]);
        for (let key = -41; key <= 41; key++) expect(keyCount(counts, key)).toBe(model.get(key) ?? 0);
      }),
      { numRuns: 300 },
    );
  });
});

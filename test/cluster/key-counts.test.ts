import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addKeyCount, countUp, forEachKeyCount, keyCount, keyCountSize, type KeyCounts } from '../../src/cluster/key-counts.js';

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

  it('countUp gives what addKeyCount one key at a time gives, and names the new keys', () => {
    const keyList = fc.oneof(fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { maxLength: 30 }), fc.array(fc.integer({ min: -8, max: 8 }), { maxLength: 30 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), keyList), { maxLength: 12 }), (ops) => {
        let counts: KeyCounts = [];
        let model: KeyCounts = [];
        for (const [down, keys] of ops) {
          if (down) {
            // Counted down one key at a time, both.
            for (const key of keys) {
              counts = addKeyCount(counts, key, -1);
              model = addKeyCount(model, key, -1);
            }
            continue;
          }
          const newKeys: number[] = [];
          for (const key of keys) {
            if (keyCount(model, key) === 0) newKeys.push(key);
            model = addKeyCount(model, key, 1);
          }
          const added: number[] = [];
          const padded = Int32Array.from([7, ...keys, 7]);
          counts = countUp(counts, padded, 1, padded.length - 1, (key) => added.push(key));
          expect(added).toEqual(newKeys);
          expect(Array.isArray(counts)).toBe(Array.isArray(model));
          const seen: [number, number][] = [];
          const expected: [number, number][] = [];
          forEachKeyCount(counts, (key, n) => seen.push([key, n]));
          forEachKeyCount(model, (key, n) => expected.push([key, n]));
          expect(seen).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});

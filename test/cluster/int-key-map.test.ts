import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntCounts, IntKeyMap } from '../../src/cluster/int-key-map.js';

// Keys crowd into few slots (multiples of 1024 share a home slot at the smallest capacity), so probing, wrap-around,
// deletion's back-shifting and growth are all exercised.
const key = fc.oneof(fc.integer({ min: -3, max: 3 }).map((k) => k * 1024), fc.integer({ min: 1020, max: 1030 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
const op = fc.tuple(fc.constantFrom('set', 'delete', 'get'), key, fc.integer({ min: 1, max: 5 }));

describe('IntKeyMap behaves as a Map', () => {
  it('after any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const table = new IntKeyMap<{ v: number }>();
        const model = new Map<number, { v: number }>();
        for (const [kind, k, v] of ops) {
          if (kind === 'set') {
            const value = { v };
            table.set(k, value);
            model.set(k, value);
          } else if (kind === 'delete') expect(table.delete(k)).toBe(model.delete(k));
          else expect(table.get(k)).toBe(model.get(k));
        }
        expect(table.size).toBe(model.size);
        for (const [k, value] of model) expect(table.get(k)).toBe(value);
      }),
      { numRuns: 200 },
    );
  });
});

describe('IntCounts behaves as a map of positive counts', () => {
  it('after any sequence of increments and decrements', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.constantFrom(1, 1, 2, -1, -1, -3)), { maxLength: 3000 }), (ops) => {
        const table = new IntCounts();
        const model = new Map<number, number>();
        for (const [k, delta] of ops) {
          const next = Math.max(0, (model.get(k) ?? 0) + delta);
          if (next > 0) model.set(k, next);
          else model.delete(k);
          expect(table.add(k, delta)).toBe(next);
        }
        expect(table.size).toBe(model.size);
        for (const [k, n] of model) expect(table.get(k)).toBe(n);
        expect(table.get(123456789)).toBe(model.get(123456789) ?? 0);
      }),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactCounts, IntCounts, IntKeyMap } from '../../src/cluster/int-key-map.js';

// Keys crowd into few slots (multiples of 1024 share a home slot at the smallest capacity), so probing, wrap-around,
// deletion's back-shifting and growth are all exercised.
const key = fc.oneof(fc.integer({ min: -3, max: 3 }).map((k) => k * 1024), fc.integer({ min: 1020, max: 1030 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
const op = fc.tuple(fc.constantFrom('set', 'delete', 'get'), key, fc.integer({ min: -5, max: 5 }).filter((v) => v !== 0));

describe('IntKeyMap behaves as a Map of non-zero values', () => {
  it('after any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const table = new IntKeyMap();
        const model = new Map<number, number>();
        for (const [kind, k, v] of ops) {
          if (kind === 'set') {
            table.set(k, v);
            model.set(k, v);
          } else if (kind === 'delete') expect(table.delete(k)).toBe(model.delete(k));
          else expect(table.get(k)).toBe(model.get(k) ?? 0);
        }
        expect(table.size).toBe(model.size);
        for (const [k, value] of model) expect(table.get(k)).toBe(value);
      }),
      { numRuns: 200 },
    );
  });
});

/** Checks a table of counts against a Map after each of a sequence of increments and decrements. */
function behavesAsCounts(
  make: () => { add(key: number, delta: number): number; get(key: number): number; size: number; forEach?(visit: (key: number, count: number) => void): void },
  keys: fc.Arbitrary<number>,
  deltas: fc.Arbitrary<number>,
): void {
  fc.assert(
    fc.property(fc.array(fc.tuple(keys, deltas), { maxLength: 3000 }), (ops) => {
      const table = make();
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
      // A table that lists its entries gives back each key from its slot (its home and low bits, wrapped round the
      // table's end for the keys homed last) with its count.
      if (table.forEach !== undefined) {
        const listed = new Map<number, number>();
        table.forEach((k, n) => listed.set(k, n));
        expect(listed).toEqual(model);
      }
    }),
    { numRuns: 200 },
  );
}

describe('IntCounts behaves as a map of positive counts', () => {
  it('after any sequence of increments and decrements', () => {
    behavesAsCounts(() => new IntCounts(), key, fc.constantFrom(1, 1, 2, -1, -1, -3));
  });
});

describe('CompactCounts behaves as a map of positive counts', () => {
  // Homes come from the top bits here: keys that differ only in their low bits share a home (long runs, wrap-around
  // at the last home, spills past the longest distance a slot records), and counts grow past their bits.
  const crowded = fc.oneof(
    fc.integer({ min: 0, max: 400 }),
    fc.integer({ min: -400, max: -1 }),
    fc.integer({ min: -8, max: 8 }).map((k) => k * 2 ** 20),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  );

  it('after any sequence of increments and decrements, with crowded keys and large counts', () => {
    behavesAsCounts(() => new CompactCounts(), crowded, fc.constantFrom(1, 1, 2, -1, -1, -3, 40, -40));
  });

  it('keeps every count through growth to a few hundred thousand keys', () => {
    const table = new CompactCounts();
    const model = new Map<number, number>();
    let x = 1;
    for (let i = 0; i < 300_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      const k = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) | 0;
      const delta = i % 7 === 0 ? -1 : 1;
      const next = Math.max(0, (model.get(k) ?? 0) + delta);
      if (next > 0) model.set(k, next);
      else model.delete(k);
      table.add(k, delta);
    }
    expect(table.size).toBe(model.size);
    for (const [k, n] of model) if (table.get(k) !== n) expect(table.get(k)).toBe(n);
  });
});

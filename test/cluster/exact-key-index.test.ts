import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactKeyIndex } from '../../src/cluster/exact-key-index.js';
import { fnv1a } from '../../src/cluster/hash.js';

// Two pairs of keys whose 32-bit hashes collide, so the collided keys' path is exercised, and keys that do not.
const COLLIDING = [
  ['https://example.test/item/112789', 'https://example.test/item/349192'],
  ['https://example.test/item/112788', 'https://example.test/item/349193'],
] as const;
const KEYS = [...COLLIDING.flat(), 'https://example.test/a', 'https://example.test/b', 'guid-1'];

// Members arrive (taking the lowest free slot, as the window reuses slots) with a key and leave; every step the index
// must answer each key as a Map<string, slot> of newest holders would.
const step = fc.oneof(
  fc.record({ arrive: fc.constantFrom(...KEYS) }),
  fc.record({ leave: fc.nat({ max: 7 }) }),
);

describe('ExactKeyIndex answers as a Map of keys to their newest holder', () => {
  it('uses keys whose hashes collide', () => {
    for (const [a, b] of COLLIDING) {
      expect(a).not.toBe(b);
      expect(fnv1a(a) | 0).toBe(fnv1a(b) | 0);
    }
  });

  it('lets a collided key go with its newest holder, not an older one', () => {
    const [k1, k2] = COLLIDING[0];
    const keyOf: (string | undefined)[] = [k1, k2];
    const index = new ExactKeyIndex((slot) => keyOf[slot]);
    index.set(k1, 0);
    index.set(k2, 1);
    expect([index.get(k1), index.get(k2)]).toEqual([0, 1]);
    index.release(k1, 0);
    keyOf[0] = k2;
    index.set(k2, 0);
    index.release(k2, 0);
    keyOf[0] = undefined;
    // The newest holder left: the key is gone, though its older holder (slot 1) is still a member.
    expect([index.get(k1), index.get(k2)]).toEqual([undefined, undefined]);
  });

  it('after any sequence of arrivals and departures', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const keyOf: (string | undefined)[] = [];
        const index = new ExactKeyIndex((slot) => keyOf[slot]);
        const model = new Map<string, number>();
        for (const s of steps) {
          if ('arrive' in s) {
            let slot = keyOf.indexOf(undefined);
            if (slot < 0) slot = keyOf.length;
            keyOf[slot] = s.arrive;
            index.set(s.arrive, slot);
            model.set(s.arrive, slot);
          } else {
            const live = keyOf.flatMap((k, slot) => (k === undefined ? [] : [slot]));
            if (live.length === 0) continue;
            const slot = live[s.leave % live.length] as number;
            const key = keyOf[slot] as string;
            index.release(key, slot);
            if (model.get(key) === slot) model.delete(key);
            keyOf[slot] = undefined;
          }
          for (const key of KEYS) expect(index.get(key)).toBe(model.get(key));
        }
      }),
      { numRuns: 500 },
    );
  });
});

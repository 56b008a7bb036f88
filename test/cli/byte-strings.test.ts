import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteStrings, StringNumbers } from '../../src/cli/byte-strings.js';

describe('strings kept outside the heap', () => {
  it('gives back every string added, through buffer growth, whatever its characters', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 400 }), (strings) => {
        const kept = new ByteStrings();
        const numbers = strings.map((s) => kept.add(s));
        expect(numbers).toEqual(strings.map((_, i) => i));
        expect(numbers.map((i) => kept.get(i))).toEqual(strings);
      }),
    );
    const kept = new ByteStrings();
    expect(kept.get(kept.add('lone \ud800 surrogate'))).toBe('lone \ud800 surrogate');
  });

  it('numbers distinct strings in order of first sight, the same string always the same number', () => {
    const rand = fc.sample(fc.string({ unit: 'binary', maxLength: 3 }), { numRuns: 20_000, seed: 12 });
    const numbers = new StringNumbers();
    const expected = new Map<string, number>();
    for (const s of rand) {
      if (!expected.has(s)) expected.set(s, expected.size);
      expect(numbers.numberOf(s)).toBe(expected.get(s));
    }
    for (const [s, i] of expected) expect(numbers.get(i)).toBe(s);
    expect(expected.size).toBeGreaterThan(5_000);
  });
});

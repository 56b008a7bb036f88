import fc from 'fast-check';
import stringSimilarity from 'string-similarity';
import { describe, expect, it } from 'vitest';
import { titleBigrams, titleDice } from '../../src/cluster/title-bigrams.js';

const dice = (a: string, b: string): number => titleDice(titleBigrams(a), titleBigrams(b));

describe('title Dice prepared once per article', () => {
  it('equals string-similarity compareTwoStrings on real headline pairs', () => {
    const pairs: [string, string][] = [
      ['ECB unlikely to end sterilisation of SMP purchases - traders', 'ECB unlikely to end sterilization of SMP purchases: traders'],
      ['Kim Basinger reflects on current relationship with ex-husband Alec Baldwin', 'Kim Basinger makes rare comment about ex-husband Alec Baldwin'],
      ['aaaa', 'aa'],
      ['a', 'a'],
      ['', ''],
      ['a', 'b'],
      ['Notenbank erhöht Leitzins auf 4,5 %', 'Central bank raises rates to 4.5%'],
    ];
    for (const [a, b] of pairs) expect(dice(a, b)).toBeCloseTo(stringSimilarity.compareTwoStrings(a, b), 12);
  });

  it('equals string-similarity compareTwoStrings on arbitrary strings', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', '4', '\t'), maxLength: 24 });
    fc.assert(
      fc.property(text, text, (a, b) => Math.abs(dice(a, b) - stringSimilarity.compareTwoStrings(a, b)) < 1e-12),
      { numRuns: 2000 },
    );
  });
});

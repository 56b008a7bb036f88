import fc from 'fast-check';
import stringSimilarity from 'string-similarity';
import { describe, expect, it } from 'vitest';
import { packedTitlesEqual, packedTitleWords, packTitle, TitleProbe, titleBigrams, titleDice } from '../../src/cluster/title-bigrams.js';

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

describe('title Dice against packed titles', () => {
  /** Dice of a loaded title with another, both packed as the index keeps them. */
  const probed = (a: string, b: string): number => {
    const ints = new Int32Array(packedTitleWords(a) + packedTitleWords(b));
    const at = packTitle(a, ints, 0);
    packTitle(b, ints, at);
    const probe = new TitleProbe();
    probe.load(ints, 0);
    return probe.dice(ints, 0, ints, at);
  };

  it('equals the prepared titles\' Dice exactly, on arbitrary strings, one probe against many titles', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', '4', '\t', 'ab', 'ba', '\u00a0', '😀'), maxLength: 30 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(probed(a, b)).toBe(titleDice(titleBigrams(a), titleBigrams(b)));
      }),
      { numRuns: 2000 },
    );
    const probe = new TitleProbe();
    const titles = ['aaaa', 'aa a', 'abab ab', 'baba', '', 'a', 'ab ba ab'];
    const ints = new Int32Array(64);
    const at = titles.map((_, i) => 8 * i);
    titles.forEach((t, i) => packTitle(t, ints, at[i] as number));
    probe.load(ints, at[6] as number);
    for (let i = 0; i < titles.length; i++) expect(probe.dice(ints, at[6] as number, ints, at[i] as number), titles[i]).toBe(titleDice(titleBigrams('ab ba ab'), titleBigrams(titles[i] as string)));
  });

  it('packs a title so that equal titles, and only they, pack alike', () => {
    const pack = (t: string): number[] => {
      const ints = new Int32Array(packedTitleWords(t));
      packTitle(t, ints, 0);
      return [...ints];
    };
    expect(pack('abc')).toEqual(pack('abc'));
    expect(pack('abc')).not.toEqual(pack('ab'));
    expect(pack('ab\u0000')).not.toEqual(pack('ab'));
    // Titles of one-byte code units pack four to a word, others two: a title packs alike only with itself either way.
    expect(pack('abcde')).toHaveLength(3);
    expect(pack('abcd\u0100')).toHaveLength(4);
    expect(pack('abcd\u0100')).not.toEqual(pack('abcd\u0000'));
    expect(pack('h\u00e9llo')).toEqual(pack('h\u00e9llo'));
    const ints = new Int32Array(8);
    packTitle('héllo', ints, 0);
    packTitle('héllo', ints, 4);
    expect(packedTitlesEqual(ints, 0, ints, 4)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { bcubed } from '../../scripts/eval/bcubed.js';
import { extractEntities, extractNumbers, lightStem, splitWords } from '../../src/cluster/text-features.js';

describe('extractEntities', () => {
  it('folds accents so a German and an English spelling meet, and skips function words', () => {
    const de = extractEntities(splitWords('Gestern sagte Jürgen Müller in München, dass die Firma wächst.'));
    const en = extractEntities(splitWords('Yesterday Jurgen Muller said in Munchen that the company grows.'));
    expect(de).toEqual(expect.arrayContaining(['jurgen', 'muller', 'munchen']));
    expect(en).toEqual(expect.arrayContaining(['jurgen', 'muller', 'munchen']));
    // Sentence-initial words are not names.
    expect(de).not.toContain('gestern');
    expect(en).not.toContain('yesterday');
  });
});

describe('extractNumbers', () => {
  it('reads the kind a number counts, scores, dates, and skips clock times', () => {
    const found = extractNumbers('A magnitude 5.8 quake injured 12 people on March 3; the final was 3-1. It hit at 7:53 p.m. Turnout 1,250 votes.');
    expect(found).toEqual(
      expect.arrayContaining([
        { value: '5.8', kind: 'magnitude' },
        { value: '12', kind: 'people' },
        { value: '3', kind: 'date:mar' },
        { value: '3-1', kind: 'score' },
        { value: '1250', kind: 'vote' },
      ]),
    );
    expect(found.map((n) => n.value)).not.toContain('53');
  });
});

describe('lightStem', () => {
  it('lets inflections of one word meet', () => {
    expect(lightStem('filed')).toBe(lightStem('filing'));
    expect(lightStem('share')).toBe(lightStem('shared'));
    expect(lightStem('markets')).toBe(lightStem('market'));
    expect(lightStem('stories')).toBe(lightStem('story'));
  });
});

describe('bcubed', () => {
  it('scores a perfect clustering 1 and a single lump by its precision loss', () => {
    const gold = ['a', 'a', 'b', 'b'];
    expect(bcubed(gold, ['x', 'x', 'y', 'y'])).toEqual({ precision: 1, recall: 1, f1: 1 });
    const lump = bcubed(gold, ['x', 'x', 'x', 'x']);
    expect(lump.precision).toBe(0.5);
    expect(lump.recall).toBe(1);
    const split = bcubed(gold, ['1', '2', '3', '4']);
    expect(split.recall).toBe(0.5);
  });
});

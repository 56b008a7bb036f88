import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameStopwordsModule } from '../../scripts/name-stopwords.js';
import { foldedCalendarWords, foldedStopwordsOf, nameStopwordsFor, NAME_STOPWORD_LANGUAGES, STOPWORDS } from '../../src/cluster/stopwords.js';
import { ROOT } from '../helpers/paths.js';

const FILE = path.join(ROOT, 'src', 'cluster', 'name-stopwords.ts');

describe('the kept name stopwords', () => {
  it('hold what stopwords-iso and the calendar words give, folded', () => {
    expect(nameStopwordsModule()).toBe(readFileSync(FILE, 'utf8'));
  });

  it('give each language the words folding the lists at start gave', () => {
    const folded = (languages: readonly string[]): Set<string> => new Set([...STOPWORDS, ...foldedCalendarWords(), ...languages.flatMap(foldedStopwordsOf)]);
    expect(nameStopwordsFor('en')).toEqual(folded(['en']));
    expect(nameStopwordsFor('ru')).toEqual(folded(['en', 'ru']));
    expect(nameStopwordsFor('xx')).toEqual(folded(NAME_STOPWORD_LANGUAGES));
    // Cyrillic and Greek words meet their transliterated names; some Arabic ones fold to nothing, kept as such.
    expect(nameStopwordsFor('ru').has('rossiia') || nameStopwordsFor('ru').has('rossiya')).toBe(true);
    expect(nameStopwordsFor('ar').has('')).toBe(true);
  });
});

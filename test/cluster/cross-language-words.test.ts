import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wordsModule } from '../../scripts/cross-language-words.js';
import { crossLanguageVector, vectorKeys } from '../../src/cluster/cross-language.js';
import { ROOT } from '../helpers/paths.js';

const FILE = path.join(ROOT, 'src', 'cluster', 'cross-language-words.ts');

describe('the kept word hashes of the cross-language vector', () => {
  it('hold what the kept names and the stopword lists give', () => {
    expect(wordsModule()).toBe(readFileSync(FILE, 'utf8'));
  });

  it('make a country a concept in every language and keep function words out', () => {
    // "Russland", "Russia", "Rusia", "Russie" and the genitive "Russlands" are one key; "Russian" another.
    const keys = (text: string): number[] => vectorKeys(crossLanguageVector(text));
    const country = keys('Russland');
    expect(country).toHaveLength(1);
    for (const name of ['Russia', 'Rusia', 'Russie', 'Russlands']) expect(keys(name)).toEqual(country);
    expect(keys('Russian')).toHaveLength(1);
    expect(keys('Russian')).not.toEqual(country);
    // Function words of four letters or more count under no key.
    expect(keys('because through während aunque')).toEqual([]);
  });
});

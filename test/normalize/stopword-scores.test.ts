import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LETTER_HINTS, STOPWORDS, SUFFIX_HINTS, SUFFIX_WEIGHT } from '../../src/normalize/language-stopwords.js';
import { asciiStopwordScores, SCORED_LANGUAGES, scoreOf, stopwordScores } from '../../src/normalize/stopword-scores.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { awkwardTexts } from './awkward-text.js';

/** The scoring as it was, with a pattern for words and a map of strings: the definition the counting loop must match. */
function definedScores(sample: string, endingsBelowChars: number): { scores: Map<string, number>; tokens: number } {
  const languagesOf = new Map<string, string[]>();
  for (const [lang, words] of Object.entries(STOPWORDS)) {
    for (const word of words.split(' ')) {
      const langs = languagesOf.get(word) ?? [];
      if (!langs.includes(lang)) langs.push(lang);
      languagesOf.set(word, langs);
    }
  }
  const scores = new Map<string, number>();
  const add = (lang: string, weight: number): void => {
    scores.set(lang, (scores.get(lang) ?? 0) + weight);
  };
  const lower = sample.toLowerCase();
  let tokens = 0;
  for (const [word] of lower.matchAll(/[\p{L}\p{M}']+/gu)) {
    tokens++;
    const langs = languagesOf.get(word);
    if (langs !== undefined) {
      for (const lang of langs) add(lang, 1 / langs.length);
      continue;
    }
    if (lower.length >= endingsBelowChars) continue;
    const matched: string[] = [];
    for (const [pattern, lang] of SUFFIX_HINTS) if (pattern.test(word) && !matched.includes(lang)) matched.push(lang);
    for (const lang of matched) add(lang, SUFFIX_WEIGHT / matched.length);
  }
  for (const [letters, langs, weight] of LETTER_HINTS) if (lower.includes(letters)) for (const lang of langs) add(lang, weight / langs.length);
  return { scores, tokens };
}

function texts(): string[] {
  const files = [path.join(ROOT, 'seeds'), path.join(FIXTURES, 'cluster')].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => path.join(dir, f)));
  const headlines = ['Kim Basinger spricht über ihre Beziehung zu Alec Baldwin', 'Le gouvernement annonce une nouvelle réforme', "L'économie s'améliore", 'O governo anunciou novas medidas', 'Sbarro files for bankruptcy', 'İSTANBUL’DA DEPREM'];
  return [...files.map((f) => readFileSync(f, 'utf8').slice(0, 2000)), ...headlines, ...awkwardTexts(1500, 60), ...awkwardTexts(100, 600, 11)];
}

describe('stopwordScores', () => {
  it('counts the words and scores every language as the pattern-and-map definition does', () => {
    for (const text of texts()) {
      for (const endingsBelowChars of [0, 200, 10_000]) {
        const found = stopwordScores(text, endingsBelowChars);
        const defined = definedScores(text, endingsBelowChars);
        expect(found.tokens, JSON.stringify(text.slice(0, 80))).toBe(defined.tokens);
        for (const lang of SCORED_LANGUAGES) expect(scoreOf(found, lang), `${lang} in ${JSON.stringify(text.slice(0, 80))}`).toBe(defined.scores.get(lang) ?? 0);
      }
    }
  });

  it('counts the letters of an ASCII text', () => {
    expect(stopwordScores("Don't stop: 42 words", 200).asciiLetters).toBe(13);
    expect(asciiStopwordScores("Don't stop: 42 words", 200).asciiLetters).toBe(13);
  });

  it('scores an ASCII text read as it is exactly as the lower-casing loop does', () => {
    // The texts with every character beyond ASCII made a space, a letter or an apostrophe, so capitals, apostrophes and
    // headlines (word endings) all come by.
    const asciiTexts = texts().flatMap((text) => [text.replace(/[^\x00-\x7f]/g, ' '), text.replace(/[^\x00-\x7f]/g, 'E'), text.replace(/[^\x00-\x7f]/g, "'")]);
    for (const text of asciiTexts) {
      for (const endingsBelowChars of [0, 200, 10_000]) {
        const found = asciiStopwordScores(text, endingsBelowChars);
        const reference = stopwordScores(text, endingsBelowChars);
        expect(found.tokens, JSON.stringify(text.slice(0, 80))).toBe(reference.tokens);
        expect(found.asciiLetters).toBe(reference.asciiLetters);
        expect([...found.scores]).toEqual([...reference.scores]);
      }
    }
  });
});

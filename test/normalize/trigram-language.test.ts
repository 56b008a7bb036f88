import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { franc } from 'franc-min';
import { describe, expect, it } from 'vitest';
import { trigramLanguage } from '../../src/normalize/trigram-language.js';
import { CORPORA, FIXTURES, HAS_CORPORA, ROOT } from '../helpers/paths.js';
import { mulberry32 } from '../../scripts/eval/prng.js';
import { awkwardTexts } from './awkward-text.js';

/** The options detectLanguage gives: franc's default length on a whole text, a few languages from three characters on. */
const OPTIONS = [{ minLength: 10 }, { minLength: 3, only: ['fra', 'spa', 'ita'] }, { minLength: 3, only: ['deu', 'nld'] }, { minLength: 3, only: ['eng'] }, { minLength: 3, only: ['rus', 'ukr'] }];

function textsOf(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

function semevalTexts(): string[] {
  const dir = path.join(CORPORA, 'semeval-dev');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
    .flatMap((line) => {
      const item = JSON.parse(line) as { title: string; text?: string };
      return [item.title, item.text ?? ''];
    });
}

/** Pieces of ASCII text: words in any case, punctuation, digits, every ASCII space, and characters franc keeps (`[`, `` ` ``, `{`). */
const ASCII_PIECES = ['the', 'The', 'THE', 'and', 'der', 'und', 'het', 'een', 'och', 'jest', 'nie', 'que', 'a', 'I', 'x', 'report', 'Council', ' ', '  ', '\t', '\n', '\r\n', '\f', '.', ',', '!', '@', '42', '(AP)', '-', '[', '`', '{', '~'];

/** Returns `count` ASCII texts of up to `maxPieces` pieces each, the same every run: leading and trailing spaces and punctuation occur. */
function asciiTexts(count: number, maxPieces: number): string[] {
  const rand = mulberry32(20261130);
  return Array.from({ length: count }, () => {
    const pieces = Math.floor(rand() * maxPieces);
    let text = '';
    for (let i = 0; i < pieces; i++) text += ASCII_PIECES[Math.floor(rand() * ASCII_PIECES.length)];
    return text;
  });
}

function expectFrancsAnswers(texts: readonly string[]): void {
  for (const text of texts) {
    // detectLanguage gives the first 2,000 characters, and shorter cuts of headlines and excerpts occur.
    for (const cut of [text.slice(0, 2000), text.slice(0, 150), text.slice(0, 12)]) {
      for (const options of OPTIONS) expect(trigramLanguage(cut, options), `${JSON.stringify(cut.slice(0, 60))} ${JSON.stringify(options)}`).toBe(franc(cut, options));
    }
  }
}

describe("trigramLanguage gives franc-min's answer", () => {
  it('on the seeds and the fixture articles', () => {
    expectFrancsAnswers([...textsOf(path.join(ROOT, 'seeds')), ...textsOf(path.join(FIXTURES, 'cluster')), ...textsOf(path.join(FIXTURES, 'normalize'))]);
  });

  it('on texts of every script, space, control and surrogate', () => {
    expectFrancsAnswers(awkwardTexts(500, 300));
  });

  it('on ASCII texts of words, punctuation, digits and spaces (trigrams counted by index)', () => {
    expectFrancsAnswers(asciiTexts(500, 300));
  });

  it('on texts where scripts tie or overlap (Han counts for Chinese and Japanese)', () => {
    expectFrancsAnswers(['東京ひらがな中文字', '中文字中文字ひら', 'abc Москва', 'Москва abc', 'ab 한국어 東京', '😀😀😀😀😀 abc', '\ud800\ud800 Москва abc 𠀋𠀋']);
  });

  it.skipIf(!HAS_CORPORA)('on the semeval-dev titles and texts (shared corpora)', () => {
    expectFrancsAnswers(semevalTexts());
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/normalize/detect-language.js';
import { CORPORA, HAS_CORPORA, NO_CORPORA } from '../helpers/paths.js';

/** The TITLE column of the UCI News Aggregator sample: English headlines from many outlets. */
function uciTitles(): string[] {
  const csv = readFileSync(path.join(CORPORA, 'uci-news-dev', 'uci-news-dev.csv'), 'utf8');
  const titles: string[] = [];
  for (const line of csv.split('\n').slice(1)) {
    const match = /^\d+,("(?:[^"]|"")*"|[^,]*),/.exec(line);
    const title = match?.[1]?.replace(/^"|"$/g, '').replace(/""/g, '"');
    if (title) titles.push(title);
  }
  return titles;
}

describe.skipIf(!HAS_CORPORA)(`detectLanguage on UCI news headlines (${HAS_CORPORA ? 'corpora present' : NO_CORPORA})`, () => {
  const titles = HAS_CORPORA ? uciTitles() : [];

  it('reads at least 85 % of English headlines as English without a hint, and almost none as another language', () => {
    expect(titles.length).toBeGreaterThan(2000);
    const found = titles.map((t) => detectLanguage(t));
    const english = found.filter((lang) => lang === 'en').length;
    const wrong = titles.filter((_, i) => found[i] !== 'en' && found[i] !== 'und');
    expect(english / titles.length).toBeGreaterThanOrEqual(0.85);
    // A headline without function words to go by ("EBay, Icahn talk smack") is left 'und', not guessed.
    expect(wrong.length / titles.length, `read as another language: ${wrong.slice(0, 10).join(' | ')}`).toBeLessThanOrEqual(0.005);
  });

  it('reads at least 99 % of them as English with the feed’s language as hint', () => {
    const english = titles.filter((t) => detectLanguage(t, 'en-US') === 'en').length;
    expect(english / titles.length).toBeGreaterThanOrEqual(0.99);
  });
});

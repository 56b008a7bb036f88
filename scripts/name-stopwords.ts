/**
 * Writes src/cluster/name-stopwords.ts: the words that are never name keys (see nameStopwordsFor in
 * src/cluster/stopwords.ts), folded like name keys: per language of NAME_STOPWORD_LANGUAGES its stopwords-iso list,
 * and the calendar words of all of them (calendar-words.ts). Kept in the source so that the first article of a start
 * does not read stopwords-iso and fold its lists with any-ascii (20–30 ms of CPU). Run it again after changing
 * NAME_STOPWORD_LANGUAGES, the folding, calendar-words.ts, or the stopwords-iso or any-ascii version; the test suite
 * checks that the file holds what this gives.
 *
 * Usage: npx tsx scripts/name-stopwords.ts [--check]
 * With --check, writes nothing: prints whether the file holds what the lists give, and exits 1 when it does not.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { foldedCalendarWords, foldedStopwordsOf, NAME_STOPWORD_LANGUAGES } from '../src/cluster/stopwords.js';
import { writeOrCheckKept } from './kept-module.js';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cluster', 'name-stopwords.ts');

/**
 * The words one a line, as a string literal. No folded word may hold a line break, and the list may not be empty, or it
 * could not be read back (some words fold to nothing: '' is one of the words, as it was in the folded lists).
 */
function joined(words: readonly string[]): string {
  const bad = words.find((w) => w.includes('\n'));
  if (bad !== undefined) throw new Error(`name-stopwords: the folded word ${JSON.stringify(bad)} cannot be kept one a line`);
  if (words.length === 0) throw new Error('name-stopwords: an empty list reads back as one empty word');
  return JSON.stringify(words.join('\n'));
}

/** The module's text. */
export function nameStopwordsModule(): string {
  return [
    '// Written by scripts/name-stopwords.ts from stopwords-iso, calendar-words.ts and any-ascii; do not edit.',
    '',
    '/** Per language, its stopwords-iso words folded like name keys (see foldedStopwordsOf), one a line. */',
    'export const FOLDED_STOPWORDS: Readonly<Record<string, string>> = {',
    ...NAME_STOPWORD_LANGUAGES.map((lang) => `  ${lang}: ${joined(foldedStopwordsOf(lang))},`),
    '};',
    '',
    '/** The calendar words of those languages folded like name keys (see foldedCalendarWords), one a line. */',
    `export const FOLDED_CALENDAR_WORDS: string = ${joined(foldedCalendarWords())};`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeOrCheckKept('name-stopwords', FILE, nameStopwordsModule(), 'as the stopword lists give them', 'differs from what the stopword lists give: run npx tsx scripts/name-stopwords.ts');
}

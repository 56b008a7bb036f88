/**
 * Writes src/cluster/calendar-words.ts: the month and weekday names that are never name keys (see calendarWordsOf in
 * src/cluster/stopwords.ts), as this runtime's CLDR gives them. Kept in the source so that a start does not make ICU
 * date formatters for them (30 ms of CPU), and so that the name keys do not move with the CLDR of whatever runtime runs
 * feedfold. Run it again to take up another CLDR (the clustering figures may then move).
 *
 * Usage: npx tsx scripts/calendar-words.ts [--check]
 * With --check, writes nothing: prints whether the file holds what this runtime gives, and exits 1 when it does not.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { calendarWordsOf, NAME_STOPWORD_LANGUAGES } from '../src/cluster/stopwords.js';
import { writeOrCheckKept } from './kept-module.js';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cluster', 'calendar-words.ts');

/** The module's text: per language, its calendar words in the order calendarWordsOf lists them. */
export function calendarWordsModule(): string {
  return [
    `// Written by scripts/calendar-words.ts from CLDR ${process.versions.cldr} (ICU ${process.versions.icu}); do not edit.`,
    '',
    '/** Per language, the long and short month names then the weekday names (see calendarWordsOf in stopwords.ts). */',
    'export const CALENDAR_WORDS: Readonly<Record<string, readonly string[]>> = {',
    ...NAME_STOPWORD_LANGUAGES.map((lang) => `  ${lang}: ${JSON.stringify(calendarWordsOf(lang))},`),
    '};',
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeOrCheckKept('calendar-words', FILE, calendarWordsModule(), 'as this runtime gives them', `differs from CLDR ${process.versions.cldr} of this runtime`);
}

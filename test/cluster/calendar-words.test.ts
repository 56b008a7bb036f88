import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALENDAR_WORDS } from '../../src/cluster/calendar-words.js';
import { calendarWordsOf, NAME_STOPWORD_LANGUAGES } from '../../src/cluster/stopwords.js';
import { calendarWordsModule } from '../../scripts/calendar-words.js';
import { ROOT } from '../helpers/paths.js';

const FILE = path.join(ROOT, 'src', 'cluster', 'calendar-words.ts');
/** The CLDR the kept words were read from, as the file's first line names it. */
const WRITTEN_FROM = /from CLDR (\S+) /.exec(readFileSync(FILE, 'utf8'))?.[1];

describe('the kept calendar words of the name stopwords', () => {
  it('has, per language read, 12 long and 12 short month names and 7 weekday names', () => {
    expect(Object.keys(CALENDAR_WORDS).sort()).toEqual([...NAME_STOPWORD_LANGUAGES].sort());
    for (const lang of NAME_STOPWORD_LANGUAGES) expect(CALENDAR_WORDS[lang]).toHaveLength(31);
    expect(CALENDAR_WORDS.de?.slice(0, 2)).toEqual(['Januar', 'Jan']);
    expect(CALENDAR_WORDS.en?.[24]).toBe('Sunday');
  });

  it.runIf(WRITTEN_FROM === process.versions.cldr)('holds what this runtime’s CLDR gives (the CLDR it was written from)', () => {
    for (const lang of NAME_STOPWORD_LANGUAGES) expect(CALENDAR_WORDS[lang]).toEqual(calendarWordsOf(lang));
    expect(calendarWordsModule()).toBe(readFileSync(FILE, 'utf8'));
  });
});

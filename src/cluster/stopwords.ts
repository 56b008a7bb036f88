import { createRequire } from 'node:module';
import { anyAscii } from '../model/any-ascii.js';
import { CALENDAR_WORDS } from './calendar-words.js';
import { FOLDED_CALENDAR_WORDS, FOLDED_STOPWORDS } from './name-stopwords.js';

/**
 * Function words of the languages the seeds and test feeds use (en, de, es, fr, it, pt, nl). They carry no story
 * identity, so they are dropped from shingles, title tokens and entity candidates (a capitalised "The" or "Die" at the
 * start of a sentence is not a name).
 */
const WORDS = `
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours out over own same she should so some such than that the their theirs them then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you your
yours yourself new says said say after over amid via vs just up out may might must shall one two three first last
get gets got make makes made still even much many like well back way time week day year years today
der die das den dem des ein eine einer eines einem einen und oder aber ist sind war waren wird werden wurde hat haben
hatte mit von zu zum zur im in am an auf aus bei nach vor fur uber unter durch sich sie er es ich wir ihr ihre ihren
ihrem ihrer sein seine seinen seiner dass nicht noch auch nur wie als so doch schon sehr mehr beim bis zwischen
el la los las un una unos unas y o pero es son fue era del al en con por para sin sobre entre su sus se que como mas
muy ya lo le les este esta estos estas ese esa
le les des du de et ou mais est sont etait avec pour par sur dans au aux ce cette ces son sa ses qui que pas plus une
il elle ils elles nous vous leur leurs
il lo gli della delle dei degli di da con per tra fra che non sono
o os as um uma uns umas do da dos das no na nos nas em com por para que nao
de het een en van op te dat die voor met zijn niet ook
`;

/** Function words, lower-case and ASCII-folded. */
export const STOPWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));

/**
 * Languages whose stopwords-iso lists keep function words and the commonest capitalised words out of the name keys:
 * the languages feeds are read in (German capitalises every noun, so its list's "Jahr", "Menschen", "Ende" would
 * otherwise take the name slots).
 */
export const NAME_STOPWORD_LANGUAGES = ['en', 'de', 'es', 'fr', 'it', 'pt', 'nl', 'pl', 'tr', 'ru', 'el', 'ar'] as const;

/** stopwords-iso's lists, read on first use: one JSON file of every language it has (200 KB). */
let stopwordsIsoLists: Record<string, readonly string[]> | undefined;

function stopwordsIso(): Record<string, readonly string[]> {
  // stopwords-iso ships one JSON file; createRequire reads it without an import attribute.
  stopwordsIsoLists ??= createRequire(import.meta.url)('stopwords-iso') as Record<string, readonly string[]>;
  return stopwordsIsoLists;
}

/** Folds a stopword the way names are folded (NFKD, marks dropped, lower case, then ASCII): Cyrillic or Greek words meet their transliterated names. */
export function foldStopword(word: string): string {
  return anyAscii(word.normalize('NFKD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').toLowerCase()).toLowerCase();
}

/** A language's stopwords-iso list folded like name keys (see foldStopword), each word once, in the list's order. */
export function foldedStopwordsOf(language: string): string[] {
  return [...new Set((stopwordsIso()[language] ?? []).map(foldStopword))];
}

/**
 * Month and weekday names of one language, long and abbreviated, from the runtime's CLDR data (ICU), without a closing
 * point: capitalised in English and German text, but a date, not a name, and never spelt alike across languages.
 */
export function calendarWordsOf(language: string): string[] {
  const out: string[] = [];
  // One formatter per style (making one costs far more than formatting with it).
  const long = new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' });
  const short = new Intl.DateTimeFormat(language, { month: 'short', timeZone: 'UTC' });
  for (let month = 0; month < 12; month++) out.push(long.format(Date.UTC(2020, month, 15)), short.format(Date.UTC(2020, month, 15)));
  const weekday = new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' });
  // 2020-01-05 was a Sunday.
  for (let day = 0; day < 7; day++) out.push(weekday.format(Date.UTC(2020, 0, 5 + day)));
  return out.map((w) => w.replace(/\.$/, ''));
}

/**
 * The calendar words of every supported language, read from the copy kept in calendar-words.ts: making the 36 ICU
 * formatters took 30 ms at every start. A language the copy lacks (one added to NAME_STOPWORD_LANGUAGES since) is asked for.
 */
function calendarWords(): string[] {
  return NAME_STOPWORD_LANGUAGES.flatMap((language) => CALENDAR_WORDS[language] ?? calendarWordsOf(language));
}

/** calendarWords() folded like name keys, each word once, in their order. */
export function foldedCalendarWords(): string[] {
  return [...new Set(calendarWords().map(foldStopword))];
}

/**
 * foldedStopwordsOf(language), read from the copy kept in name-stopwords.ts (folding a language's list took 10–20 ms,
 * and reading stopwords-iso 5 ms, at the first article of a start); a language the copy lacks is folded here.
 */
function keptStopwordsOf(language: string): readonly string[] {
  const kept = FOLDED_STOPWORDS[language];
  return kept === undefined ? foldedStopwordsOf(language) : kept.split('\n');
}

/** foldedCalendarWords(), read from the copy kept in name-stopwords.ts unless it was written for other languages. */
let calendarWordsFolded: readonly string[] | undefined;

function keptCalendarWords(): readonly string[] {
  calendarWordsFolded ??= NAME_STOPWORD_LANGUAGES.every((language) => FOLDED_STOPWORDS[language] !== undefined) ? FOLDED_CALENDAR_WORDS.split('\n') : foldedCalendarWords();
  return calendarWordsFolded;
}

/** Per language, the stopwords-iso words, the function words above and the calendar words, folded like name keys. */
const nameStopwords = new Map<string, ReadonlySet<string>>();

/**
 * Returns the words that are never a name key in a text of `language` (an ISO 639-1 code): that language's
 * stopwords-iso list with English's (English words turn up in every language's news), or every supported
 * language's list when the language is unknown.
 */
export function nameStopwordsFor(language: string): ReadonlySet<string> {
  const code = (NAME_STOPWORD_LANGUAGES as readonly string[]).includes(language) ? language : 'und';
  let set = nameStopwords.get(code);
  if (set === undefined) {
    const languages = code === 'und' ? NAME_STOPWORD_LANGUAGES : code === 'en' ? ['en'] : ['en', code];
    const words = new Set<string>(STOPWORDS);
    for (const w of keptCalendarWords()) words.add(w);
    for (const l of languages) for (const w of keptStopwordsOf(l)) words.add(w);
    nameStopwords.set(code, (set = words));
  }
  return set;
}

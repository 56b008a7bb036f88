import { Buffer } from 'node:buffer';
import { anyAscii } from '../model/any-ascii.js';
import { STOPWORDS } from './stopwords.js';

/** A word of a text: folded lower-case form and whether it was written capitalised. */
export interface Word {
  folded: string;
  capital: boolean;
  /** True when the word starts a sentence, where capitals say nothing about names. */
  sentenceStart: boolean;
}

/** A number found in a text with the kind of thing it counts, when that kind is known. */
export interface CountedNumber {
  value: string;
  /** 'people', 'goal', 'score', 'date:march'…; undefined for bare numbers (years, ages, ids). */
  kind?: string;
}

const COMBINING_MARKS_RE = /\p{M}/gu;

/**
 * Count nouns and units in the languages of the feeds: a number before one of these counts that kind of thing, so two
 * reports giving different counts of the same kind contradict each other.
 */
export const COUNT_KINDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    people: 'people', person: 'people', persons: 'people', menschen: 'people', personas: 'people', personnes: 'people',
    dead: 'dead', killed: 'dead', deaths: 'dead', death: 'dead', died: 'dead', tote: 'dead', toten: 'dead',
    muertos: 'dead', morts: 'dead', victims: 'dead', fatalities: 'dead',
    injured: 'injured', wounded: 'injured', verletzte: 'injured', heridos: 'injured', blesses: 'injured',
    goals: 'goal', goal: 'goal', tore: 'goal', goles: 'goal', buts: 'goal', points: 'point', point: 'point',
    punkte: 'point', puntos: 'point', runs: 'run', votes: 'vote', seats: 'seat',
    percent: 'percent', prozent: 'percent', '%': 'percent', ciento: 'percent', pourcent: 'percent',
    million: 'million', millions: 'million', millionen: 'million', millones: 'million', mio: 'million',
    billion: 'billion', billions: 'billion', milliarden: 'billion', mrd: 'billion',
    degrees: 'degree', grad: 'degree', grados: 'degree', magnitude: 'magnitude',
    // Polish, Turkish and French forms (folded: "osób" → "osob", "kişi" → "kisi", "ölü" → "olu").
    osob: 'people', ludzi: 'people', kisi: 'people', zabitych: 'dead', ofiar: 'dead', olu: 'dead', rannych: 'injured', yarali: 'injured',
    procent: 'percent', proc: 'percent',
    mln: 'million', milionow: 'million', miliony: 'million', milion: 'million', milyon: 'million',
    bn: 'billion', milliarde: 'billion', milliard: 'billion', milliards: 'billion', mld: 'billion', miliardow: 'billion', miliardy: 'billion',
    miliard: 'billion', milyar: 'billion',
    // French "tués", "décès", Spanish "fallecidos", Polish "zmarłych"; Russian, read transliterated (see foldForNumbers):
    // "человек", "погибших", "раненых", "пострадавших", "процентов", "млрд".
    tues: 'dead', deces: 'dead', fallecidos: 'dead', zmarlych: 'dead',
    chelovek: 'people', pogibshikh: 'dead', pogibli: 'dead', zhertv: 'dead', ranenykh: 'injured', postradavshikh: 'injured',
    protsentov: 'percent', protsenta: 'percent', mlrd: 'billion',
    passengers: 'passenger', soldiers: 'soldier', children: 'child', kinder: 'child', students: 'student',
    workers: 'worker', jobs: 'job', homes: 'home', houses: 'home', cases: 'case', flights: 'flight',
    kilometres: 'distance', kilometers: 'distance', km: 'distance', miles: 'distance', kilometer: 'distance',
  }),
);

/** Kinds named before their number ("magnitude 5.8", "Stärke 5,8"). */
export const KINDS_BEFORE: ReadonlyMap<string, string> = new Map(
  // Turkish writes the percentage before its number ("yüzde 12").
  Object.entries({ magnitude: 'magnitude', starke: 'magnitude', magnitud: 'magnitude', magnitudes: 'magnitude', yuzde: 'percent' }),
);

export const MONTHS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    january: 'jan', jan: 'jan', januar: 'jan', enero: 'jan', janvier: 'jan',
    february: 'feb', feb: 'feb', februar: 'feb', febrero: 'feb', fevrier: 'feb',
    march: 'mar', mar: 'mar', marz: 'mar', marzo: 'mar', mars: 'mar',
    april: 'apr', apr: 'apr', abril: 'apr', avril: 'apr',
    may: 'may', mai: 'may', mayo: 'may',
    june: 'jun', jun: 'jun', juni: 'jun', junio: 'jun', juin: 'jun',
    july: 'jul', jul: 'jul', juli: 'jul', julio: 'jul', juillet: 'jul',
    august: 'aug', aug: 'aug', agosto: 'aug', aout: 'aug',
    september: 'sep', sep: 'sep', sept: 'sep', septiembre: 'sep', septembre: 'sep',
    october: 'oct', oct: 'oct', oktober: 'oct', octubre: 'oct', octobre: 'oct',
    november: 'nov', nov: 'nov', noviembre: 'nov', novembre: 'nov',
    december: 'dec', dec: 'dec', dezember: 'dec', diciembre: 'dec', decembre: 'dec',
    // Polish months in the genitive a date uses ("20 lutego"), Turkish months folded ("şubat" → "subat", "ı" read as "i").
    stycznia: 'jan', lutego: 'feb', marca: 'mar', kwietnia: 'apr', maja: 'may', czerwca: 'jun', lipca: 'jul', sierpnia: 'aug',
    wrzesnia: 'sep', pazdziernika: 'oct', listopada: 'nov', grudnia: 'dec',
    ocak: 'jan', subat: 'feb', mart: 'mar', nisan: 'apr', mayis: 'may', haziran: 'jun', temmuz: 'jul', agustos: 'aug', eylul: 'sep',
    ekim: 'oct', kasim: 'nov', aralik: 'dec',
    // Russian months in the genitive a date uses ("5 мая"), transliterated.
    yanvarya: 'jan', fevralya: 'feb', marta: 'mar', aprelya: 'apr', maya: 'may', iyunya: 'jun', iyulya: 'jul', avgusta: 'aug',
    sentyabrya: 'sep', oktyabrya: 'oct', noyabrya: 'nov', dekabrya: 'dec',
  }),
);

/** Folds a string to ASCII-ish lower case: compatibility decomposition, combining marks dropped (Unicode UAX #15). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS_RE, '').replace(/ß/g, 'ss').toLowerCase();
}

/** Reduces an English-ish word to a light stem so that "filed" and "filing", "stories" and "story" meet. */
export function lightStem(word: string): string {
  const n = word.length;
  if (n <= 3) return word;
  const last = word.charCodeAt(n - 1);
  if (last >= 48 && last <= 57) return word;
  let stem = word;
  if (n > 5 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (n > 5 && word.endsWith('ing')) stem = word.slice(0, -3);
  else if (n > 4 && word.endsWith('ed')) stem = word.slice(0, -2);
  else if (n > 4 && /(?:ss|sh|ch|x|z)es$/.test(word)) stem = word.slice(0, -2);
  else if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) stem = word.slice(0, -1);
  // A final silent e of an uninflected word goes too ("share" meets "shared"); stripping it after a suffix as well
  // lowered recall on the UCI dev headlines (F1 0.723 → 0.684), so it stays this light.
  if (stem === word && n > 4 && stem.endsWith('e')) stem = stem.slice(0, -1);
  return stem;
}

const NON_ASCII_RE = /[^\x00-\x7f]/;
const LETTER_OR_DIGIT_RE = /[\p{L}\p{N}]/u;

function isWordChar(code: number, text: string, i: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  return LETTER_OR_DIGIT_RE.test(text[i] as string);
}

/** Characters after which the next word starts a sentence. */
function endsSentence(code: number): boolean {
  // . ! ? : " newline, and … “ ” « »
  return code === 46 || code === 33 || code === 63 || code === 58 || code === 34 || code === 10 || code === 0x2026 || code === 0x201c || code === 0x201d || code === 0xab || code === 0xbb;
}

/** Receives each word of a scanned text: folded form, written capitalised, first of its sentence. */
export type WordVisitor = (folded: string, capital: boolean, sentenceStart: boolean) => void;

/** Visits the words of a text in one pass without building word objects (ASCII text skips NFKD). */
export function scanWords(text: string, visit: WordVisitor): void {
  const ascii = !NON_ASCII_RE.test(text);
  const src = ascii ? text : text.normalize('NFKD').replace(COMBINING_MARKS_RE, '');
  // Lower-casing the whole text once is safe for ASCII (same length); other text is lower-cased word by word.
  const lowerAll = ascii ? src.toLowerCase() : undefined;
  let sentenceEnd = true;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const code = src.charCodeAt(i);
    if (!isWordChar(code, src, i)) {
      if (code !== 32 && code !== 9 && code !== 13 && code !== 160) sentenceEnd = endsSentence(code);
      i++;
      continue;
    }
    const start = i;
    while (i < n && isWordChar(src.charCodeAt(i), src, i)) i++;
    const startsSentence = sentenceEnd;
    sentenceEnd = false;
    if (i - start < 2 && !(code >= 48 && code <= 57)) continue;
    const folded = lowerAll !== undefined ? lowerAll.slice(start, i) : src.slice(start, i).toLowerCase().replace(/ß/g, 'ss');
    visit(folded, code !== folded.charCodeAt(0), startsSentence);
  }
}

/** Splits a text into words with their folded form and capitalisation. */
export function splitWords(text: string): Word[] {
  const out: Word[] = [];
  scanWords(text, (folded, capital, sentenceStart) => out.push({ folded, capital, sentenceStart }));
  return out;
}

/** Tells whether a capitalised word can be a name: not sentence-initial, not a function word, not a number. */
export function isNameCandidate(folded: string, capital: boolean, sentenceStart: boolean, stop: boolean): boolean {
  return capital && !sentenceStart && !stop && folded.length >= 2;
}

/** Tells whether a folded word is a function word that carries no story identity. */
export function isStopword(folded: string): boolean {
  return STOPWORDS.has(folded);
}

/**
 * Collects the names in a text: capitalised words that are not function words, ASCII-folded, so "Müller" in German
 * and "Muller" in English meet. Sentence-initial words count only when they are capitalised elsewhere too.
 */
export function extractEntities(words: readonly Word[]): string[] {
  const names = new Set<string>();
  for (const w of words) if (isNameCandidate(w.folded, w.capital, w.sentenceStart, STOPWORDS.has(w.folded))) names.add(w.folded);
  return [...names].sort();
}

// extractNumbers reads the text by index with explicit window bounds instead of running regexes on sliced windows: it
// is on the hot path of clustering, and per-match regex work dominated it. Each loop below names the regex of the
// earlier implementation it stands for; test/cluster/extract-numbers.test.ts keeps that implementation as the oracle
// and checks that the two agree on every input.
//
// The rules are written for the folded text (foldText, or toLowerCase for ASCII text). ASCII text is read as it is
// rather than lower-cased first: it is the folded text except that 'A'-'Z' stand for 'a'-'z', so letters are tested
// and compared with `c | 32` (which maps 'A'-'Z' onto 'a'-'z' and no other code unit into that range).

/** Characters before a number that are read for a kind or month named before it. */
const BEFORE_WINDOW = 12;
/** Characters after a number that are read for a count noun, unit or month after it. */
const AFTER_WINDOW = 24;

const isDigit = (c: number): boolean => c >= 48 && c <= 57; // \d (without the u flag: ASCII digits only)
const isLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122; // [a-z] of the folded text
const isPointOrComma = (c: number): boolean => c === 46 || c === 44; // [.,]
const isRangeSeparator = (c: number): boolean => c === 45 || c === 0x2013 || c === 58; // [-–:]
/** [ \u00a0\u202f\u2009'’]: the spaces French, Polish and German put between groups of thousands ("30 000"), and the Swiss apostrophe ("44'000"). */
const isGroupSpace = (c: number): boolean => c === 32 || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 39 || c === 0x2019;

/** JavaScript's \s: [\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]. */
export function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** /^\d{1,max}$/.test(value) */
function isShortDigits(value: string, max: number): boolean {
  if (value.length < 1 || value.length > max) return false;
  for (let i = 0; i < value.length; i++) if (!isDigit(value.charCodeAt(i))) return false;
  return true;
}

/** Tells whether src[at, at + word.length) spells the lower-case `word` (ignoring ASCII case) and ends by `limit`. */
function spellsAt(src: string, at: number, limit: number, word: string): boolean {
  if (at + word.length > limit) return false;
  for (let k = 0; k < word.length; k++) if ((src.charCodeAt(at + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/** Drops the spaces of a number written in groups of thousands ("30 000" → "30000"). */
function joinGroups(raw: string): string {
  let digits = '';
  for (let i = 0; i < raw.length; i++) if (isDigit(raw.charCodeAt(i))) digits += raw[i];
  return digits;
}

/**
 * Normalizes a written number: thousands separators dropped, a decimal comma read as a point. `raw` has the shape of
 * the first number of a match: digit runs joined by single '.' or ','.
 */
function normalizeNumber(raw: string): string {
  // One pass over the separators answers /^\d{1,3}(?:[.,]\d{3})+$/ (thousands) and finds the first comma and the last
  // separator.
  let lastSep = -1;
  let firstComma = -1;
  let thousands = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (!isPointOrComma(c)) continue;
    if (lastSep < 0 ? i > 3 : i - lastSep !== 4) thousands = false;
    if (c === 44 && firstComma < 0) firstComma = i;
    lastSep = i;
  }
  if (lastSep < 0) return raw;
  if (thousands && raw.length - lastSep === 4) {
    // raw.replace(/[.,]/g, '')
    let digits = '';
    let from = 0;
    for (let i = 0; i <= raw.length; i++) {
      if (i === raw.length || isPointOrComma(raw.charCodeAt(i))) {
        digits += raw.slice(from, i);
        from = i + 1;
      }
    }
    return digits;
  }
  // raw.replace(',', '.') — the first comma only — then .replace(/\.0+$/, ''): the last run goes when it is all zeros
  // behind a point (one written as a point, or the first comma, just replaced).
  const value = firstComma < 0 ? raw : `${raw.slice(0, firstComma)}.${raw.slice(firstComma + 1)}`;
  if (raw.charCodeAt(lastSep) !== 46 && lastSep !== firstComma) return value;
  for (let i = lastSep + 1; i < raw.length; i++) if (raw.charCodeAt(i) !== 48) return value;
  return value.slice(0, lastSep);
}

/** What a folded word says about a number next to it: the maps above merged, so a word costs one lookup. */
interface WordRole {
  word: string;
  /** COUNT_KINDS: the kind this word counts when it follows a number. */
  countKind: string | undefined;
  /** KINDS_BEFORE: the kind this word names when it comes before a number. */
  kindBefore: string | undefined;
  /** MONTHS: 'date:<month>' for a day of this month. */
  date: string | undefined;
  /** STOPWORDS: a function word, skipped to read the word after it. */
  stop: boolean;
  /** The next role whose word has the same hash. */
  next: WordRole | undefined;
}

/** One step of the hash of a word read from the text, ignoring ASCII case; kept within small integers. */
function wordHashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + (c | 32)) & 0x3fffffff;
}

/**
 * The roles by the hash of their word, so that a word of the text is looked up without cutting it out of the text
 * (and, for ASCII text, without lower-casing it).
 */
const ROLES_BY_HASH: ReadonlyMap<number, WordRole> = (() => {
  const roles = new Map<string, WordRole>();
  const roleOf = (word: string): WordRole => {
    let role = roles.get(word);
    if (role === undefined) roles.set(word, (role = { word, countKind: undefined, kindBefore: undefined, date: undefined, stop: false, next: undefined }));
    return role;
  };
  for (const [word, kind] of COUNT_KINDS) roleOf(word).countKind = kind;
  for (const [word, kind] of KINDS_BEFORE) roleOf(word).kindBefore = kind;
  for (const [word, month] of MONTHS) roleOf(word).date = `date:${month}`;
  for (const word of STOPWORDS) roleOf(word).stop = true;
  const byHash = new Map<number, WordRole>();
  for (const role of roles.values()) {
    let h = 0;
    for (let k = 0; k < role.word.length; k++) h = wordHashStep(h, role.word.charCodeAt(k));
    role.next = byHash.get(h);
    byHash.set(h, role);
  }
  return byHash;
})();

const LONGEST_ROLE_WORD = Math.max(...[...ROLES_BY_HASH.values()].map((role) => role.word.length));

/** The role of the word src[start, end), when it has one. */
function roleOf(src: string, start: number, end: number): WordRole | undefined {
  if (end - start > LONGEST_ROLE_WORD) return undefined;
  let h = 0;
  for (let i = start; i < end; i++) h = wordHashStep(h, src.charCodeAt(i));
  for (let role = ROLES_BY_HASH.get(h); role !== undefined; role = role.next) {
    if (role.word.length === end - start && spellsAt(src, start, end, role.word)) return role;
  }
  return undefined;
}

const NEXT_DIGIT = new Int32Array(10);

/**
 * Finds the ASCII digits of a text in order (what /\d/g finds): a regex tests the text a code unit at a time, while
 * indexOf of one character is a native memory search, several times faster on article-length text. Each digit keeps
 * the position of its next occurrence and is searched for again only once the reading has passed that position, so
 * each digit's searches together cross the text once.
 */
class DigitFinder {
  /**
   * Per digit, where it next occurs (-1: nowhere). One array serves every finder, as one search runs at a time
   * (extractNumbers reads its text to the end before it returns): ten slots of their own a text were half of what
   * extractNumbers allocated.
   */
  private readonly next = NEXT_DIGIT;

  constructor(private readonly text: string) {
    for (let d = 0; d < 10; d++) this.next[d] = text.indexOf(DIGITS[d] as string);
  }

  /** The position of the first digit at or after `from`, or -1. */
  find(from: number): number {
    let first = -1;
    for (let d = 0; d < 10; d++) {
      let at = this.next[d] as number;
      if (at >= 0 && at < from) this.next[d] = at = this.text.indexOf(DIGITS[d] as string, from);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    return first;
  }
}

const DIGITS = '0123456789'.split('');

const CYRILLIC_RE = /\p{Script=Cyrillic}/u;

/**
 * Folds a non-ASCII text for the number rules: foldText, and the two letters NFKD keeps that month names and count
 * words need (Turkish dotless "ı", Polish "ł"); a text in Cyrillic is transliterated (any-ascii), so its month names and
 * count words ("5 мая", "12 человек") are read by the same ASCII rules.
 */
export function foldForNumbers(text: string): string {
  const folded = foldText(text);
  if (CYRILLIC_RE.test(folded)) return anyAscii(folded).toLowerCase();
  return folded.includes('ı') || folded.includes('ł') ? folded.replace(/ı/g, 'i').replace(/ł/g, 'l') : folded;
}

/** Same as !NON_ASCII_RE.test(text), in one native call: every code unit beyond ASCII takes two or more UTF-8 bytes. */
export function isAsciiText(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

/**
 * Finds the numbers of a text, with the kind each one counts (a count noun after it, a month before it, a score).
 *
 * A number is what /(\d{1,3}(?:[ \u00a0\u202f\u2009'’]\d{3}(?![.,]?\d))+|\d+(?:[.,]\d+)*)(?:\s*[-–:]\s*(\d+)(?![.,]?\d))?/g
 * matches on the folded text: a first number in groups of thousands split by spaces or apostrophes ("30 000", "44'000"), or with '.' or ','
 * between digit runs, and optionally a separator and a second run of digits ("3-1", "2:0", "2024-25").
 *
 * `scales` is what a scan of an ASCII text already found (see ScannedText.scales): where its words (runs of ASCII
 * letters and digits) start whose letters before any digit are a word of scale, in order. A spelled number is read
 * before those, with no search of its own. Only a scan of ASCII text gives them, so with them the text is taken to be
 * ASCII without a check of its own (which costs a pass over the text).
 */
export function extractNumbers(text: string, scales?: Int32Array): CountedNumber[] {
  const out: CountedNumber[] = [];
  const ascii = scales !== undefined || isAsciiText(text);
  const src = ascii ? text : foldForNumbers(text);
  const n = src.length;
  const digits = new DigitFinder(src);
  // Each number starts at the next digit after the previous number; the rest of it is read by hand.
  for (let index = digits.find(0), end = 0; index >= 0; index = digits.find(end)) {
    let i = index + 1;
    while (i < n && isDigit(src.charCodeAt(i))) i++;
    // \d{1,3}(?:[ \u00a0\u202f\u2009'’]\d{3}(?![.,]?\d))+ — tried first; each group ends where a digit, or a point or
    // comma before a digit, does not follow.
    let grouped = false;
    if (i - index <= 3) {
      while (i + 4 <= n && isGroupSpace(src.charCodeAt(i)) && isDigit(src.charCodeAt(i + 1)) && isDigit(src.charCodeAt(i + 2)) && isDigit(src.charCodeAt(i + 3))) {
        const after = i + 4;
        if (after < n && isDigit(src.charCodeAt(after))) break;
        if (after + 1 < n && isPointOrComma(src.charCodeAt(after)) && isDigit(src.charCodeAt(after + 1))) break;
        i = after;
        grouped = true;
      }
    }
    // \d+(?:[.,]\d+)* otherwise.
    if (!grouped) {
      while (i + 1 < n && isPointOrComma(src.charCodeAt(i)) && isDigit(src.charCodeAt(i + 1))) {
        i += 2;
        while (i < n && isDigit(src.charCodeAt(i))) i++;
      }
    }
    const firstEnd = i;
    // (?:\s*[-–:]\s*(\d+)(?![.,]?\d))? — the digit run is maximal, so only "[.,] then a digit" can fail the lookahead.
    let sep = 0;
    let secondStart = -1;
    end = firstEnd;
    while (i < n && isSpace(src.charCodeAt(i))) i++;
    if (i < n && isRangeSeparator(src.charCodeAt(i))) {
      const sepCode = src.charCodeAt(i);
      i++;
      while (i < n && isSpace(src.charCodeAt(i))) i++;
      if (i < n && isDigit(src.charCodeAt(i))) {
        const start = i;
        while (i < n && isDigit(src.charCodeAt(i))) i++;
        if (!(i + 1 < n && isPointOrComma(src.charCodeAt(i)) && isDigit(src.charCodeAt(i + 1)))) {
          sep = sepCode;
          secondStart = start;
          end = i;
        }
      }
    }

    const first = grouped ? joinGroups(src.slice(index, firstEnd)) : normalizeNumber(src.slice(index, firstEnd));
    const beforeStart = Math.max(0, index - BEFORE_WINDOW);
    const afterEnd = Math.min(n, end + AFTER_WINDOW);
    if (secondStart < 0) {
      out.push(numberWithKind(first, src, beforeStart, index, end, afterEnd));
      continue;
    }
    const secondLength = end - secondStart;
    if (sep === 58 && secondLength === 2) {
      // "7:53 p.m." is a clock time, not a result; times of day say little about identity.
      continue;
    }
    if (isShortDigits(first, 3) && secondLength <= 3 && !startsWithYear(src, end, afterEnd)) {
      // "3-1", "2:0": a result; the pair is one value (RFC-free convention of sports reporting).
      out.push({ value: `${first}-${src.slice(secondStart, end)}`, kind: 'score' });
      continue;
    }
    out.push(numberWithKind(first, src, beforeStart, index, end, afterEnd));
    // The second number is plain digits, which normalizeNumber leaves as they are; nothing is read before it.
    out.push(numberWithKind(src.slice(secondStart, end), src, index, index, end, afterEnd));
  }
  readSpelledScales(src, out, scales);
  return out;
}

/**
 * The numbers of a title and a text read as one: what extractNumbers gives for `${title}\n${text}`, with the words of
 * scale the scans of the two found (see ScannedText.scales; undefined unless the scan read its text as ASCII). When
 * nothing read around a number can cross from one into the other, the text is read alone, and the joined text (a copy
 * of the whole text) is never made: see standsAlone.
 */
export function extractTitleTextNumbers(title: string, text: string, titleScales: Int32Array | undefined, textScales: Int32Array | undefined): CountedNumber[] {
  if (titleScales !== undefined && textScales !== undefined && titleScales.length === 0 && standsAlone(title, text, textScales)) return extractNumbers(text, textScales);
  return extractNumbers(`${title}\n${text}`, joinedScales(titleScales, textScales, title.length + 1));
}

/**
 * Tells whether the numbers of an ASCII `${title}\n${text}` are those of the text alone, when the title has no word of
 * scale: the title has no digit (so no number of its own, nor one whose separator or following words reach into the
 * text), the text's first digit is at least BEFORE_WINDOW characters in (so no window before a number reaches back
 * into the title), and the text opens with no whitespace and no word of scale (so the look back from a word of scale
 * for a spelled number stops within the text).
 */
function standsAlone(title: string, text: string, textScales: Int32Array): boolean {
  if (text.length === 0 || isSpace(text.charCodeAt(0)) || (textScales.length > 0 && textScales[0] === 0)) return false;
  for (let i = 0; i < title.length; i++) if (isDigit(title.charCodeAt(i))) return false;
  const near = Math.min(text.length, BEFORE_WINDOW);
  for (let i = 0; i < near; i++) if (isDigit(text.charCodeAt(i))) return false;
  return true;
}

/**
 * The positions of the words of scale of `${title}\n${text}` from those of the title and of the text (the text's moved
 * by `offset`, where it starts); undefined unless both are known.
 */
function joinedScales(title: Int32Array | undefined, text: Int32Array | undefined, offset: number): Int32Array | undefined {
  if (title === undefined || text === undefined) return undefined;
  if (text.length === 0) return title;
  const out = new Int32Array(title.length + text.length);
  out.set(title);
  for (let k = 0; k < text.length; k++) out[title.length + k] = (text[k] as number) + offset;
  return out;
}

/**
 * Small numbers as words in the languages of the feeds (folded), read only before a word of scale: "zehn Milliarden"
 * is the "10 billion" of the English version, while a spelled number before any other word is too common to read.
 */
export const NUMBER_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', eleven: '11', twelve: '12',
    eine: '1', ein: '1', zwei: '2', drei: '3', vier: '4', funf: '5', sechs: '6', sieben: '7', acht: '8', neun: '9', zehn: '10', elf: '11', zwolf: '12',
    une: '1', deux: '2', trois: '3', quatre: '4', cinq: '5', sept: '7', huit: '8', neuf: '9', dix: '10', onze: '11', douze: '12',
    una: '1', dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9', diez: '10', doce: '12',
    dwa: '2', trzy: '3', cztery: '4', piec: '5', szesc: '6', siedem: '7', osiem: '8', dziewiec: '9', dziesiec: '10',
    iki: '2', uc: '3', dort: '4', bes: '5', alti: '6', yedi: '7', sekiz: '8', dokuz: '9',
  }),
);

/**
 * The words of scale (COUNT_KINDS words counting millions or billions), whole words; the spelled number before one is
 * read back from it by hand: searching for the few scale words and looking back is several times cheaper than
 * searching for every number word, and this runs on every article.
 */
export const SCALE_WORDS: readonly string[] = [...COUNT_KINDS].filter(([, kind]) => kind === 'million' || kind === 'billion').map(([word]) => word);
const SCALE_RE = new RegExp(`(?<![a-z])(${SCALE_WORDS.join('|')})(?![a-z])`, 'gi');

/** Longest spelled number, so a longer word before a scale is not cut out and looked up. */
const LONGEST_NUMBER_WORD = Math.max(...[...NUMBER_WORDS.keys()].map((word) => word.length));

/**
 * Appends the spelled numbers of scale ("zehn Milliarden" → 10 billion) to the numbers found, in text order: what
 * /(?<![a-z])(<number word>)\s+(<scale word>)(?![a-z])/gi finds. `scales`, when given, lists where SCALE_RE matches
 * after whitespace, in order (see extractNumbers); else SCALE_RE searches the text.
 */
function readSpelledScales(src: string, out: CountedNumber[], scales: Int32Array | undefined): void {
  if (scales !== undefined) {
    for (let k = 0; k < scales.length; k++) {
      const at = scales[k] as number;
      let end = at;
      while (end < src.length && isLetter(src.charCodeAt(end))) end++;
      readSpelledScale(src, at, src.slice(at, end), out);
    }
    return;
  }
  // exec rather than matchAll: no iterator per text (this runs for every article).
  SCALE_RE.lastIndex = 0;
  for (let m = SCALE_RE.exec(src); m !== null; m = SCALE_RE.exec(src)) readSpelledScale(src, m.index, m[1] as string, out);
}

/** Appends the spelled number before the scale word `scale` found at `at`, if one stands there, a space or more apart. */
function readSpelledScale(src: string, at: number, scale: string, out: CountedNumber[]): void {
  let i = at;
  while (i > 0 && isSpace(src.charCodeAt(i - 1))) i--;
  if (i === at) return;
  const wordEnd = i;
  while (i > 0 && isLetter(src.charCodeAt(i - 1))) i--;
  if (wordEnd - i < 2 || wordEnd - i > LONGEST_NUMBER_WORD) return;
  const value = NUMBER_WORDS.get(src.slice(i, wordEnd).toLowerCase());
  if (value !== undefined) out.push({ value, kind: COUNT_KINDS.get(scale.toLowerCase()) as string });
}

/** Tells whether one or two digits name a day of a month: 1 to 31. */
function isDay(value: string): boolean {
  const day = value.length === 1 ? value.charCodeAt(0) - 48 : (value.charCodeAt(0) - 48) * 10 + value.charCodeAt(1) - 48;
  return day >= 1 && day <= 31;
}

/** A day without its leading zero ("05" → "5"). */
function dayValue(value: string): string {
  return value.length === 2 && value.charCodeAt(0) === 48 ? value.slice(1) : value;
}

/** /^\s*(?:year|jahr|ano|an)/ on src[from, limit): a prefix test, so "and" and "annual" pass too. */
function startsWithYear(src: string, from: number, limit: number): boolean {
  let i = from;
  while (i < limit && isSpace(src.charCodeAt(i))) i++;
  // "ano" starts with "an", so it needs no test of its own.
  return spellsAt(src, i, limit, 'year') || spellsAt(src, i, limit, 'jahr') || spellsAt(src, i, limit, 'an');
}

/**
 * The kind of a number read from the words around it: src[beforeStart, beforeEnd) is the window before the number,
 * src[afterStart, afterEnd) the window after it. A word cut by a window's edge stays cut.
 */
function numberWithKind(value: string, src: string, beforeStart: number, beforeEnd: number, afterStart: number, afterEnd: number): CountedNumber {
  // A day is 1 to 31 ("im April 50 000 Stück" is no date), read without a leading zero ("05. April" is April 5).
  const dayOfMonth = isShortDigits(value, 2) && isDay(value);
  // /([a-z]+)\s*$/ on the window before: the last word, with only whitespace after it. When there is one,
  // /([a-z]+)\.?\s*$/ finds the same word; else that one looks for a word ending in a point ("Mar. 3").
  let i = beforeEnd;
  while (i > beforeStart && isSpace(src.charCodeAt(i - 1))) i--;
  let wordEnd = i;
  // The word before a point is read in a second round of the same steps: steps of its own, first met late in a run
  // (dates written "Mar. 3" are rare), threw away this function's optimized code.
  let pointAfterWord = false;
  for (;;) {
    i = wordEnd;
    while (i > beforeStart && isLetter(src.charCodeAt(i - 1))) i--;
    const point = i - 1;
    if (pointAfterWord || i !== wordEnd || !dayOfMonth || point < beforeStart || src.charCodeAt(point) !== 46) break;
    pointAfterWord = true;
    wordEnd = point;
  }
  if (i < wordEnd) {
    const before = roleOf(src, i, wordEnd);
    if (before?.kindBefore !== undefined && !pointAfterWord) return { value, kind: before.kindBefore };
    if (before?.date !== undefined && dayOfMonth) return { value: dayValue(value), kind: before.date };
  }
  // /^\.\s+([a-z]+)/ on the window after a day: German and Polish write the day as an ordinal ("20. Februar").
  if (dayOfMonth && afterStart < afterEnd && src.charCodeAt(afterStart) === 46) {
    let k = afterStart + 1;
    while (k < afterEnd && isSpace(src.charCodeAt(k))) k++;
    const wordStart = k;
    while (k < afterEnd && isLetter(src.charCodeAt(k))) k++;
    if (wordStart > afterStart + 1 && k > wordStart) {
      const month = roleOf(src, wordStart, k)?.date;
      if (month !== undefined) return { value: dayValue(value), kind: month };
    }
  }
  // /^\s*(%|[a-z]+)(?:\s+([a-z]+))?/ on the window after: the next word (or '%') and, only when that one is a function
  // word, the word after it.
  i = afterStart;
  while (i < afterEnd && isSpace(src.charCodeAt(i))) i++;
  let start = i;
  if (i < afterEnd && src.charCodeAt(i) === 37) i++;
  else while (i < afterEnd && isLetter(src.charCodeAt(i))) i++;
  for (let candidate = 0; candidate < 2 && i > start; candidate++) {
    const after = roleOf(src, start, i);
    if (after === undefined) break;
    // "80 km/h" is a speed, not a distance: a speed limit and a road network's length do not contradict.
    if (after.countKind === 'distance' && after.word === 'km' && i + 1 < afterEnd && src.charCodeAt(i) === 47 && (src.charCodeAt(i + 1) | 32) === 104) return { value, kind: 'speed' };
    if (after.countKind !== undefined) return { value, kind: after.countKind };
    if (after.date !== undefined && dayOfMonth) return { value: dayValue(value), kind: after.date };
    if (!after.stop) break;
    // (?:\s+([a-z]+))?: the second word needs whitespace before it.
    wordEnd = i;
    while (i < afterEnd && isSpace(src.charCodeAt(i))) i++;
    if (i === wordEnd) break;
    start = i;
    while (i < afterEnd && isLetter(src.charCodeAt(i))) i++;
  }
  return { value };
}

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

const WORD_RE = /[\p{L}\p{N}]+/gu;
const COMBINING_MARKS_RE = /\p{M}/gu;
const NUMBER_RE = /(\d+(?:[.,]\d+)*)(?:\s*[-–:]\s*(\d+)(?![.,]?\d))?/g;

/**
 * Count nouns and units in the languages of the feeds: a number before one of these counts that kind of thing, so two
 * reports giving different counts of the same kind contradict each other.
 */
const COUNT_KINDS: ReadonlyMap<string, string> = new Map(
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
    passengers: 'passenger', soldiers: 'soldier', children: 'child', kinder: 'child', students: 'student',
    workers: 'worker', jobs: 'job', homes: 'home', houses: 'home', cases: 'case', flights: 'flight',
    kilometres: 'distance', kilometers: 'distance', km: 'distance', miles: 'distance', kilometer: 'distance',
  }),
);

/** Kinds named before their number ("magnitude 5.8", "Stärke 5,8"). */
const KINDS_BEFORE: ReadonlyMap<string, string> = new Map(
  Object.entries({ magnitude: 'magnitude', starke: 'magnitude', magnitud: 'magnitude', magnitudes: 'magnitude' }),
);

const MONTHS: ReadonlyMap<string, string> = new Map(
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

/** Normalizes a written number: thousands separators dropped, a decimal comma read as a point. */
function normalizeNumber(raw: string): string {
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(raw)) return raw.replace(/[.,]/g, '');
  return raw.replace(',', '.').replace(/\.0+$/, '');
}

/** Finds the numbers of a text, with the kind each one counts (a count noun after it, a month before it, a score). */
export function extractNumbers(text: string): CountedNumber[] {
  const out: CountedNumber[] = [];
  const folded = NON_ASCII_RE.test(text) ? foldText(text) : text.toLowerCase();
  for (const match of folded.matchAll(NUMBER_RE)) {
    const index = match.index ?? 0;
    const first = normalizeNumber(match[1] ?? '');
    const second = match[2];
    const before = folded.slice(Math.max(0, index - 12), index);
    const after = folded.slice(index + match[0].length, index + match[0].length + 24);
    const sep = /[-–:]/.exec(match[0].slice(match[1]?.length ?? 0))?.[0];
    if (sep === ':' && second !== undefined && second.length === 2) {
      // "7:53 p.m." is a clock time, not a result; times of day say little about identity.
      continue;
    }
    if (second !== undefined && /^\d{1,3}$/.test(first) && /^\d{1,3}$/.test(second) && !/^\s*(?:year|jahr|ano|an)/.test(after)) {
      // "3-1", "2:0": a result; the pair is one value (RFC-free convention of sports reporting).
      out.push({ value: `${first}-${second}`, kind: 'score' });
      continue;
    }
    out.push(numberWithKind(first, before, after));
    if (second !== undefined) out.push(numberWithKind(normalizeNumber(second), '', after));
  }
  return out;
}

function numberWithKind(value: string, before: string, after: string): CountedNumber {
  const wordBefore = /([a-z]+)\s*$/.exec(before)?.[1];
  if (wordBefore !== undefined && KINDS_BEFORE.has(wordBefore)) return { value, kind: KINDS_BEFORE.get(wordBefore) as string };
  const monthBefore = /([a-z]+)\.?\s*$/.exec(before)?.[1];
  const month = monthBefore === undefined ? undefined : MONTHS.get(monthBefore);
  if (month !== undefined && /^\d{1,2}$/.test(value)) return { value, kind: `date:${month}` };
  const next = /^\s*(%|[a-z]+)(?:\s+([a-z]+))?/.exec(after);
  for (const candidate of [next?.[1], next?.[2]]) {
    if (candidate === undefined) continue;
    const kind = COUNT_KINDS.get(candidate);
    if (kind !== undefined) return { value, kind };
    const monthAfter = MONTHS.get(candidate);
    if (monthAfter !== undefined && /^\d{1,2}$/.test(value)) return { value, kind: `date:${monthAfter}` };
    if (!STOPWORDS.has(candidate)) break;
  }
  return { value };
}

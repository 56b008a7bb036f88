import { STOPWORDS } from './stopwords.js';

/** A word of a text: folded lower-case form, its light stem, and whether it was written capitalised. */
export interface Word {
  folded: string;
  stem: string;
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
const SENTENCE_END_RE = /[.!?…:"“”»«\n]\s*$/;

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
  }),
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

/** Reduces an English-ish word to a light stem so that "files", "filed" and "filing" meet. */
export function lightStem(word: string): string {
  const n = word.length;
  if (n <= 3 || /\d/.test(word)) return word;
  if (n > 5 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (n > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (n > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (n > 4 && word.endsWith('es') && /(?:ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  if (n > 4 && word.endsWith('e')) return word.slice(0, -1);
  return word;
}

/** Splits a text into words with their folded form, stem and capitalisation. */
export function splitWords(text: string): Word[] {
  const out: Word[] = [];
  const decomposed = text.normalize('NFKD').replace(COMBINING_MARKS_RE, '');
  let previousEnd = 0;
  for (const match of decomposed.matchAll(WORD_RE)) {
    const raw = match[0];
    const index = match.index ?? 0;
    const gap = decomposed.slice(previousEnd, index);
    previousEnd = index + raw.length;
    if (raw.length < 2 && !/\d/.test(raw)) continue;
    const folded = raw.toLowerCase().replace(/ß/g, 'ss');
    const first = raw.charCodeAt(0);
    const capital = raw[0] !== folded[0] || (first >= 65 && first <= 90);
    out.push({ folded, stem: lightStem(folded), capital, sentenceStart: out.length === 0 || SENTENCE_END_RE.test(gap) });
  }
  return out;
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
  const initial = new Set<string>();
  for (const w of words) {
    if (!w.capital || w.folded.length < 2 || STOPWORDS.has(w.folded) || /^\d+$/.test(w.folded)) continue;
    if (w.sentenceStart) initial.add(w.folded);
    else names.add(w.folded);
  }
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
  const folded = foldText(text);
  for (const match of folded.matchAll(NUMBER_RE)) {
    const index = match.index ?? 0;
    const first = normalizeNumber(match[1] ?? '');
    const second = match[2];
    const before = folded.slice(Math.max(0, index - 12), index);
    const after = folded.slice(index + match[0].length, index + match[0].length + 24);
    if (second !== undefined && /^\d{1,2}$/.test(first) && /^\d{1,2}$/.test(second) && !/^\s*(?:year|jahr|ano|an)/.test(after)) {
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

import { titleBigrams, type TitleBigrams } from './title-bigrams.js';
import type { Article } from '../model/article.js';
import { combineHash, fnv1a } from './hash.js';
import { parseTimeMs } from '../model/iso-time.js';
import { minhashSignature, SetProbe, sortUnique, writeBandKeys } from './minhash.js';
import { scanStemmedText, scanText } from './scan-text.js';
import { wordStemsFor } from './snowball-stems.js';
import { topK } from './top-k.js';
import { extractNumbers, extractTitleTextNumbers, foldText } from './text-features.js';
import { nameKeyMap, undeclinedKey } from './name-keys.js';
import { withoutAgencyLines } from './agency-lines.js';
import { CrossLanguageCounter, type CrossLanguageVector } from './cross-language.js';

/** Salts that keep the hash spaces of the different key kinds apart. */
export const SALT_TOKEN = 0x7101;
export const SALT_ENTITY = 0xe177;
export const SALT_NUMBER = 0x4e55;
const SALT_SHINGLE = 0x5419;

const ASCII_RE = /^[\x00-\x7f]*$/;

/** A body shorter than this many words is treated as absent: headline-only items compare by title. */
export const MIN_BODY_WORDS = 25;
/** At most this many names of one article become blocking keys (the most mentioned first). */
export const MAX_ENTITY_KEYS = 16;

/** What clustering needs of one article, computed once when it enters the index. */
export interface ArticleFeatures {
  timeMs: number;
  /** False when the article has no publication date: its time is only when it was seen, no evidence of when it happened. */
  timeKnown: boolean;
  language: string;
  truncated: boolean;
  /** Folded title for Dice similarity. */
  titleKey: string;
  /** The title key's bigrams, prepared once for Dice similarity. */
  titleBigrams: TitleBigrams;
  /** Sorted unique hashes of the title's content-word stems. */
  titleTokens: Int32Array;
  hasBody: boolean;
  /** Distinct hashes of the word shingles (content-word stems) of the body, in order of first occurrence. */
  shingles: Int32Array;
  /** LSH band keys of the body's MinHash signature (the signature itself is not kept); undefined without a body. */
  bandKeys: Int32Array | undefined;
  /** Names, ASCII-folded, sorted. */
  entities: string[];
  entityHashes: Int32Array;
  /** Names used as blocking keys (most mentioned first), hashed. */
  entityKeys: Int32Array;
  /** Distinct significant numbers (two or more digits, or counted). */
  numbers: string[];
  numberHashes: Int32Array;
  /**
   * Hashes of the numbers that single out a story (see isDistinctiveNumber): what one shared number needs to be to
   * support two bodies in different languages.
   */
  distinctiveNumberHashes: Int32Array;
  /** Values per counted kind, for the evidence of a contradiction. */
  counts: Map<string, Set<string>>;
  /**
   * The counts that can contradict (dates left out) as (kind hash, value, unit) triples sorted by kind then value:
   * what the contradiction check merges. The unit is the precision the value is written with (1 for "46", 0.1 for
   * "46.6"; 0 for a score, which only agrees exactly).
   */
  countKinds: Int32Array;
  countValues: Float64Array;
  countUnits: Float64Array;
  /** The title's and body's words as keys that cross languages (see cross-language.ts); undefined without a body. */
  crossLanguage: CrossLanguageVector | undefined;
}

/** Options that shape the features. */
export interface FeatureOptions {
  shingleSize: number;
  /** LSH bands and rows per band of the MinHash signature (bands × rows slots). */
  bands: number;
  rows: number;
}

/** Reads the article's time: published when known, else first seen; NaN-safe (0 when neither parses). */
export function articleTimeMs(article: Article): number {
  const published = article.published === undefined ? Number.NaN : parseTimeMs(article.published);
  if (Number.isFinite(published)) return published;
  const seen = parseTimeMs(article.firstSeen);
  return Number.isFinite(seen) ? seen : 0;
}

/**
 * Hashes the word shingles of `count` stem hashes into distinct values in order of first occurrence (a hash set drops
 * repeats; no sort is needed, as shingles are compared by probing, see SetProbe). No shingle string is ever built. The
 * values land in shingleBuffer (scratch, overwritten by the next call); returns how many.
 */
function shingleHashes(stemHashes: Int32Array, count: number, size: number): number {
  if (count === 0) return 0;
  if (count < size) {
    let h = SALT_SHINGLE;
    for (let i = 0; i < count; i++) h = combineHash(h, stemHashes[i] as number);
    shingleBuffer[0] = h;
    return 1;
  }
  const total = count - size + 1;
  if (shingleBuffer.length < total) shingleBuffer = new Int32Array(total * 2);
  const out = shingleBuffer;
  seen.clear(total);
  let n = 0;
  for (let i = 0; i < total; i++) {
    let h = SALT_SHINGLE;
    for (let j = 0; j < size; j++) h = combineHash(h, stemHashes[i + j] as number);
    if (seen.insert(h | 0)) out[n++] = h;
  }
  return n;
}

/** Scratch of computeFeatures: the cross-language words of the title and body, counted by their scans. */
const crossCounter = new CrossLanguageCounter();

/** Scratch of shingleHashes: the set of shingles seen, and the distinct ones in order. */
const seen = new SetProbe();
let shingleBuffer = new Int32Array(1024);

/** Scratch of computeFeatures: the MinHash signature, read only for its band keys. */
let signature = new Int32Array(64);

/**
 * The long lists of an article (its shingles and cross-language vector) are views carved one after another out of a
 * shared buffer, LIST_SLAB_INTS values at a time: a typed array of more than 64 bytes is an allocation outside the
 * heap, which costs microseconds in a process that holds many, while a view into a buffer costs next to nothing. A
 * buffer lives as long as a list carved from it; the story index copies the lists into its store and drops them.
 */
const LIST_SLAB_INTS = 1 << 14;
let listSlab = new ArrayBuffer(0);
/** The values of listSlab, and how many are carved out. */
let listSlabInts = 0;
let listSlabUsed = 0;

/** Sets aside `ints` 32-bit values of listSlab (a new one when it is full); returns where they start, in values. */
function carveLists(ints: number): number {
  if (listSlabUsed + ints > listSlabInts) {
    listSlabInts = Math.max(LIST_SLAB_INTS, ints);
    listSlab = new ArrayBuffer(4 * listSlabInts);
    listSlabUsed = 0;
  }
  const at = listSlabUsed;
  listSlabUsed += ints;
  return at;
}

/** Whitespace a folded title keeps other than single spaces between words: a run, another kind, or one at an end. */
const UNEVEN_SPACE_RE = /\s\s|[^\S ]|^\s|\s$/;

/** Collapses whitespace runs to one space and trims (what .replace(/\s+/g, ' ').trim() does), copying only when needed. */
function singleSpaced(text: string): string {
  return UNEVEN_SPACE_RE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

/** Tells whether a counted kind is a date: a date says when, not how many, and two reports may date one event a day apart. */
export function isDateKind(kind: string): boolean {
  return kind.startsWith('date:');
}

/**
 * Kinds that are scales rather than things counted: an article gives percentages and sums of many different
 * quantities ("EUR1bn (USD1.2bn)" of market value, "1,5 Milliarden" of revenue), so two different values of them say
 * nothing against one story; an equal value still speaks for it.
 */
const SCALE_KINDS: readonly string[] = ['percent', 'million', 'billion'];

/** Tells whether a counted kind can contradict: not a date, not a scale. */
export function canContradict(kind: string): boolean {
  return !isDateKind(kind) && !SCALE_KINDS.includes(kind);
}

/** The kind hashes (as in countKinds) of the kinds that cannot contradict though they can agree: the scales. */
export const SCALE_KIND_HASHES: ReadonlySet<number> = new Set(SCALE_KINDS.map((kind) => fnv1a(kind, SALT_NUMBER) | 0));

/** Reads a counted value as a number and the precision it is written with; a score "3-1" as one exact value. */
export function countValueOf(value: string): { value: number; unit: number } {
  const dash = value.indexOf('-');
  if (dash >= 0) return { value: Number(value.slice(0, dash)) * 10_000 + Number(value.slice(dash + 1)), unit: 0 };
  const point = value.indexOf('.');
  return { value: Number(value), unit: point < 0 ? 1 : 10 ** -(value.length - point - 1) };
}

/** The triples of an article with no counted number: lists of nothing, shared, as nothing can be written to them. */
const NO_TRIPLES = { kinds: new Int32Array(0), values: new Float64Array(0), units: new Float64Array(0) };

/** The counted numbers that can contradict as (kind hash, value, unit) triples sorted by kind, then value. */
function countTriples(counts: Map<string, Set<string>>): { kinds: Int32Array; values: Float64Array; units: Float64Array } {
  // Flat (kind, value, unit) triples, sorted by insertion (an article counts a few): no array per triple.
  const flat: number[] = [];
  // forEach rather than for-of over entries: no [key, value] pair per entry (this runs for every article).
  counts.forEach((values, kind) => {
    if (isDateKind(kind)) return;
    // As int32, the order the merge in countConflicts compares by.
    const k = fnv1a(kind, SALT_NUMBER) | 0;
    values.forEach((v) => {
      const c = countValueOf(v);
      let at = flat.length;
      flat.push(k, c.value, c.unit);
      for (; at > 0 && tripleAfter(flat, at - 3, k, c.value, c.unit); at -= 3) {
        flat[at] = flat[at - 3] as number;
        flat[at + 1] = flat[at - 2] as number;
        flat[at + 2] = flat[at - 1] as number;
      }
      flat[at] = k;
      flat[at + 1] = c.value;
      flat[at + 2] = c.unit;
    });
  });
  const n = flat.length / 3;
  if (n === 0) return NO_TRIPLES;
  const kinds = new Int32Array(n);
  const values = new Float64Array(n);
  const units = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    kinds[t] = flat[3 * t] as number;
    values[t] = flat[3 * t + 1] as number;
    units[t] = flat[3 * t + 2] as number;
  }
  return { kinds, values, units };
}

/** Whether the triple at flat[at] comes after (kind, value, unit), by kind, then value, then unit. */
function tripleAfter(flat: readonly number[], at: number, kind: number, value: number, unit: number): boolean {
  const k = flat[at] as number;
  if (k !== kind) return k > kind;
  const v = flat[at + 1] as number;
  if (v !== value) return v > value;
  return (flat[at + 2] as number) > unit;
}

/**
 * Sorts a few distinct strings in place by code units (what sort() does), by insertion: the names and numbers of one
 * article are a handful, and sort() allocates its own working state each call.
 */
function sortStrings(list: string[]): string[] {
  for (let i = 1; i < list.length; i++) {
    const s = list[i] as string;
    let j = i;
    for (; j > 0 && (list[j - 1] as string) > s; j--) list[j] = list[j - 1] as string;
    list[j] = s;
  }
  return list;
}

/**
 * Tells whether a number found in a text singles out a story: a counted figure ("500 million", "12 dead"), a decimal
 * ("1.6"), or three digits or more that are not a year. Years, dates and bare one- or two-digit numbers (ages,
 * "Covid-19") recur across unrelated stories of the same days.
 */
export function isDistinctiveNumber(value: string, kind: string | undefined): boolean {
  if (kind !== undefined) return !isDateKind(kind);
  if (value.includes('.')) return true;
  const digits = digitCount(value);
  if (digits < 3) return false;
  return !(digits === 4 && value.length === 4 && (value.startsWith('19') || value.startsWith('20')));
}

/** Orders names: the most mentioned as parts of multi-word names first, then the most mentioned, alphabetical among equals. */
function nameOrder(x: [string, number, number, number], y: [string, number, number, number]): number {
  return y[2] - x[2] || y[1] - x[1] || (x[0] < y[0] ? -1 : 1);
}

/** The hashes of names with their mentions, in order (a loop: Int32Array.from with a map function walks an iterator). */
function hashesOf(named: readonly [string, number, number, number][]): Int32Array {
  const out = new Int32Array(named.length);
  for (let i = 0; i < named.length; i++) out[i] = (named[i] as [string, number, number, number])[3];
  return out;
}

/** The salted hashes of number strings, in their order (a loop, as in hashesOf). */
function numberHashesOf(values: readonly string[] | ReadonlySet<string>): Int32Array {
  const out = new Int32Array(values instanceof Set ? values.size : (values as readonly string[]).length);
  let i = 0;
  for (const value of values) out[i++] = fnv1a(value, SALT_NUMBER);
  return out;
}

/** Counts the ASCII digits of a string. */
function digitCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** What the story index reads of an article: its features but the title's bigrams (it compares titles through TitleProbe). */
export type IndexFeatures = Omit<ArticleFeatures, 'titleBigrams'>;

/** Computes the features of an article once: tokens, shingles, MinHash signature, names and numbers. */
export function computeFeatures(article: Article, options: FeatureOptions): ArticleFeatures {
  const f = computeIndexFeatures(article, options);
  // Field by field, in the order the features always had (tests pin digests of them).
  return {
    timeMs: f.timeMs,
    timeKnown: f.timeKnown,
    language: f.language,
    truncated: f.truncated,
    titleKey: f.titleKey,
    titleBigrams: titleBigrams(f.titleKey),
    titleTokens: f.titleTokens,
    hasBody: f.hasBody,
    shingles: f.shingles,
    bandKeys: f.bandKeys,
    entities: f.entities,
    entityHashes: f.entityHashes,
    entityKeys: f.entityKeys,
    numbers: f.numbers,
    numberHashes: f.numberHashes,
    distinctiveNumberHashes: f.distinctiveNumberHashes,
    counts: f.counts,
    countKinds: f.countKinds,
    countValues: f.countValues,
    countUnits: f.countUnits,
    crossLanguage: f.crossLanguage,
  };
}

/** Computes what the story index reads of an article (computeFeatures without the title's bigrams). */
export function computeIndexFeatures(article: Article, options: FeatureOptions): IndexFeatures {
  // A title derived from the text (an item without one) is the body's first words, not a headline: it would count
  // the same words twice, and two untitled posts would match on their openings ("I", "Today", a greeting).
  const title = article.titleDerived === true ? '' : (article.title ?? '');
  // Agency datelines and credit lines are no part of what a story says (agency-lines.ts).
  const text = withoutAgencyLines(article.text ?? '');
  // The scan's hash buffer is shared: the title's hashes are copied out before the body is scanned.
  const titleScan = scanText(title, SALT_TOKEN, crossCounter);
  const titleHashes = titleScan.hashes.slice(0, titleScan.count);
  const names = titleScan.names;
  // A body in a language with a Snowball stemmer other than English is read through it (case endings and plurals
  // of inflected languages meet); English and the rest keep the scan's light stemmer.
  const stems = wordStemsFor(article.language || 'und', SALT_TOKEN);
  const bodyScan = stems === undefined ? scanText(text, SALT_TOKEN, crossCounter) : scanStemmedText(text, stems, crossCounter);
  const hasBody = bodyScan.words >= MIN_BODY_WORDS;
  const titleTokens = sortUnique(titleHashes.slice());
  const shingleCount = hasBody ? shingleHashes(bodyScan.hashes, bodyScan.count, options.shingleSize) : shingleHashes(titleHashes, titleHashes.length, options.shingleSize);
  // Both scans counted their cross-language words; only an article with a body keeps them.
  const crossCount = hasBody ? crossCounter.counted : 0;
  // The shingles and the cross-language vector, the two long lists of an article, are carved from a shared buffer.
  const at = carveLists(shingleCount + crossCount);
  const shingles = new Int32Array(listSlab, 4 * at, shingleCount);
  shingles.set(shingleBuffer.subarray(0, shingleCount));
  let crossLanguage: CrossLanguageVector | undefined;
  if (hasBody) crossLanguage = crossCounter.vector(new Uint32Array(listSlab, 4 * (at + shingleCount), crossCount));
  else crossCounter.clear();
  let bandKeys: Int32Array | undefined;
  if (hasBody && shingleCount > 0) {
    const slots = options.bands * options.rows;
    if (signature.length !== slots) signature = new Int32Array(slots);
    bandKeys = new Int32Array(options.bands);
    writeBandKeys(minhashSignature(shingles, slots, signature), options.bands, options.rows, bandKeys, 0);
  }

  // forEach rather than for-of over entries: no [key, value] pair per entry (this runs for every article).
  if (hasBody) bodyScan.names.forEach((n, name) => names.set(name, (names.get(name) ?? 0) + n));
  // A capitalised word the text also writes in lower case is a common word in a title or a label, not a name.
  titleScan.common.forEach((name) => names.delete(name));
  if (hasBody) bodyScan.common.forEach((name) => names.delete(name));
  // The title scan's maps are its own: the body's are added into them.
  const leads = titleScan.leads;
  if (hasBody) bodyScan.leads.forEach((n, name) => leads.set(name, (leads.get(name) ?? 0) + n));
  // Each name becomes its key: transliterated, undeclined, stopwords left out; mentions of one key add up.
  const language = article.language || 'und';
  const keyOf = nameKeyMap(names, language, leads);
  const keyed = new Map<string, number>();
  names.forEach((n, name) => {
    const key = keyOf.get(name);
    if (key !== undefined) keyed.set(key, (keyed.get(key) ?? 0) + n);
  });
  // Runs are counted under the undeclined key (the English one is nameKey, as the ranking always read it).
  const runKey = (name: string): string => undeclinedKey(name, language, leads.get(name) ?? 0);
  const runs = new Map<string, number>();
  titleScan.runs.forEach((n, name) => runs.set(runKey(name), n));
  if (hasBody) {
    bodyScan.runs.forEach((n, name) => {
      const key = runKey(name);
      runs.set(key, (runs.get(key) ?? 0) + n);
    });
  }
  const entities = sortStrings([...keyed.keys()]);
  // The story's subjects become the blocking keys: parts of multi-word names first (in German every noun is
  // capitalised, and the commonest nouns would otherwise take the slots), then the most mentioned.
  // Each name with its mentions, its mentions in multi-word names and its hash (taken once, for both lists of hashes).
  const mentions: [string, number, number, number][] = [];
  keyed.forEach((n, name) => mentions.push([name, n, runs.get(name) ?? 0, fnv1a(name, SALT_ENTITY) | 0]));
  const ranked = topK(mentions, mentions.length, MAX_ENTITY_KEYS, nameOrder);
  // The scans found the words of scale of the title and the body (when both are ASCII): the numbers' search for them is
  // not made again.
  const numbersFound = hasBody ? extractTitleTextNumbers(title, text, titleScan.scales, bodyScan.scales) : extractNumbers(title, titleScan.scales);
  const numberSet = new Set<string>();
  const distinctive = new Set<string>();
  const counts = new Map<string, Set<string>>();
  for (const n of numbersFound) {
    if (n.kind !== undefined) {
      let values = counts.get(n.kind);
      if (values === undefined) counts.set(n.kind, (values = new Set()));
      values.add(n.value);
    }
    if (n.kind !== undefined || digitCount(n.value) >= 2) numberSet.add(n.value);
    if (isDistinctiveNumber(n.value, n.kind)) distinctive.add(n.value);
  }
  const numbers = sortStrings([...numberSet]);
  const countKeys = countTriples(counts);
  // foldText's NFKD pass changes nothing in ASCII text, so an ASCII title is only lower-cased.
  const published = article.published === undefined ? Number.NaN : parseTimeMs(article.published);
  const titleKey = singleSpaced(ASCII_RE.test(title) ? title.toLowerCase() : foldText(title));
  return {
    timeMs: Number.isFinite(published) ? published : articleTimeMs(article),
    timeKnown: Number.isFinite(published),
    language: article.language || 'und',
    truncated: article.truncated === true,
    titleKey,
    titleTokens,
    hasBody,
    shingles,
    bandKeys,
    entities,
    entityHashes: sortUnique(hashesOf(mentions)),
    entityKeys: hashesOf(ranked),
    numbers,
    numberHashes: sortUnique(numberHashesOf(numbers)),
    distinctiveNumberHashes: sortUnique(numberHashesOf(distinctive)),
    counts,
    countKinds: countKeys.kinds,
    countValues: countKeys.values,
    countUnits: countKeys.units,
    crossLanguage,
  };
}

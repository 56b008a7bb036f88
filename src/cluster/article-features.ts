import { titleBigrams, type TitleBigrams } from './title-bigrams.js';
import type { Article } from '../model/article.js';
import { combineHash, fnv1a } from './hash.js';
import { minhashSignature, uniqueSorted, type Permutations } from './minhash.js';
import { extractNumbers, foldText, isNameCandidate, isStopword, lightStem, scanWords } from './text-features.js';

/** Salts that keep the hash spaces of the different key kinds apart. */
export const SALT_TOKEN = 0x7101;
export const SALT_ENTITY = 0xe177;
export const SALT_NUMBER = 0x4e55;
const SALT_SHINGLE = 0x5419;

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
  titleTokens: Uint32Array;
  hasBody: boolean;
  /** Sorted unique hashes of word shingles (content-word stems) of the body. */
  shingles: Uint32Array;
  signature: Uint32Array | undefined;
  /** Names, ASCII-folded, sorted. */
  entities: string[];
  entityHashes: Uint32Array;
  /** Names used as blocking keys (most mentioned first), hashed. */
  entityKeys: Uint32Array;
  /** Distinct significant numbers (two or more digits, or counted). */
  numbers: string[];
  numberHashes: Uint32Array;
  /** Values per counted kind, for contradiction checks. */
  counts: Map<string, Set<string>>;
}

/** Options that shape the features. */
export interface FeatureOptions {
  shingleSize: number;
  perms: Permutations;
  words: WordCache;
}

/** Reads the article's time: published when known, else first seen; NaN-safe (0 when neither parses). */
export function articleTimeMs(article: Article): number {
  const published = article.published === undefined ? Number.NaN : Date.parse(article.published);
  if (Number.isFinite(published)) return published;
  const seen = Date.parse(article.firstSeen);
  return Number.isFinite(seen) ? seen : 0;
}

/** What one distinct word contributes: whether it is a function word, and the hash of its stem. */
interface WordInfo {
  stop: boolean;
  stemHash: number;
}

/** Caches per-word work (stop check, stem, hash) across articles; cleared when it outgrows its bound. */
export class WordCache {
  private readonly map = new Map<string, WordInfo>();

  constructor(private readonly maxWords = 200_000) {}

  /** Returns the stop flag and stem hash of a folded word. */
  get(folded: string): WordInfo {
    let info = this.map.get(folded);
    if (info === undefined) {
      if (this.map.size >= this.maxWords) this.map.clear();
      info = { stop: isStopword(folded), stemHash: fnv1a(lightStem(folded), SALT_TOKEN) };
      this.map.set(folded, info);
    }
    return info;
  }
}

/** Content-word stem hashes, names with their mention counts, and the number of words of one text. */
interface ScannedText {
  hashes: number[];
  names: Map<string, number>;
  words: number;
}

function scanText(text: string, cache: WordCache): ScannedText {
  const scanned: ScannedText = { hashes: [], names: new Map(), words: 0 };
  scanWords(text, (folded, capital, sentenceStart) => {
    scanned.words++;
    const info = cache.get(folded);
    if (!info.stop) scanned.hashes.push(info.stemHash);
    if (isNameCandidate(folded, capital, sentenceStart, info.stop)) scanned.names.set(folded, (scanned.names.get(folded) ?? 0) + 1);
  });
  return scanned;
}

function shingleHashes(stemHashes: readonly number[], size: number): number[] {
  const out: number[] = [];
  if (stemHashes.length < size) {
    if (stemHashes.length > 0) out.push(stemHashes.reduce((h, x) => combineHash(h, x), SALT_SHINGLE));
    return out;
  }
  // Shingles are hashed from the words' hashes, so no shingle string is ever built.
  for (let i = 0; i + size <= stemHashes.length; i++) {
    let h = SALT_SHINGLE;
    for (let j = 0; j < size; j++) h = combineHash(h, stemHashes[i + j] as number);
    out.push(h);
  }
  return out;
}

/** Computes the features of an article once: tokens, shingles, MinHash signature, names and numbers. */
export function computeFeatures(article: Article, options: FeatureOptions): ArticleFeatures {
  const title = article.title ?? '';
  const text = article.text ?? '';
  const titleScan = scanText(title, options.words);
  const bodyScan = scanText(text, options.words);
  const hasBody = bodyScan.words >= MIN_BODY_WORDS;
  const titleHashes = titleScan.hashes;
  const titleTokens = uniqueSorted(titleHashes);
  const shingles = uniqueSorted(shingleHashes(hasBody ? bodyScan.hashes : titleHashes, options.shingleSize));
  const signature = hasBody && shingles.length > 0 ? minhashSignature(shingles, options.perms) : undefined;

  const names = titleScan.names;
  if (hasBody) for (const [name, n] of bodyScan.names) names.set(name, (names.get(name) ?? 0) + n);
  const entities = [...names.keys()].sort();
  // The most mentioned names are the story's subjects; they become the blocking keys.
  const ranked = [...names.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, MAX_ENTITY_KEYS).map((e) => e[0]);
  const numbersFound = extractNumbers(hasBody ? `${title}\n${text}` : title);
  const numberSet = new Set<string>();
  const counts = new Map<string, Set<string>>();
  for (const n of numbersFound) {
    if (n.kind !== undefined) {
      let values = counts.get(n.kind);
      if (values === undefined) counts.set(n.kind, (values = new Set()));
      values.add(n.value);
    }
    if (n.kind !== undefined || n.value.replace(/\D/g, '').length >= 2) numberSet.add(n.value);
  }
  const numbers = [...numberSet].sort();
  const titleKey = foldText(title).replace(/\s+/g, ' ').trim();
  return {
    timeMs: articleTimeMs(article),
    timeKnown: article.published !== undefined && Number.isFinite(Date.parse(article.published)),
    language: article.language || 'und',
    truncated: article.truncated === true,
    titleKey,
    titleBigrams: titleBigrams(titleKey),
    titleTokens,
    hasBody,
    shingles,
    signature,
    entities,
    entityHashes: uniqueSorted(entities.map((e) => fnv1a(e, SALT_ENTITY))),
    entityKeys: Uint32Array.from(ranked.map((e) => fnv1a(e, SALT_ENTITY))),
    numbers,
    numberHashes: uniqueSorted(numbers.map((n) => fnv1a(n, SALT_NUMBER))),
    counts,
  };
}

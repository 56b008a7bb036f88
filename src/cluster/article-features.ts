import type { Article } from '../model/article.js';
import { fnv1a } from './hash.js';
import { minhashSignature, uniqueSorted, type Permutations } from './minhash.js';
import { extractEntities, extractNumbers, foldText, isStopword, splitWords, type Word } from './text-features.js';

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
  language: string;
  truncated: boolean;
  /** Folded title for Dice similarity. */
  titleKey: string;
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
}

/** Reads the article's time: published when known, else first seen; NaN-safe (0 when neither parses). */
export function articleTimeMs(article: Article): number {
  const published = article.published === undefined ? Number.NaN : Date.parse(article.published);
  if (Number.isFinite(published)) return published;
  const seen = Date.parse(article.firstSeen);
  return Number.isFinite(seen) ? seen : 0;
}

function contentStems(words: readonly Word[]): string[] {
  const out: string[] = [];
  for (const w of words) if (!isStopword(w.folded)) out.push(w.stem);
  return out;
}

function shingleHashes(stems: readonly string[], size: number): number[] {
  const out: number[] = [];
  if (stems.length < size) {
    if (stems.length > 0) out.push(fnv1a(stems.join(' '), SALT_SHINGLE));
    return out;
  }
  for (let i = 0; i + size <= stems.length; i++) {
    let key = stems[i] as string;
    for (let j = 1; j < size; j++) key += ' ' + (stems[i + j] as string);
    out.push(fnv1a(key, SALT_SHINGLE));
  }
  return out;
}

function rankEntities(words: readonly Word[], entities: readonly string[]): string[] {
  const wanted = new Set(entities);
  const counts = new Map<string, number>();
  for (const w of words) if (wanted.has(w.folded)) counts.set(w.folded, (counts.get(w.folded) ?? 0) + 1);
  return [...counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map((e) => e[0]);
}

/** Computes the features of an article once: tokens, shingles, MinHash signature, names and numbers. */
export function computeFeatures(article: Article, options: FeatureOptions): ArticleFeatures {
  const title = article.title ?? '';
  const text = article.text ?? '';
  const titleWords = splitWords(title);
  const bodyWords = splitWords(text);
  const hasBody = bodyWords.length >= MIN_BODY_WORDS;
  const titleStems = contentStems(titleWords);
  const titleTokens = uniqueSorted(titleStems.map((s) => fnv1a(s, SALT_TOKEN)));
  const bodyStems = hasBody ? contentStems(bodyWords) : [];
  const shingles = uniqueSorted(shingleHashes(hasBody ? bodyStems : titleStems, options.shingleSize));
  const signature = hasBody && shingles.length > 0 ? minhashSignature(shingles, options.perms) : undefined;

  const allWords = hasBody ? titleWords.concat(bodyWords) : titleWords;
  const entities = extractEntities(allWords);
  const ranked = rankEntities(allWords, entities).slice(0, MAX_ENTITY_KEYS);
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
  return {
    timeMs: articleTimeMs(article),
    language: article.language || 'und',
    truncated: article.truncated === true,
    titleKey: foldText(title).replace(/\s+/g, ' ').trim(),
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

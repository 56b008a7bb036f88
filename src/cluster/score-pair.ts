import stringSimilarity from 'string-similarity';
import type { ArticleFeatures } from './article-features.js';
import { intersectSorted } from './minhash.js';

/** Weights and scales of the verification score; see TUNING.md for how they were chosen. */
export interface ScoreWeights {
  /** Weight of body resemblance/containment (or title-token overlap when a side has no body). */
  text: number;
  /** Weight of Dice similarity of titles. */
  title: number;
  /** Weight of rarity-weighted shared names. */
  entities: number;
  /** Weight of shared significant numbers. */
  numbers: number;
  /** Weight of the cosine between the title and the story's title centroid (headline path). */
  profile: number;
  /** Resemblance at which two bodies count as fully alike (rewrites of one wire story rarely pass 0.5). */
  fullResemblance: number;
  /** Scale of the name-and-number score between bodies in different languages. */
  crossLanguage: number;
  /** Subtracted per contradicting counted number (two at most). */
  conflictPenalty: number;
  /** Subtracted at the far end of the window; proportional to the hours apart. */
  timePenalty: number;
}

/** How one article compares with another, with the parts that make the score. */
export interface PairScore {
  score: number;
  resemblance?: number;
  containment?: number;
  titleSimilarity: number;
  titleTokens: number;
  entitySimilarity: number;
  sharedEntities: string[];
  sharedNumbers: string[];
  conflictingNumbers: string[];
  hoursApart: number;
  crossLanguage: boolean;
}

const MS_PER_HOUR = 3_600_000;

/** Weighs shared hashes by rarity: sum of weights of the intersection over the union (weighted Jaccard). */
export function weightedJaccard(a: Uint32Array, b: Uint32Array, weight: (hash: number) => number): { jaccard: number; overlap: number } {
  let i = 0;
  let j = 0;
  let shared = 0;
  let wa = 0;
  let wb = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Number.POSITIVE_INFINITY;
    const y = j < b.length ? (b[j] as number) : Number.POSITIVE_INFINITY;
    if (x === y) {
      const w = weight(x);
      shared += w;
      wa += w;
      wb += w;
      i++;
      j++;
    } else if (x < y) {
      wa += weight(x);
      i++;
    } else {
      wb += weight(y);
      j++;
    }
  }
  const union = wa + wb - shared;
  const smaller = Math.min(wa, wb);
  return { jaccard: union > 0 ? shared / union : 0, overlap: smaller > 0 ? shared / smaller : 0 };
}

function sharedStrings(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b);
  return a.filter((x) => set.has(x));
}

function conflicts(a: ArticleFeatures, b: ArticleFeatures): string[] {
  const out: string[] = [];
  for (const [kind, values] of a.counts) {
    const other = b.counts.get(kind);
    if (other === undefined) continue;
    let common = false;
    for (const v of values) if (other.has(v)) common = true;
    if (!common) out.push(`${kind}: ${[...values].join('/')} vs ${[...other].join('/')}`);
  }
  return out;
}

/** Scores how likely two articles report the same story, 0..1, from text, title, names, numbers and time. */
export function scorePair(
  a: ArticleFeatures,
  b: ArticleFeatures,
  idf: (hash: number) => number,
  weights: ScoreWeights,
  windowHours: number,
): PairScore {
  const titleSimilarity = a.titleKey.length > 1 && b.titleKey.length > 1 ? stringSimilarity.compareTwoStrings(a.titleKey, b.titleKey) : 0;
  const titleTokens = weightedJaccard(a.titleTokens, b.titleTokens, idf).jaccard;
  const ent = weightedJaccard(a.entityHashes, b.entityHashes, idf);
  const truncatedPair = a.truncated || b.truncated;
  const entitySimilarity = truncatedPair ? Math.max(ent.jaccard, ent.overlap * 0.8) : ent.jaccard;
  const sharedEntities = sharedStrings(a.entities, b.entities);
  const sharedNumbers = sharedStrings(a.numbers, b.numbers);
  const fewerNumbers = Math.min(a.numbers.length, b.numbers.length);
  const numberSimilarity = fewerNumbers > 0 ? sharedNumbers.length / fewerNumbers : 0;
  const conflictingNumbers = conflicts(a, b);
  const hoursApart = Math.abs(a.timeMs - b.timeMs) / MS_PER_HOUR;
  // Language detection on a headline alone is a guess, so only two bodies in different languages take the name path.
  const crossLanguage = a.hasBody && b.hasBody && a.language !== b.language && a.language !== 'und' && b.language !== 'und';

  let resemblance: number | undefined;
  let containment: number | undefined;
  let text: number;
  if (a.hasBody && b.hasBody) {
    const inter = intersectSorted(a.shingles, b.shingles);
    const na = a.shingles.length;
    const nb = b.shingles.length;
    resemblance = inter / (na + nb - inter);
    containment = inter / Math.min(na, nb);
    // Containment speaks only for an excerpt (flagged, or much shorter than the other); rewrites of the same
    // length are judged by resemblance.
    const excerpt = truncatedPair || Math.min(na, nb) < 0.6 * Math.max(na, nb);
    text = Math.max(Math.min(1, resemblance / weights.fullResemblance), excerpt ? containment : 0);
    text = Math.max(text, titleTokens * 0.8);
  } else {
    text = titleTokens;
  }

  let score: number;
  if (crossLanguage) {
    // Different languages share no words; names and numbers are the language-independent evidence.
    // The overlap coefficient (not Jaccard) because German capitalises every noun, inflating one side's names.
    // Two shared significant numbers at least: names alone also match a different event about the same people.
    const numberSupport = sharedNumbers.length >= 2 ? numberSimilarity : 0;
    score = weights.crossLanguage * (0.6 * ent.overlap + 0.4 * numberSupport);
  } else {
    score = weights.text * text + weights.title * titleSimilarity + weights.entities * entitySimilarity + weights.numbers * numberSimilarity;
  }
  score -= weights.conflictPenalty * Math.min(2, conflictingNumbers.length);
  score -= weights.timePenalty * Math.min(1, hoursApart / Math.max(1, windowHours));
  score = Math.max(0, Math.min(1, score));
  const result: PairScore = {
    score,
    titleSimilarity,
    titleTokens,
    entitySimilarity,
    sharedEntities,
    sharedNumbers,
    conflictingNumbers,
    hoursApart,
    crossLanguage,
  };
  if (resemblance !== undefined) result.resemblance = resemblance;
  if (containment !== undefined) result.containment = containment;
  return result;
}

import { titleDice } from './title-bigrams.js';
import { canContradict, countValueOf, SCALE_KIND_HASHES, type ArticleFeatures } from './article-features.js';
import { intersectSorted, SetProbe } from './minhash.js';
import { crossLanguageCosine } from './cross-language.js';

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
  /** Weight of the cross-language text cosine above crossTextFloor, between bodies in two languages. */
  crossText: number;
  /** Cross-language cosine that any two texts reach by chance (shared skeletons of unrelated words); only what is above it counts. */
  crossTextFloor: number;
  /** Subtracted per contradicting counted kind (MAX_CONFLICTS_COUNTED at most). */
  conflictPenalty: number;
  /** Subtracted at the far end of the window; proportional to the hours apart. */
  timePenalty: number;
  /**
   * Text score two bodies in one language need before their shared names and numbers count: below it only the body
   * and a strong title speak (see TUNING.md, "Evidence that means the same story").
   */
  minTextAgreement: number;
  /** Title Dice that counts as a strong title match when the bodies barely agree. */
  strongTitle: number;
}

/** How one article compares with another, with the parts that make the score. */
export interface PairScore {
  score: number;
  resemblance?: number;
  containment?: number;
  titleSimilarity: number;
  titleTokens: number;
  entitySimilarity: number;
  /** Counted kinds whose values contradict (conflictingNumbers lists them for evidence). */
  conflicts: number;
  /** Hours between the two publication dates; NaN when either is undated. */
  hoursApart: number;
  crossLanguage: boolean;
  /** Between bodies in two languages: the cosine of their cross-language vectors, and the names and number support they share. */
  crossText?: number;
  sharedNames?: number;
  numberSupport?: number;
}

const MS_PER_HOUR = 3_600_000;
/** Names two bodies in different languages must share before anything else they share counts (semeval-dev: every same-story pair shares two or more). */
const MIN_CROSS_LANGUAGE_NAMES = 2;
/** Contradicting kinds counted against a pair; three different counts (magnitude, people, distance) mean another event. */
export const MAX_CONFLICTS_COUNTED = 3;

/** Rarity weights of one article's title tokens and names, aligned with its sorted hash arrays. */
export interface RarityWeights {
  title: Float64Array;
  entities: Float64Array;
}

/**
 * Weighs shared hashes by rarity: sum of weights of the intersection over the union (weighted Jaccard), and over the
 * lighter side (weighted overlap). Each side brings its own weights so no lookup happens per pair.
 */
export function weightedJaccard(a: Int32Array, wa: Float64Array, b: Int32Array, wb: Float64Array): { jaccard: number; overlap: number } {
  let i = 0;
  let j = 0;
  let shared = 0;
  let onlyA = 0;
  let onlyB = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared += wa[i] as number;
      i++;
      j++;
    } else if (x < y) onlyA += wa[i++] as number;
    else onlyB += wb[j++] as number;
  }
  while (i < a.length) onlyA += wa[i++] as number;
  while (j < b.length) onlyB += wb[j++] as number;
  const union = shared + onlyA + onlyB;
  const smaller = Math.min(shared + onlyA, shared + onlyB);
  return { jaccard: union > 0 ? shared / union : 0, overlap: smaller > 0 ? shared / smaller : 0 };
}

/**
 * Lists the names and numbers two articles share, and the counts that contradict: evidence for the one pair a
 * decision reports, not needed to score.
 */
export function sharedEvidence(a: ArticleFeatures, b: ArticleFeatures): { sharedEntities: string[]; sharedNumbers: string[]; conflictingNumbers: string[] } {
  return { sharedEntities: sharedStrings(a.entities, b.entities), sharedNumbers: sharedStrings(a.numbers, b.numbers), conflictingNumbers: conflictingNumbers(a, b) };
}

/** The strings two sorted (code-unit order) lists share, by a merge. */
function sharedStrings(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/**
 * Values of one kind a side may give and still state one quantity: more (a poll's percentages, a budget's billions)
 * are several quantities of that kind, and two reports picking different ones of them do not contradict each other.
 */
export const MAX_VALUES_OF_ONE_QUANTITY = 2;

/** Share of a figure by which a coarser writing of it may differ: rounding "1.5" to "1" is another figure, not the same one rounded. */
const MAX_ROUNDING_SHARE = 0.05;

/**
 * Tells whether two counted values state the same figure: exactly when written with the same precision, else when
 * the coarser one is the finer one rounded or cut to its precision ("3.5 billion" for 3.46, "46 percent" for 46.6),
 * and off by no more than MAX_ROUNDING_SHARE of it.
 */
export function countValuesAgree(x: number, ux: number, y: number, uy: number): boolean {
  if (ux === uy) return x === y;
  const coarse = ux > uy ? x : y;
  const unit = Math.max(ux, uy);
  const d = (ux > uy ? y : x) - coarse;
  // Rounded: within half a unit either way; cut: up to a unit above. 1e-9 absorbs the binary error of decimals.
  if (d < -unit / 2 - 1e-9 || d >= unit) return false;
  return Math.abs(d) <= MAX_ROUNDING_SHARE * Math.max(Math.abs(x), Math.abs(y)) + 1e-9;
}

/** Tells whether some value of b[from, to) agrees with x written to unit ux. */
function agreesWithAny(x: number, ux: number, values: Float64Array, units: Float64Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (countValuesAgree(x, ux, values[k] as number, units[k] as number)) return true;
  return false;
}

/**
 * Tells whether two sides' values of one kind contradict: each side states at most MAX_VALUES_OF_ONE_QUANTITY of
 * them (one quantity, clearly), and each gives one the other lacks, rounding allowed (an excerpt giving fewer values,
 * a subset, does not contradict the full report).
 */
function valuesContradict(av: Float64Array, au: Float64Array, a0: number, a1: number, bv: Float64Array, bu: Float64Array, b0: number, b1: number): boolean {
  if (a1 - a0 > MAX_VALUES_OF_ONE_QUANTITY || b1 - b0 > MAX_VALUES_OF_ONE_QUANTITY) return false;
  let aOnly = false;
  for (let i = a0; i < a1 && !aOnly; i++) aOnly = !agreesWithAny(av[i] as number, au[i] as number, bv, bu, b0, b1);
  if (!aOnly) return false;
  for (let j = b0; j < b1; j++) if (!agreesWithAny(bv[j] as number, bu[j] as number, av, au, a0, a1)) return true;
  return false;
}

/**
 * Counts a's counted values that agree with one of b's of the same kind, rounding allowed ("46 percent" and "46,6
 * Prozent"): the figures two reports share though they write them differently.
 */
export function countAgreements(a: ArticleFeatures, b: ArticleFeatures): number {
  let found = 0;
  forEachSharedKind(a.countKinds, b.countKinds, (_kind, i0, i1, j0, j1) => {
    for (let i = i0; i < i1; i++) if (agreesWithAny(a.countValues[i] as number, a.countUnits[i] as number, b.countValues, b.countUnits, j0, j1)) found++;
  });
  return found;
}

/**
 * Visits each counted kind both articles give, with the index ranges of its values on either side: a merge of the
 * (kind, value, unit) triples sorted by kind.
 */
function forEachSharedKind(ak: Int32Array, bk: Int32Array, visit: (kind: number, i0: number, i1: number, j0: number, j1: number) => void): void {
  let i = 0;
  let j = 0;
  while (i < ak.length && j < bk.length) {
    const ka = ak[i] as number;
    const kb = bk[j] as number;
    if (ka < kb) i++;
    else if (kb < ka) j++;
    else {
      const i0 = i;
      const j0 = j;
      while (i < ak.length && ak[i] === ka) i++;
      while (j < bk.length && bk[j] === ka) j++;
      visit(ka, i0, i, j0, j);
    }
  }
}

/** Describes the contradicting counts of two articles ("people: 3 vs 5"); countConflicts is the same test, counted. */
export function conflictingNumbers(a: ArticleFeatures, b: ArticleFeatures): string[] {
  const out: string[] = [];
  for (const [kind, values] of a.counts) {
    const other = b.counts.get(kind);
    if (other === undefined || !canContradict(kind)) continue;
    const x = [...values].map(countValueOf);
    const y = [...other].map(countValueOf);
    const contradict = valuesContradict(
      Float64Array.from(x, (c) => c.value), Float64Array.from(x, (c) => c.unit), 0, x.length,
      Float64Array.from(y, (c) => c.value), Float64Array.from(y, (c) => c.unit), 0, y.length,
    );
    if (contradict) out.push(`${kind}: ${[...values].join('/')} vs ${[...other].join('/')}`);
  }
  return out;
}

/** A probe loaded with a's shingles, for a pair scored without one. */
function probeOf(shingles: Int32Array): SetProbe {
  const probe = new SetProbe();
  probe.load(shingles);
  return probe;
}

/**
 * Counts the kinds both articles count with values that contradict (see valuesContradict; dates and scales never
 * do, see canContradict).
 */
export function countConflicts(a: ArticleFeatures, b: ArticleFeatures): number {
  let found = 0;
  forEachSharedKind(a.countKinds, b.countKinds, (kind, i0, i1, j0, j1) => {
    if (!SCALE_KIND_HASHES.has(kind) && valuesContradict(a.countValues, a.countUnits, i0, i1, b.countValues, b.countUnits, j0, j1)) found++;
  });
  return found;
}

/**
 * Scores how likely two articles report the same story, 0..1, from text, title, names, numbers and time. Pairs whose
 * best possible score (perfect title match) stays below `floor` skip the title comparison and the evidence lists:
 * their score is then a lower bound, which is all a rejected candidate needs. `aShingles`, when given, holds a's
 * shingles loaded for probing, so an article met with several candidates loads them once.
 */
export function scorePair(
  a: ArticleFeatures,
  b: ArticleFeatures,
  wa: RarityWeights,
  wb: RarityWeights,
  weights: ScoreWeights,
  windowHours: number,
  floor = 0,
  aShingles?: SetProbe,
): PairScore {
  const titleTokens = weightedJaccard(a.titleTokens, wa.title, b.titleTokens, wb.title).jaccard;
  const ent = weightedJaccard(a.entityHashes, wa.entities, b.entityHashes, wb.entities);
  const truncatedPair = a.truncated || b.truncated;
  const entitySimilarity = truncatedPair ? Math.max(ent.jaccard, ent.overlap * 0.8) : ent.jaccard;
  const sharedNumberCount = intersectSorted(a.numberHashes, b.numberHashes);
  const fewerNumbers = Math.min(a.numbers.length, b.numbers.length);
  const numberSimilarity = fewerNumbers > 0 ? sharedNumberCount / fewerNumbers : 0;
  const hoursApart = a.timeKnown && b.timeKnown ? Math.abs(a.timeMs - b.timeMs) / MS_PER_HOUR : Number.NaN;
  // Language detection on a headline alone is a guess, so only two bodies in different languages take the name path.
  const crossLanguage = a.hasBody && b.hasBody && a.language !== b.language && a.language !== 'und' && b.language !== 'und';

  let resemblance: number | undefined;
  let containment: number | undefined;
  let text: number;
  if (a.hasBody && b.hasBody) {
    const inter = (aShingles ?? probeOf(a.shingles)).countShared(b.shingles);
    const na = a.shingles.length;
    const nb = b.shingles.length;
    resemblance = inter / (na + nb - inter);
    containment = inter / Math.min(na, nb);
    // Containment speaks only for an excerpt (flagged, or much shorter than the other); rewrites of the same
    // length are judged by resemblance.
    const excerpt = truncatedPair || Math.min(na, nb) < 0.6 * Math.max(na, nb);
    // Shared title words do not stand in for the bodies: two posts of one blog may share a headline's words and
    // nothing else.
    text = Math.max(Math.min(1, resemblance / weights.fullResemblance), excerpt ? containment : 0);
  } else {
    text = titleTokens;
  }

  // An undated article says nothing about time: no penalty either way.
  const timeCost = a.timeKnown && b.timeKnown ? weights.timePenalty * Math.min(1, hoursApart / Math.max(1, windowHours)) : 0;
  let base: number;
  let titleWeight = 0;
  let strongTitleOnly = false;
  let crossText: number | undefined;
  let sharedNames: number | undefined;
  let crossNumbers: number | undefined;
  if (crossLanguage) {
    // The overlap coefficient (not Jaccard) because German capitalises every noun, inflating one side's names.
    // Numbers support the names when two are shared, or one that singles out a story (a counted figure, a decimal,
    // three digits that are no year; "Covid-19" or a year shared by unrelated stories of the same days does not):
    // names alone also match a different event about the same people. Counted figures agree within rounding
    // ("46 percent", "46,6 Prozent"). Numbers alone never join across languages (two match reports share scores and
    // dates), nor does one name: at least MIN_CROSS_LANGUAGE_NAMES names outside either source's template must be shared.
    const agreed = countAgreements(a, b);
    const sharedAcross = Math.max(sharedNumberCount, agreed);
    const singledOut = agreed > 0 || (sharedNumberCount > 0 && intersectSorted(a.distinctiveNumberHashes, b.distinctiveNumberHashes) > 0);
    const numberSupport = (sharedAcross >= 2 || singledOut) && fewerNumbers > 0 ? Math.min(1, sharedAcross / fewerNumbers) : 0;
    const names = intersectSorted(a.entityHashes, b.entityHashes);
    crossText = a.crossLanguage !== undefined && b.crossLanguage !== undefined ? crossLanguageCosine(a.crossLanguage, b.crossLanguage) : 0;
    sharedNames = names;
    crossNumbers = numberSupport;
    base = names >= MIN_CROSS_LANGUAGE_NAMES ? weights.crossLanguage * (0.6 * ent.overlap + 0.4 * numberSupport) + weights.crossText * Math.max(0, crossText - weights.crossTextFloor) : 0;
  } else if (a.hasBody && b.hasBody && text < weights.minTextAgreement) {
    // Two bodies in one language that do not agree are two stories, whatever names and numbers they share (a
    // company, a city, a year): only a strong title match, which the body then has to back, may still join them.
    base = weights.text * text;
    titleWeight = weights.title;
    strongTitleOnly = true;
  } else {
    base = weights.text * text + weights.entities * entitySimilarity + weights.numbers * numberSimilarity;
    titleWeight = weights.title;
  }
  const result: PairScore = {
    score: Math.max(0, Math.min(1, base - timeCost)),
    titleSimilarity: 0,
    titleTokens,
    entitySimilarity,
    conflicts: 0,
    hoursApart,
    crossLanguage,
  };
  if (resemblance !== undefined) result.resemblance = resemblance;
  if (crossText !== undefined) result.crossText = crossText;
  if (sharedNames !== undefined) result.sharedNames = sharedNames;
  if (crossNumbers !== undefined) result.numberSupport = crossNumbers;
  if (containment !== undefined) result.containment = containment;
  if (base + titleWeight - timeCost < floor) return result;

  result.titleSimilarity = a.titleKey.length > 1 && b.titleKey.length > 1 ? titleDice(a.titleBigrams, b.titleBigrams) : 0;
  result.conflicts = countConflicts(a, b);
  const titlePart = strongTitleOnly && result.titleSimilarity < weights.strongTitle ? 0 : result.titleSimilarity;
  const score = base + titleWeight * titlePart - weights.conflictPenalty * Math.min(MAX_CONFLICTS_COUNTED, result.conflicts) - timeCost;
  result.score = Math.max(0, Math.min(1, score));
  return result;
}

/** Title Dice two items of one source need, besides their text, to be one post. */
export const SAME_POST_TITLE = 0.5;

/** Containment of an excerpt in another item of its source that makes the two one post (a cut and a full copy). */
export const SAME_POST_CONTAINMENT = 0.9;

/**
 * Measures how nearly two items of one source are one post (an edit or a re-post): the resemblance of their full
 * shingle sets, or 1 for a flagged excerpt almost wholly contained in the other; 0 under unrelated titles. Two headline-only items are never
 * measured as one post: short titles of different posts coincide ("Weekly update"), and a real re-send keeps its
 * GUID or link. `aShingles` holds a's shingles loaded for probing.
 */
export function nearIdentity(a: ArticleFeatures, b: ArticleFeatures, aShingles: SetProbe): number {
  if (!a.hasBody || !b.hasBody) return 0;
  // Under unrelated headlines one text is a wall (a consent page, "this content is not available") served for two
  // posts, not one post sent twice.
  if (a.titleKey.length > 1 && b.titleKey.length > 1 && titleDice(a.titleBigrams, b.titleBigrams) < SAME_POST_TITLE) return 0;
  const inter = aShingles.countShared(b.shingles);
  const union = a.shingles.length + b.shingles.length - inter;
  const resemblance = union > 0 ? inter / union : 0;
  const smaller = Math.min(a.shingles.length, b.shingles.length);
  const excerpt = (a.truncated || b.truncated) && smaller > 0 && inter / smaller >= SAME_POST_CONTAINMENT;
  return excerpt ? 1 : resemblance;
}

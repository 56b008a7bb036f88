import { packedTitleLength, TitleProbe } from './title-bigrams.js';
import { canContradict, countValueOf, SCALE_KIND_HASHES } from './article-features.js';
import { intersectSorted, SetProbe } from './minhash.js';
import { entriesCosine } from './cross-language.js';
import { COUNT_KINDS, CROSS, ENTITIES, HAS_BODY, NUMBERS, SHINGLES, TIME_KNOWN, TITLE, TITLE_KEY, TRUNCATED, type FeatureStore } from './feature-store.js';

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

/**
 * Weighs shared hashes by rarity: sum of weights of the intersection over the union (weighted Jaccard), and over the
 * lighter side (weighted overlap). The hashes are ints[a0, a1) and ints[b0, b1), sorted; their weights
 * floats[wa, …) and floats[wb, …), so no lookup happens per pair.
 */
export function weightedJaccard(ints: Int32Array, a0: number, a1: number, b0: number, b1: number, floats: Float64Array, wa: number, wb: number): { jaccard: number; overlap: number } {
  let i = a0;
  let j = b0;
  let shared = 0;
  let onlyA = 0;
  let onlyB = 0;
  while (i < a1 && j < b1) {
    const x = ints[i] as number;
    const y = ints[j] as number;
    if (x === y) {
      shared += floats[wa + i - a0] as number;
      i++;
      j++;
    } else if (x < y) onlyA += floats[wa + i++ - a0] as number;
    else onlyB += floats[wb + j++ - b0] as number;
  }
  while (i < a1) onlyA += floats[wa + i++ - a0] as number;
  while (j < b1) onlyB += floats[wb + j++ - b0] as number;
  const union = shared + onlyA + onlyB;
  const smaller = Math.min(shared + onlyA, shared + onlyB);
  return { jaccard: union > 0 ? shared / union : 0, overlap: smaller > 0 ? shared / smaller : 0 };
}

/**
 * Lists the names and numbers two articles share, and the counts that contradict: evidence for the one pair a
 * decision reports, not needed to score.
 */
export function sharedEvidence(store: FeatureStore, a: number, b: number): { sharedEntities: string[]; sharedNumbers: string[]; conflictingNumbers: string[] } {
  // Equal strings have equal hashes: where the hashes share nothing, neither do the strings (read only when they may).
  const entities = sharesHashes(store, a, b, store.scored(a, ENTITIES), store.scored(b, ENTITIES)) ? sharedStrings(store.entities(a), store.entities(b)) : [];
  const numbers = sharesHashes(store, a, b, store.scored(a, NUMBERS), store.scored(b, NUMBERS)) ? sharedStrings(store.numbers(a), store.numbers(b)) : [];
  return { sharedEntities: entities, sharedNumbers: numbers, conflictingNumbers: conflictingNumbers(store, a, b) };
}

/** Tells whether list la of slot a and list lb of slot b (sorted hashes) share a hash. */
function sharesHashes(store: FeatureStore, a: number, b: number, la: number, lb: number): boolean {
  return intersectSorted(store.ints, store.ints, store.from(a, la), store.to(a, la), store.from(b, lb), store.to(b, lb)) > 0;
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

/**
 * Counted values of one kind: values[from, to), each written to the unit `shift` places after it (an article's values
 * are followed by their units, one per value).
 */
interface ValueRange {
  values: Float64Array;
  from: number;
  to: number;
  shift: number;
}

/** Tells whether some value of the range agrees with x written to unit ux. */
function agreesWithAny(x: number, ux: number, r: Float64Array, from: number, to: number, shift: number): boolean {
  for (let k = from; k < to; k++) if (countValuesAgree(x, ux, r[k] as number, r[k + shift] as number)) return true;
  return false;
}

/**
 * Tells whether two sides' values of one kind contradict: each side states at most MAX_VALUES_OF_ONE_QUANTITY of
 * them (one quantity, clearly), and each gives one the other lacks, rounding allowed (an excerpt giving fewer values,
 * a subset, does not contradict the full report).
 */
function valuesContradict(a: ValueRange, b: ValueRange): boolean {
  if (a.to - a.from > MAX_VALUES_OF_ONE_QUANTITY || b.to - b.from > MAX_VALUES_OF_ONE_QUANTITY) return false;
  let aOnly = false;
  for (let i = a.from; i < a.to && !aOnly; i++) aOnly = !agreesWithAny(a.values[i] as number, a.values[i + a.shift] as number, b.values, b.from, b.to, b.shift);
  if (!aOnly) return false;
  for (let j = b.from; j < b.to; j++) if (!agreesWithAny(b.values[j] as number, b.values[j + b.shift] as number, a.values, a.from, a.to, a.shift)) return true;
  return false;
}

/**
 * Counts a's counted values that agree with one of b's of the same kind, rounding allowed ("46 percent" and "46,6
 * Prozent"): the figures two reports share though they write them differently.
 */
export function countAgreements(store: FeatureStore, a: number, b: number): number {
  let found = 0;
  const floats = store.floats;
  forEachSharedKind(store, a, b, (_kind, x, y) => {
    for (let i = x.from; i < x.to; i++) if (agreesWithAny(floats[i] as number, floats[i + x.shift] as number, floats, y.from, y.to, y.shift)) found++;
  });
  return found;
}

/**
 * Visits each counted kind both articles give, with the ranges of its values on either side: a merge of the (kind,
 * value, unit) triples sorted by kind.
 */
function forEachSharedKind(store: FeatureStore, a: number, b: number, visit: (kind: number, x: ValueRange, y: ValueRange) => void): void {
  const ints = store.ints;
  const a0 = store.from(a, COUNT_KINDS);
  const a1 = store.to(a, COUNT_KINDS);
  const b0 = store.from(b, COUNT_KINDS);
  const b1 = store.to(b, COUNT_KINDS);
  if (a0 === a1 || b0 === b1) return;
  const x: ValueRange = { values: store.floats, from: 0, to: 0, shift: a1 - a0 };
  const y: ValueRange = { values: store.floats, from: 0, to: 0, shift: b1 - b0 };
  // A value's place among the floats: its place among the kinds, from the slot's first value.
  const av = store.countValuesFrom(a) - a0;
  const bv = store.countValuesFrom(b) - b0;
  let i = a0;
  let j = b0;
  while (i < a1 && j < b1) {
    const ka = ints[i] as number;
    const kb = ints[j] as number;
    if (ka < kb) i++;
    else if (kb < ka) j++;
    else {
      const i0 = i;
      const j0 = j;
      while (i < a1 && ints[i] === ka) i++;
      while (j < b1 && ints[j] === ka) j++;
      x.from = av + i0;
      x.to = av + i;
      y.from = bv + j0;
      y.to = bv + j;
      visit(ka, x, y);
    }
  }
}

/** Describes the contradicting counts of two articles ("people: 3 vs 5"); countConflicts is the same test, counted. */
export function conflictingNumbers(store: FeatureStore, a: number, b: number): string[] {
  const out: string[] = [];
  // The same test over the packed values first: no two kinds a number is counted as share a hash (a test checks it),
  // so where it finds no contradiction there is none to list, and the written values are not read.
  if (countConflicts(store, a, b) === 0) return out;
  const bCounts = store.counts(b);
  for (const [kind, values] of store.counts(a)) {
    const other = bCounts.get(kind);
    if (other === undefined || !canContradict(kind)) continue;
    if (valuesContradict(valueRangeOf([...values]), valueRangeOf([...other]))) out.push(`${kind}: ${[...values].join('/')} vs ${[...other].join('/')}`);
  }
  return out;
}

/** The values of one kind as written, read as a range (values, then their units). */
function valueRangeOf(written: readonly string[]): ValueRange {
  const counted = written.map(countValueOf);
  const values = Float64Array.from([...counted.map((c) => c.value), ...counted.map((c) => c.unit)]);
  return { values, from: 0, to: counted.length, shift: counted.length };
}

/**
 * Counts the kinds both articles count with values that contradict (see valuesContradict; dates and scales never
 * do, see canContradict).
 */
export function countConflicts(store: FeatureStore, a: number, b: number): number {
  let found = 0;
  forEachSharedKind(store, a, b, (kind, x, y) => {
    if (!SCALE_KIND_HASHES.has(kind) && valuesContradict(x, y)) found++;
  });
  return found;
}

/**
 * Scores how likely two articles (slots of the store) report the same story, 0..1, from text, title, names, numbers
 * and time, reading each one's scored view (its source's template taken out). Pairs whose best possible score
 * (perfect title match) stays below `floor` skip the title comparison and the count check: their score is then a
 * lower bound, which is all a rejected candidate needs. `probes` holds a's lists loaded for probing, so an article
 * met with several candidates loads them once.
 */
export function scorePair(store: FeatureStore, a: number, b: number, weights: ScoreWeights, windowHours: number, floor = 0, probes = new ArrivalProbes(store, a)): PairScore {
  const ints = store.ints;
  const floats = store.floats;
  const aRarity = store.rarityFrom(a);
  const bRarity = store.rarityFrom(b);
  const aTitle0 = store.from(a, TITLE);
  const aTitle1 = store.to(a, TITLE);
  const bTitle0 = store.from(b, TITLE);
  const bTitle1 = store.to(b, TITLE);
  const titleTokens = weightedJaccard(ints, aTitle0, aTitle1, bTitle0, bTitle1, floats, aRarity, bRarity).jaccard;
  const aEntities = store.scored(a, ENTITIES);
  const bEntities = store.scored(b, ENTITIES);
  const aEnt0 = store.from(a, aEntities);
  const aEnt1 = store.to(a, aEntities);
  const bEnt0 = store.from(b, bEntities);
  const bEnt1 = store.to(b, bEntities);
  const ent = weightedJaccard(ints, aEnt0, aEnt1, bEnt0, bEnt1, floats, aRarity + (aTitle1 - aTitle0), bRarity + (bTitle1 - bTitle0));
  const truncatedPair = store.has(a, TRUNCATED) || store.has(b, TRUNCATED);
  const entitySimilarity = truncatedPair ? Math.max(ent.jaccard, ent.overlap * 0.8) : ent.jaccard;
  const aNumbers = store.scored(a, NUMBERS);
  const bNumbers = store.scored(b, NUMBERS);
  const sharedNumberCount = intersectSorted(ints, ints, store.from(a, aNumbers), store.to(a, aNumbers), store.from(b, bNumbers), store.to(b, bNumbers));
  const fewerNumbers = Math.min(store.numberCount[a] as number, store.numberCount[b] as number);
  const numberSimilarity = fewerNumbers > 0 ? sharedNumberCount / fewerNumbers : 0;
  const timeKnown = store.has(a, TIME_KNOWN) && store.has(b, TIME_KNOWN);
  const hoursApart = timeKnown ? Math.abs((store.timeMs[a] as number) - (store.timeMs[b] as number)) / MS_PER_HOUR : Number.NaN;
  const bodies = store.has(a, HAS_BODY) && store.has(b, HAS_BODY);
  const aLanguage = store.language(a);
  const bLanguage = store.language(b);
  // Language detection on a headline alone is a guess, so only two bodies in different languages take the name path.
  const crossLanguage = bodies && aLanguage !== bLanguage && aLanguage !== 'und' && bLanguage !== 'und';

  let resemblance: number | undefined;
  let containment: number | undefined;
  let text: number;
  if (bodies) {
    const aShingleList = store.scored(a, SHINGLES);
    const bShingleList = store.scored(b, SHINGLES);
    const aS0 = store.from(a, aShingleList);
    const aS1 = store.to(a, aShingleList);
    const bS0 = store.from(b, bShingleList);
    const bS1 = store.to(b, bShingleList);
    const inter = probes.scoredShingles().countShared(ints, bS0, bS1);
    const na = aS1 - aS0;
    const nb = bS1 - bS0;
    // A body whose every shingle is its source's template scores an empty list: it shares nothing (0, not 0 / 0).
    const union = na + nb - inter;
    const smaller = Math.min(na, nb);
    resemblance = union > 0 ? inter / union : 0;
    containment = smaller > 0 ? inter / smaller : 0;
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
  const timeCost = timeKnown ? weights.timePenalty * Math.min(1, hoursApart / Math.max(1, windowHours)) : 0;
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
    const agreed = countAgreements(store, a, b);
    const sharedAcross = Math.max(sharedNumberCount, agreed);
    const aDistinctive = store.distinctive(a);
    const bDistinctive = store.distinctive(b);
    // Each step below runs for every pair in two languages, whatever the earlier ones found: a step first met late in a
    // run (a distinctive number, a fraction of support, a pair with enough names) had no type feedback and threw away
    // this function's optimized code.
    const distinctiveShared = intersectSorted(ints, ints, store.from(a, aDistinctive), store.to(a, aDistinctive), store.from(b, bDistinctive), store.to(b, bDistinctive));
    const agreedAny = agreed > 0;
    const numbersShared = sharedNumberCount > 0;
    const distinctiveAny = distinctiveShared > 0;
    const singledOut = agreedAny || (numbersShared && distinctiveAny);
    // min(1, shared / fewer), dividing only when the share is a fraction (sharedAcross is at least 1 here): a division
    // whose first results were whole numbers was compiled for whole numbers only.
    const numberSupport = (sharedAcross >= 2 || singledOut) && fewerNumbers > 0 ? (sharedAcross >= fewerNumbers ? 1 : sharedAcross / fewerNumbers) : 0;
    const names = intersectSorted(ints, ints, aEnt0, aEnt1, bEnt0, bEnt1);
    crossText = store.hasCross(a) && store.hasCross(b) ? entriesCosine(ints, store.from(a, CROSS), store.to(a, CROSS), store.crossNorm[a] as number, ints, store.from(b, CROSS), store.to(b, CROSS), store.crossNorm[b] as number) : 0;
    sharedNames = names;
    crossNumbers = numberSupport;
    const crossEvidence = weights.crossLanguage * (0.6 * ent.overlap + 0.4 * numberSupport) + weights.crossText * Math.max(0, crossText - weights.crossTextFloor);
    base = names >= MIN_CROSS_LANGUAGE_NAMES ? crossEvidence : 0;
  } else if (bodies && text < weights.minTextAgreement) {
    // Two bodies in one language that do not agree are two stories, whatever names and numbers they share (a
    // company, a city, a year): only a strong title match, which the body then has to back, may still join them.
    base = weights.text * text;
    titleWeight = weights.title;
    strongTitleOnly = true;
  } else {
    base = weights.text * text + weights.entities * entitySimilarity + weights.numbers * numberSimilarity;
    titleWeight = weights.title;
  }
  // Every field in one literal, those a pair lacks undefined: one object shape for every pair. Fields added to some
  // results only made shapes that code reading the best pair met late in a run, and threw its optimized code away.
  const result: PairScore = {
    score: Math.max(0, Math.min(1, base - timeCost)),
    resemblance,
    containment,
    titleSimilarity: 0,
    titleTokens,
    entitySimilarity,
    conflicts: 0,
    hoursApart,
    crossLanguage,
    crossText,
    sharedNames,
    numberSupport: crossNumbers,
  };
  if (base + titleWeight - timeCost < floor) return result;

  result.titleSimilarity = titleSimilarity(store, a, b, probes.title);
  result.conflicts = countConflicts(store, a, b);
  // The comparison is made for every pair, strong title or not: made only where a pair needs a strong title (first met
  // late in a run), it had no type feedback, and undid this function's optimized code.
  const belowStrongTitle = result.titleSimilarity < weights.strongTitle;
  const titlePart = strongTitleOnly && belowStrongTitle ? 0 : result.titleSimilarity;
  const score = base + titleWeight * titlePart - weights.conflictPenalty * Math.min(MAX_CONFLICTS_COUNTED, result.conflicts) - timeCost;
  result.score = Math.max(0, Math.min(1, score));
  return result;
}

/**
 * An arriving article's lists loaded for probing, each on first use and then kept for the rest of its arrival: its
 * scored shingles (for the pairs it is scored in), its full shingles (for the same-source checks) and its title.
 */
export class ArrivalProbes {
  readonly title = new TitleProbe();
  private readonly scored = new SetProbe();
  private readonly full = new SetProbe();
  private scoredLoaded = false;
  private fullLoaded = false;

  constructor(
    private readonly store: FeatureStore,
    private slot: number,
  ) {}

  /** Starts over for the article at `slot`. */
  reset(slot: number): void {
    this.slot = slot;
    this.scoredLoaded = false;
    this.fullLoaded = false;
    this.title.clear();
  }

  /** The article's scored shingles (its source's template taken out). */
  scoredShingles(): SetProbe {
    if (!this.scoredLoaded) {
      const list = this.store.scored(this.slot, SHINGLES);
      this.scored.load(this.store.ints, this.store.from(this.slot, list), this.store.to(this.slot, list));
      this.scoredLoaded = true;
    }
    return this.scored;
  }

  /** The article's full shingles. */
  fullShingles(): SetProbe {
    if (!this.fullLoaded) {
      this.full.load(this.store.ints, this.store.from(this.slot, SHINGLES), this.store.to(this.slot, SHINGLES));
      this.fullLoaded = true;
    }
    return this.full;
  }
}

/**
 * Dice similarity of two articles' folded titles (string-similarity's), 0 when either has one character or none.
 * `aTitle` holds a's title once loaded.
 */
function titleSimilarity(store: FeatureStore, a: number, b: number, aTitle: TitleProbe): number {
  const ints = store.ints;
  const aKey = store.from(a, TITLE_KEY);
  const bKey = store.from(b, TITLE_KEY);
  if (packedTitleLength(ints, aKey) <= 1 || packedTitleLength(ints, bKey) <= 1) return 0;
  if (!aTitle.loaded) aTitle.load(ints, aKey);
  return aTitle.dice(ints, aKey, ints, bKey);
}

/** Title Dice two items of one source need, besides their text, to be one post. */
export const SAME_POST_TITLE = 0.5;

/** Containment of an excerpt in another item of its source that makes the two one post (a cut and a full copy). */
export const SAME_POST_CONTAINMENT = 0.9;

/**
 * Measures how nearly two items of one source are one post (an edit or a re-post): the resemblance of their full
 * shingle sets, or 1 for a flagged excerpt almost wholly contained in the other; 0 under unrelated titles. Two headline-only items are never
 * measured as one post: short titles of different posts coincide ("Weekly update"), and a real re-send keeps its
 * GUID or link. `probes` holds a's lists loaded for probing.
 */
export function nearIdentity(store: FeatureStore, a: number, b: number, probes: ArrivalProbes): number {
  if (!store.has(a, HAS_BODY) || !store.has(b, HAS_BODY)) return 0;
  // Under unrelated headlines one text is a wall (a consent page, "this content is not available") served for two
  // posts, not one post sent twice.
  const ints = store.ints;
  if (packedTitleLength(ints, store.from(a, TITLE_KEY)) > 1 && packedTitleLength(ints, store.from(b, TITLE_KEY)) > 1 && titleSimilarity(store, a, b, probes.title) < SAME_POST_TITLE) return 0;
  const na = store.to(a, SHINGLES) - store.from(a, SHINGLES);
  const b0 = store.from(b, SHINGLES);
  const nb = store.to(b, SHINGLES) - b0;
  const inter = probes.fullShingles().countShared(store.ints, b0, b0 + nb);
  const union = na + nb - inter;
  const resemblance = union > 0 ? inter / union : 0;
  const smaller = Math.min(na, nb);
  const excerpt = (store.has(a, TRUNCATED) || store.has(b, TRUNCATED)) && smaller > 0 && inter / smaller >= SAME_POST_CONTAINMENT;
  return excerpt ? 1 : resemblance;
}

import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import { parseTimeMs } from '../model/iso-time.js';
import type { Decision, Evidence, StoryIndex, StoryMerge } from '../model/story.js';
import { computeIndexFeatures, SALT_NUMBER, type IndexFeatures } from './article-features.js';
import { fnv1a } from './hash.js';
import { CandidatePostings } from './candidate-postings.js';
import { BANDS, ENTITIES, FeatureStore, HAS_BODY, NUMBERS, resized, SHINGLES, TITLE, TITLE_KEY, type ScoredLists } from './feature-store.js';
import { ExactKeyIndex } from './exact-key-index.js';
import { IntCounts } from './int-key-map.js';
import { addKeyCount, countUp, forEachKeyCount, keyCount, keyCountSize, type KeyCounts } from './key-counts.js';
import { storyCosine, storyNorm } from './merge-stories.js';
import { unionSortedInto } from './minhash.js';
import { ArrivalProbes, countConflicts, MAX_CONFLICTS_COUNTED, nearIdentity, scorePair, sharedEvidence, type PairScore, type ScoreWeights } from './score-pair.js';
import { SourceTemplates } from './source-templates.js';
import { TimeHeap } from './time-heap.js';
import { ownString } from './own-string.js';
import { packedTitleLength, packedTitlesEqual } from './title-bigrams.js';
import { topK } from './top-k.js';

/** Settings of the story index; DEFAULT_CLUSTER_OPTIONS holds the tuned values (see TUNING.md). */
export interface ClusterOptions {
  /** Minimum combined score for an article to join a story, 0..1. */
  threshold: number;
  /** Articles older than this, relative to the newest time seen, leave the index. */
  windowHours: number;
  /** Words per shingle (content-word stems, function words dropped). */
  shingleSize: number;
  /** MinHash signature slots (one-permutation hashing, see minhash.ts); must equal bands × rows. */
  signatureSlots: number;
  bands: number;
  rows: number;
  /** A blocking key shared by more stories than this is too common to say anything and is skipped. */
  maxPostingsPerKey: number;
  /** At most this many candidate stories are verified per article (those sharing the most keys). */
  maxCandidateStories: number;
  /** At most this many members of one candidate story are compared with a headline-only article. */
  maxMembersCompared: number;
  /**
   * At most this many members of one candidate story are compared with an article that has a body: their LSH band hits
   * single out the near-duplicates, and each body pair costs a shingle comparison (see TUNING.md).
   */
  maxBodyMembersCompared: number;
  /** Text with at least this many characters makes an identical content hash an exact duplicate. */
  minHashTextChars: number;
  /**
   * An article joins a story of several versions only if it also scores at least this share of the threshold against
   * the story's core (its earliest version still in the window), so a story cannot drift one weak link at a time.
   */
  coreAgreement: number;
  /**
   * Shingle resemblance two items of one source need to be versions of one post (an edit, a re-post); below it they
   * are different posts, however much else they share (see TUNING.md, "The same source").
   */
  sameSourceResemblance: number;
  /**
   * A headline may join a story that already holds an item of its own source when the story has at least this many
   * other sources: an event followed by many outlets gets several headlines from each (measured on the UCI dev
   * headlines, where a quarter of one publisher's headlines within the window belong to one story; see TUNING.md).
   * An article with a body never does, unless nearly identical.
   */
  headlineSameSourceOutlets: number;
  /** Title words a headline must share with a story's titles to join it (a headline matched against a headline-only story too). */
  minSharedTitleWords: number;
  /** Share of a source's other items in the window that must carry a key for it to count as the source's template. */
  templateMinShare: number;
  /**
   * Minimum whole-story similarity (cosine of rarity-weighted title-word and name profiles) for two stories to merge
   * into one, 0..1; above 1 turns merging off.
   */
  mergeThreshold: number;
  /** A candidate story is compared as a whole only when its score against the arriving article reaches this. */
  mergeCandidateFloor: number;
  weights: ScoreWeights;
}

/** Tuned defaults: see src/cluster/TUNING.md for the sweep on the UCI dev headlines and the bench. */
export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  threshold: 0.25,
  windowHours: 72,
  shingleSize: 2,
  signatureSlots: 64,
  bands: 16,
  rows: 4,
  maxPostingsPerKey: 24,
  maxCandidateStories: 8,
  maxMembersCompared: 4,
  maxBodyMembersCompared: 2,
  minHashTextChars: 200,
  coreAgreement: 0.5,
  sameSourceResemblance: 0.6,
  templateMinShare: 0.3,
  headlineSameSourceOutlets: 3,
  minSharedTitleWords: 2,
  mergeThreshold: 0.4,
  mergeCandidateFloor: 0.1,
  weights: {
    text: 0.5,
    title: 0.2,
    entities: 0.2,
    numbers: 0.1,
    profile: 1,
    fullResemblance: 0.15,
    crossLanguage: 1,
    crossText: 2,
    crossTextFloor: 0.3,
    conflictPenalty: 0.25,
    timePenalty: 0.1,
    minTextAgreement: 0.2,
    strongTitle: 0.6,
  },
};

interface Ranked {
  story: Story;
  score: number;
  pair: PairScore;
  /** The member (slot) that gave the story its best pair score. */
  member: number;
  /** Cosine of a headline with the story's title centroid (0 for an article with a body). */
  profile: number;
}

interface Story {
  id: string;
  /** Creation order; with firstMs it breaks ties between equally scored stories. */
  seq: number;
  firstMs: number;
  alive: number;
  /** Title-token counts over the alive members: the story's centroid for headline matching. */
  profile: KeyCounts;
  /** Counts of title tokens and names over the alive members, so document frequency counts stories. */
  keyCounts: KeyCounts;
  /**
   * Document-frequency units of keys that more than one merged fragment brought (absent: one unit), given back when the
   * key leaves the story: a merge does not make its own words look rarer (see TUNING.md).
   */
  keyUnits: Map<number, number> | undefined;
  /** The first and last alive members (slots; -1: none), linked in order of arrival: the first is the core. */
  head: number;
  tail: number;
  /** Alive members per source hash. */
  sources: KeyCounts;
  /** Alive members with a body: a story that has any is joined by text evidence, never merged by its profile. */
  bodyMembers: number;
  /** An operator split this story out: it is never merged automatically. */
  keptApart: boolean;
  /** Scratch of the candidate search: the search that last touched the story, its weighted key hits, its members hit. */
  hitMark: number;
  hitTotal: number;
  /** The first member hit (the rest linked through the members' scratch). */
  hitHead: number;
}

const MS_PER_HOUR = 3_600_000;
/** Weighted key hits an article with a body must share with a story before the story is verified. */
const MIN_KEY_HITS_WITH_BODY = 2;
const HIT_WEIGHT_BAND = 2;
const HIT_WEIGHT_KEY = 1;
const HIT_WEIGHT_NUMBER = 0.5;
/** Words per member of the candidate search's scratch (see `hits` in createStoryIndex). */
const HIT_FIELDS = 3;
/** Words per member of the lengths of its strings, and the GUID length that says its URL key is its GUID (see `stringLengths`). */
const STRING_FIELDS = 3;
const GUID_IS_URL = -2;

function validate(options: ClusterOptions): void {
  if (options.bands * options.rows !== options.signatureSlots) {
    throw new FeedfoldError('cluster', 'invalid-options', `bands × rows (${options.bands}×${options.rows}) must equal signature slots (${options.signatureSlots})`);
  }
  if (!(options.threshold > 0 && options.threshold <= 1)) throw new FeedfoldError('cluster', 'invalid-options', `threshold ${options.threshold} is not in (0, 1]`);
  if (!(options.mergeThreshold > 0)) throw new FeedfoldError('cluster', 'invalid-options', `mergeThreshold ${options.mergeThreshold} must be positive (above 1 turns merging off)`);
  if (!(options.windowHours > 0)) throw new FeedfoldError('cluster', 'invalid-options', `windowHours ${options.windowHours} must be positive`);
}

/**
 * The keys that make an article an exact duplicate of another, by kind, in the order they are tried: its URL, its
 * source and GUID, and its content hash when the text is long enough to be more than a stock line.
 */
interface ExactKeys {
  url: string | undefined;
  guid: string | undefined;
  hash: string | undefined;
}

/** A GUID names an item within its source only. */
function guidKey(sourceId: string, guid: string): string {
  return `${sourceId}\u0000${guid}`;
}

function exactKeysOf(article: Article, minHashTextChars: number): ExactKeys {
  return {
    url: article.url ? article.url : undefined,
    guid: article.guid ? guidKey(article.sourceId, article.guid) : undefined,
    hash: article.contentHash && (article.text ?? '').length >= minHashTextChars ? article.contentHash : undefined,
  };
}

/** Ranks two scored stories: higher score first, then the earliest story, then the lowest id (the documented tie-break). */
function better(a: { story: Story; score: number }, b: { story: Story; score: number }): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.story.firstMs !== b.story.firstMs) return a.story.firstMs < b.story.firstMs;
  return a.story.id < b.story.id;
}

/** Orders candidate stories: more key hits first, then the most recently started. */
function storyOrder(x: Story, y: Story): number {
  return y.hitTotal - x.hitTotal || y.seq - x.seq;
}

/**
 * Names who published an article: its own publisher where the source names one per article (an article folder), else
 * the host of its source's home page (without `www.`), so that one site's feeds (sections, or the same posts as RSS
 * and as Atom) count as one source; the source id where no home page is known.
 */
export function publisherOf(article: Article): string {
  if (article.publisher !== undefined) return article.publisher;
  if (article.sourceLink === undefined) return article.sourceId;
  try {
    const host = new URL(article.sourceLink).hostname.toLowerCase();
    return host === '' ? article.sourceId : `host:${host.replace(/^www\./, '')}`;
  } catch {
    return article.sourceId;
  }
}

/** Keeps the strings whose salted hash is among `kept` (sorted, as uniqueSorted leaves hash arrays). */
function keepHashed(values: readonly string[], kept: Int32Array, salt: number): string[] {
  const wanted = new Set(kept);
  return values.filter((v) => wanted.has(fnv1a(v, salt) | 0));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Names the closest other story in a decision, if there is one. One function for a joined article's and a new story's
 * decision, called for each, so that the steps of either have type feedback when the index's code is optimized: a new
 * story's runner-up, met first late in a run, undid the optimized code of the whole of assign.
 */
function addRunnerUp(decision: Decision, runnerUp: { story: Story; score: number } | undefined): void {
  if (runnerUp !== undefined) decision.runnerUp = { storyId: runnerUp.story.id, score: round(runnerUp.score) };
}

/** What an index's decisions say beyond the story, the action and the score. */
export interface DecisionDetail {
  /**
   * Whether a decision's evidence lists what its pair shares and contradicts (names, numbers, counts, the pair's
   * scores; a new story's closest story, scored in full for it): true unless a caller keeps only each article's story,
   * as `feedfold cluster` does. Without it, evidence holds the candidates counted and the notes; every story, action
   * and score is the same.
   */
  evidence?: boolean;
}

/** What a caller knows of the articles to come, to size the index's memory for them. */
export interface IndexSizing {
  /**
   * The most articles the window will hold at once (a batch knows it from its lines' dates): the feature store grows
   * straight to them once it has seen what an article takes. Only memory follows it; every decision is the same.
   */
  windowArticles?: number;
}

/**
 * Creates an incremental story index: exact duplicates first, then candidates from MinHash LSH and name/number
 * blocking, verified by a combined score; memory is bounded by the time window.
 *
 * The articles in the window are slots: their features packed in a FeatureStore, the index's own per-article fields
 * in typed columns here (a story's members are linked through them), so the window holds no object per article.
 */
export function createStoryIndex(options: ClusterOptions, newStoryId: (article: Article) => string, detail: DecisionDetail = {}, sizing: IndexSizing = {}): StoryIndex {
  validate(options);
  const featureOptions = { shingleSize: options.shingleSize, bands: options.bands, rows: options.rows };
  const windowMs = options.windowHours * MS_PER_HOUR;
  const withEvidence = detail.evidence !== false;
  const store = new FeatureStore(withEvidence, sizing.windowArticles ?? 0);
  const stories = new Map<string, Story>();
  const postings = new CandidatePostings(options.maxPostingsPerKey, (slot) => (storyOf[slot] as Story).seq, windowMs);
  /** The newest holder of each exact key, by kind (see ExactKeys), confirmed against the holder's columns. */
  const byUrl = new ExactKeyIndex((slot) => urlKeyAt(slot));
  const byGuid = new ExactKeyIndex((slot) => guidKeyAt(slot));
  const byHash = new ExactKeyIndex((slot) => contentHashAt(slot));
  /** Source ids interned (few: one per feed or folder), so a member's GUID key needs no string of its own. */
  const sourceIdNumbers = new Map<string, number>();
  const sourceIds: string[] = [];
  /** Stories an operator split out: never merged automatically (see keepApart). */
  const keptApart = new Set<string>();
  /** Document frequency of title words and names, counted in stories of the window. */
  const df = new IntCounts();
  const heap = new TimeHeap();
  /** What each source repeats across its items in the window. */
  const templates = new SourceTemplates(options.templateMinShare, (source, visit) => {
    for (let slot = 0; slot < storyOf.length; slot++) {
      if (storyOf[slot] === undefined || sourceOf[slot] !== source) continue;
      for (const list of TEMPLATE_LISTS) visit(store.ints, store.from(slot, list), store.to(slot, list));
    }
  });
  let seq = 0;
  let storySeq = 0;
  let newestMs = Number.NEGATIVE_INFINITY;

  // Per member (slot), besides its features: grown with the store's slots.
  let seqOf = new Float64Array(store.capacity);
  /** When the member was first seen (ms): a kept index lets go of what left the store's window (see retireSeenBefore). */
  let seenOf = new Float64Array(store.capacity);
  /** Members held; the heap may also hold entries of members retired before their time came. */
  let live = 0;
  let sourceOf = new Int32Array(store.capacity);
  /** The member's source id, interned (see sourceIds). */
  let sourceIdOf = new Int32Array(store.capacity);
  /** The member's neighbours in its story's list (-1: none). */
  let nextInStory = new Int32Array(store.capacity);
  let prevInStory = new Int32Array(store.capacity);
  /**
   * Scratch of the candidate search, three words per member side by side (one cache line for a hit): the search that
   * last counted the member's key hits, its weighted hits in halves (the weights are multiples of one half), and the
   * next member hit of its story.
   */
  let hits = new Int32Array(HIT_FIELDS * store.capacity);
  let storyOf: (Story | undefined)[] = [];
  /**
   * The member's strings are held with its slot's text (see FeatureStore.heldText), one after another: its article id,
   * its URL key (see ExactKeys), its GUID and its content hash (with the title, what tells one short post carried by two
   * feeds of one site). Its GUID and content-hash keys are made from them and sourceIdOf. Per member, STRING_FIELDS
   * words: the lengths of its article id, its URL key (-1: none) and its GUID (-1: none; GUID_IS_URL: the URL key is
   * also its GUID, held once); the content hash takes the rest, up to the store's heldEnd.
   */
  let stringLengths = new Int32Array(STRING_FIELDS * store.capacity);

  /** A member's strings, one after another (see stringLengths), as the store holds them with its slot. */
  function heldStrings(article: Article, url: string | undefined): string {
    const guid = article.guid;
    return article.id + (url ?? '') + (guid === undefined || guid === url ? '' : guid) + article.contentHash;
  }

  /** Writes the lengths of a member's strings (see stringLengths). */
  function holdLengths(slot: number, article: Article, url: string | undefined): void {
    const at = STRING_FIELDS * slot;
    const guid = article.guid;
    stringLengths[at] = article.id.length;
    stringLengths[at + 1] = url === undefined ? -1 : url.length;
    // Many feeds give each item's link as its GUID: one string held for both.
    stringLengths[at + 2] = guid === undefined ? -1 : guid === url ? GUID_IS_URL : guid.length;
  }

  function articleIdAt(slot: number): string {
    return store.heldText(slot).slice(0, stringLengths[STRING_FIELDS * slot] as number);
  }

  function urlKeyAt(slot: number): string | undefined {
    const at = STRING_FIELDS * slot;
    const n = stringLengths[at + 1] as number;
    if (n < 0) return undefined;
    const from = stringLengths[at] as number;
    return store.heldText(slot).slice(from, from + n);
  }

  function guidAt(slot: number): string | undefined {
    const at = STRING_FIELDS * slot;
    const n = stringLengths[at + 2] as number;
    if (n === -1) return undefined;
    if (n === GUID_IS_URL) return urlKeyAt(slot);
    const from = (stringLengths[at] as number) + Math.max(0, stringLengths[at + 1] as number);
    return store.heldText(slot).slice(from, from + n);
  }

  /** Where the member's content hash starts in its strings. */
  function contentHashFrom(slot: number): number {
    const at = STRING_FIELDS * slot;
    return (stringLengths[at] as number) + Math.max(0, stringLengths[at + 1] as number) + Math.max(0, stringLengths[at + 2] as number);
  }

  function contentHashAt(slot: number): string {
    return store.heldText(slot).slice(contentHashFrom(slot), store.heldEnd(slot));
  }

  /** Whether the member's content hash is `hash`, read in place. */
  function contentHashIs(slot: number, hash: string): boolean {
    const from = contentHashFrom(slot);
    return store.heldEnd(slot) - from === hash.length && store.heldText(slot).startsWith(hash, from);
  }

  /** The member's GUID key, as exactKeysOf makes it. */
  function guidKeyAt(slot: number): string | undefined {
    const guid = guidAt(slot);
    return guid ? guidKey(sourceIds[sourceIdOf[slot] as number] as string, guid) : undefined;
  }

  function internSourceId(id: string): number {
    let n = sourceIdNumbers.get(id);
    if (n === undefined) {
      n = sourceIds.push(id) - 1;
      sourceIdNumbers.set(id, n);
    }
    return n;
  }

  /** Sizes the per-member columns to the store's slots (grown as it gains slots, trimmed when it is fitted). */
  function fitColumns(): void {
    const n = store.capacity;
    if (seqOf.length === n) return;
    seqOf = resized(seqOf, n);
    seenOf = resized(seenOf, n);
    sourceOf = resized(sourceOf, n);
    sourceIdOf = resized(sourceIdOf, n);
    nextInStory = resized(nextInStory, n);
    prevInStory = resized(prevInStory, n);
    hits = resized(hits, HIT_FIELDS * n);
    stringLengths = resized(stringLengths, STRING_FIELDS * n);
  }

  /** Whether no member has left yet, and whether the first has and the window's memory is not yet fitted to it. */
  let filling = true;
  let fitDue = false;

  /**
   * Gives back what grew in large steps while the window filled: the store's ring and columns, the candidate postings'
   * nodes, and the spare room of each story's counts. `filled`: the window has just filled as articles came (the store
   * then moves its ring only when that gives back enough); else it was loaded in one go.
   */
  function fitWindow(filled: boolean): void {
    fitDue = false;
    store.fit(filled);
    fitColumns();
    postings.fit();
    heap.fit();
    // Lists by slot, grown by half as slots were added: copies of their length.
    storyOf = storyOf.slice();
    for (const story of stories.values()) {
      if (Array.isArray(story.profile)) story.profile = story.profile.slice();
      if (Array.isArray(story.keyCounts)) story.keyCounts = story.keyCounts.slice();
      if (Array.isArray(story.sources)) story.sources = story.sources.slice();
    }
  }

  /** Counts a key a story holds for the first time in the document frequencies. */
  const countInDf = (key: number): void => {
    df.add(key, 1);
  };

  const idf = (hash: number): number => Math.log(1 + (stories.size + 1) / (df.get(hash) + 1));

  /** Scratch of dfKeysOf. */
  let dfScratch = new Int32Array(64);

  /** The DF keys of a member (its title tokens and names, counted once each) into dfScratch; returns how many. */
  function dfKeysOf(slot: number): number {
    const ints = store.ints;
    const i = store.from(slot, TITLE);
    const i1 = store.to(slot, TITLE);
    const j = store.from(slot, ENTITIES);
    const j1 = store.to(slot, ENTITIES);
    if (dfScratch.length < i1 - i + (j1 - j)) dfScratch = new Int32Array(2 * (i1 - i + (j1 - j)));
    return unionSortedInto(ints, i, i1, ints, j, j1, dfScratch);
  }

  /** What an arriving article brings before it is placed: its slot (its features packed), used to search and then to register. */
  interface Arrival {
    article: Article;
    slot: number;
    source: number;
    exactKeys: ExactKeys;
    /**
     * Its blocking keys are its slot's lists from BANDS to NUMBERS: LSH bands, then title words and names, then
     * numbers (candidates weighs them in that order). How many are bands.
     */
    bandCount: number;
    /** Where the numbers of the scored view would start among the keys: keys before it weigh as names. */
    strongEnd: number;
  }

  function arrive(article: Article): Arrival {
    const full = placeInTime(computeIndexFeatures(article, featureOptions));
    advance(full.timeMs);

    const source = SourceTemplates.sourceHash(publisherOf(article));
    const exactKeys = exactKeysOf(article, options.minHashTextChars);
    const slot = store.add(full, withoutTemplate(full, source), heldStrings(article, exactKeys.url));
    fitColumns();
    holdLengths(slot, article, exactKeys.url);
    probes.reset(slot);
    hits[HIT_FIELDS * slot] = 0;
    const bandCount = full.bandKeys === undefined ? 0 : full.bandKeys.length;
    const scoredNumbers = store.to(slot, store.scored(slot, NUMBERS)) - store.from(slot, store.scored(slot, NUMBERS));
    return { article, slot, source, exactKeys, bandCount, strongEnd: store.to(slot, NUMBERS) - store.from(slot, BANDS) - scoredNumbers };
  }

  /** Scratch of countTemplate: where a member's template lists start and end. */
  const templateRanges = new Int32Array(2 * TEMPLATE_LISTS.length);

  /** Counts a member's full keys (shingles, names, numbers) in its source's template counts, up (1) or down (-1). */
  function countTemplate(slot: number, delta: 1 | -1): void {
    const source = sourceOf[slot] as number;
    for (let l = 0; l < TEMPLATE_LISTS.length; l++) {
      templateRanges[2 * l] = store.from(slot, TEMPLATE_LISTS[l] as number);
      templateRanges[2 * l + 1] = store.to(slot, TEMPLATE_LISTS[l] as number);
    }
    if (delta > 0) templates.addItem(source, store.ints, templateRanges);
    else templates.removeItem(source, store.ints, templateRanges);
  }

  /**
   * Takes out of an arriving article's body evidence what its source repeats in most of its items (shingles, names,
   * numbers): shared template is no evidence that two items tell the same story. Headlines keep every word: a source
   * that follows one event repeats its names from headline to headline, and that is the story, not a template
   * (measured on the UCI dev headlines, see TUNING.md).
   */
  function withoutTemplate(f: IndexFeatures, source: number): ScoredLists | undefined {
    if (!f.hasBody) return undefined;
    const shingles = templates.distinctive(source, f.shingles);
    const entityHashes = templates.distinctive(source, f.entityHashes);
    const numberHashes = templates.distinctive(source, f.numberHashes);
    if (shingles === f.shingles && entityHashes === f.entityHashes && numberHashes === f.numberHashes) return undefined;
    const numbers = numberHashes === f.numberHashes ? f.numbers.length : keepHashed(f.numbers, numberHashes, SALT_NUMBER).length;
    return { shingles, entityHashes, numberHashes, numbers };
  }

  /** Registers an arrived article as a member of a story; its rarity weights are written now unless `weighed`. */
  function register(arrival: Arrival, story: Story, weighed = false): number {
    const { article, slot } = arrival;
    if (!weighed) store.writeRarity(slot, idf);
    seqOf[slot] = seq++;
    seenOf[slot] = parseTimeMs(article.firstSeen);
    live++;
    sourceOf[slot] = arrival.source;
    storyOf[slot] = story;
    sourceIdOf[slot] = internSourceId(article.sourceId);
    countTemplate(slot, 1);
    link(story, slot);
    story.sources = addKeyCount(story.sources, arrival.source, 1);
    const ints = store.ints;
    // Indexed loops over the packed keys: this runs for every article.
    for (let k = store.from(slot, BANDS), end = store.to(slot, NUMBERS); k < end; k++) postings.add(ints[k] as number, slot, newestMs);
    // The newest holder of a key wins, so the key outlives the eviction of older holders.
    const { url, guid, hash } = arrival.exactKeys;
    if (url !== undefined) byUrl.set(url, slot);
    if (guid !== undefined) byGuid.set(guid, slot);
    if (hash !== undefined) byHash.set(hash, slot);
    story.alive++;
    if (store.has(slot, HAS_BODY)) story.bodyMembers++;
    story.profile = countUp(story.profile, ints, store.from(slot, TITLE), store.to(slot, TITLE));
    // Rarity is counted in stories, not articles: a name every version of one big story repeats is still rare.
    const n = dfKeysOf(slot);
    story.keyCounts = countUp(story.keyCounts, dfScratch, 0, n, countInDf);
    heap.push(slot, store.timeMs[slot] as number, seqOf[slot] as number);
    return slot;
  }

  /** Appends a member to its story's list. */
  function link(story: Story, slot: number): void {
    nextInStory[slot] = -1;
    prevInStory[slot] = story.tail;
    if (story.tail >= 0) nextInStory[story.tail] = slot;
    else story.head = slot;
    story.tail = slot;
  }

  /** Takes a member out of its story's list. */
  function unlink(story: Story, slot: number): void {
    const prev = prevInStory[slot] as number;
    const next = nextInStory[slot] as number;
    if (prev >= 0) nextInStory[prev] = next;
    else story.head = next;
    if (next >= 0) prevInStory[next] = prev;
    else story.tail = prev;
  }

  /** Moves the window to an arriving article's time before it is compared, so it never meets expired articles. */
  /**
   * An undated article sits at the window's newest time (when first seen, it was at most that
   * recent): it neither pushes the window forward nor gets evicted before its contemporaries.
   */
  function placeInTime(features: IndexFeatures): IndexFeatures {
    if (!features.timeKnown && Number.isFinite(newestMs) && features.timeMs > newestMs) features.timeMs = newestMs;
    return features;
  }

  function advance(timeMs: number): void {
    if (timeMs > newestMs) newestMs = timeMs;
    evict();
  }

  function evict(): void {
    const cutoff = newestMs - windowMs;
    while (heap.length > 0 && heap.peekTime() < cutoff) {
      const seqAt = heap.peekSeq();
      const slot = heap.pop();
      // An entry of a member retired earlier (its slot maybe reused since) is only dropped.
      if (storyOf[slot] !== undefined && seqOf[slot] === seqAt) evictSlot(slot);
    }
    if (fitDue) fitWindow(true);
  }

  function evictSlot(slot: number): void {
    live--;
    const story = storyOf[slot] as Story;
    const ints = store.ints;
    for (let k = store.from(slot, BANDS), end = store.to(slot, NUMBERS); k < end; k++) postings.remove(ints[k] as number, slot);
    const n = dfKeysOf(slot);
    for (let k = 0; k < n; k++) {
      const key = dfScratch[k] as number;
      const had = keyCount(story.keyCounts, key);
      story.keyCounts = addKeyCount(story.keyCounts, key, -1);
      if (had > 1) continue;
      const units = story.keyUnits?.get(key);
      if (units !== undefined) story.keyUnits?.delete(key);
      df.add(key, -(units ?? 1));
    }
    const url = urlKeyAt(slot);
    const guid = guidKeyAt(slot);
    const hash = contentHashAt(slot);
    if (url !== undefined) byUrl.release(url, slot);
    if (guid !== undefined) byGuid.release(guid, slot);
    // A member whose text was too short to hold its hash key is no holder: release leaves the key alone.
    if (hash) byHash.release(hash, slot);
    countTemplate(slot, -1);
    story.sources = addKeyCount(story.sources, sourceOf[slot] as number, -1);
    story.alive--;
    if (store.has(slot, HAS_BODY)) story.bodyMembers--;
    unlink(story, slot);
    for (let k = store.from(slot, TITLE), end = store.to(slot, TITLE); k < end; k++) story.profile = addKeyCount(story.profile, ints[k] as number, -1);
    if (story.alive <= 0) stories.delete(story.id);
    storyOf[slot] = undefined;
    store.free(slot);
    if (filling) {
      filling = false;
      fitDue = true;
    }
  }

  function storyFor(id: string, timeMs: number): Story {
    let story = stories.get(id);
    if (story === undefined) {
      // A copy of its own (see ownString): a minted id is a concatenation of many pieces.
      story = { id: ownString(id), seq: storySeq++, firstMs: timeMs, alive: 0, profile: [], keyCounts: [], keyUnits: undefined, head: -1, tail: -1, sources: [], bodyMembers: 0, keptApart: keptApart.has(id), hitMark: 0, hitTotal: 0, hitHead: -1 };
      stories.set(story.id, story);
    } else if (timeMs < story.firstMs) story.firstMs = timeMs;
    return story;
  }

  function findExact(arrival: Arrival): { member: number; kind: Evidence['exact'] } | undefined {
    const { url, guid, hash } = arrival.exactKeys;
    if (url !== undefined) {
      const member = byUrl.get(url);
      // One page can carry several posts of a source, told apart by a fragment the canonical URL drops (a blog's day
      // page, `/2017/06/26.html#a080605`): items of one source with one URL but different GUIDs are different posts.
      const other = member === undefined ? undefined : guidAt(member);
      const guidSays = arrival.article.guid;
      if (member !== undefined && !(sourceOf[member] === arrival.source && guidSays !== undefined && other !== undefined && other !== guidSays)) return { member, kind: 'url' };
    }
    if (guid !== undefined) {
      const member = byGuid.get(guid);
      if (member !== undefined) return { member, kind: 'guid' };
    }
    if (hash !== undefined) {
      const member = byHash.get(hash);
      // One text under two unrelated headlines of one source is a wall the site serves (a consent page), not a re-send.
      if (member !== undefined && !(sourceOf[member] === arrival.source && nearIdentity(store, arrival.slot, member, probes) === 0)) return { member, kind: 'content-hash' };
    }
    return undefined;
  }

  function profileCosine(slot: number, story: Story): number {
    const ints = store.ints;
    const t0 = store.from(slot, TITLE);
    const t1 = store.to(slot, TITLE);
    if (t1 === t0 || story.alive === 0) return 0;
    let dot = 0;
    let na = 0;
    for (let k = t0; k < t1; k++) {
      const t = ints[k] as number;
      const w = idf(t);
      na += w * w;
      const c = keyCount(story.profile, t);
      if (c !== 0) dot += w * w * (c / story.alive);
    }
    let ns = 0;
    forEachKeyCount(story.profile, (t, c) => {
      const w = idf(t) * (c / story.alive);
      ns += w * w;
    });
    return na > 0 && ns > 0 ? dot / Math.sqrt(na * ns) : 0;
  }

  /**
   * Counts the title words of an article that the story's titles use too; a word that several of the story's titles
   * repeat (the event's name) counts double, since the story as a whole is about it.
   */
  function sharedTitleWords(slot: number, story: Story): number {
    const ints = store.ints;
    let n = 0;
    for (let k = store.from(slot, TITLE), end = store.to(slot, TITLE); k < end; k++) {
      const c = keyCount(story.profile, ints[k] as number);
      if (c !== 0) n += c >= 2 ? 2 : 1;
    }
    return n;
  }

  /** The arriving article's lists, loaded for probing on first use. */
  const probes = new ArrivalProbes(store, -1);

  /** Numbers the candidate searches, so scratch fields left by an earlier search read as stale without clearing. */
  let searchMark = 0;

  /** Counts one key hit of a member, and of its story (the first hit of a search resets the scratch counts). */
  function hit(m: number, weight: number, mark: number, touched: Story[]): void {
    const story = storyOf[m] as Story;
    if (story.hitMark !== mark) {
      story.hitMark = mark;
      story.hitTotal = 0;
      story.hitHead = -1;
      touched.push(story);
    }
    story.hitTotal += weight;
    const at = HIT_FIELDS * m;
    if (hits[at] !== mark) {
      hits[at] = mark;
      hits[at + 1] = 2 * weight;
      hits[at + 2] = story.hitHead;
      story.hitHead = m;
    } else hits[at + 1] = (hits[at + 1] as number) + 2 * weight;
  }

  /** Scratch of candidates: the stories touched by one search (valid until the next). */
  const touchedScratch: Story[] = [];

  /** Collects the stories that share keys with an article, with weighted hit counts per story and per member. */
  function candidates(arrival: Arrival): Story[] {
    const mark = ++searchMark;
    const touched = touchedScratch;
    touched.length = 0;
    const ints = store.ints;
    const keys0 = store.from(arrival.slot, BANDS);
    const keys1 = store.to(arrival.slot, NUMBERS);
    for (let k = keys0; k < keys1; k++) {
      const held = postings.lookup(ints[k] as number);
      if (held === -1) continue;
      // An LSH band match is strong evidence, a shared name or title word is some, a shared number is little.
      const at = k - keys0;
      const weight = at < arrival.bandCount ? HIT_WEIGHT_BAND : at < arrival.strongEnd ? HIT_WEIGHT_KEY : HIT_WEIGHT_NUMBER;
      if (held >= 0) {
        hit(held, weight, mark, touched);
        continue;
      }
      for (let node = postings.firstOf(held); node >= 0; node = postings.nextAt(node)) hit(postings.slotAt(node), weight, mark, touched);
    }
    return touched;
  }

  /**
   * The resemblance of an arriving article to the closest member of the story from its own source, when the story has
   * one: two items of one feed are different posts unless nearly identical (an edit or a re-post), so below
   * sameSourceResemblance the story is not a candidate at all.
   */
  function sameSourceResemblance(arrival: Arrival, story: Story): number | undefined {
    if (keyCount(story.sources, arrival.source) === 0) return undefined;
    const hasBody = store.has(arrival.slot, HAS_BODY);
    if (!hasBody && keyCountSize(story.sources) - 1 >= options.headlineSameSourceOutlets) return undefined;
    const ints = store.ints;
    const titleKey = store.from(arrival.slot, TITLE_KEY);
    let best = 0;
    for (let m = story.head; m >= 0; m = nextInStory[m] as number) {
      if (sourceOf[m] !== arrival.source) continue;
      // A short post the site carries in two feeds (RSS and Atom, two sections): the same title over the same text.
      if (contentHashIs(m, arrival.article.contentHash) && packedTitlesEqual(ints, store.from(m, TITLE_KEY), ints, titleKey) && packedTitleLength(ints, titleKey) > 0) return 1;
      best = Math.max(best, nearIdentity(store, arrival.slot, m, probes));
    }
    return best;
  }

  /**
   * Tells whether an article agrees with a story as a whole, not only with the member it matched best: a headline by
   * the story's title centroid, an article with a body by its score against the story's core (earliest member).
   */
  function agreesWithCore(slot: number, candidate: Ranked): boolean {
    const floor = options.coreAgreement * options.threshold;
    const hasBody = store.has(slot, HAS_BODY);
    // Matched on a headline, one shared word is a coincidence ("read", "test"), not a story.
    if ((!hasBody || !store.has(candidate.member, HAS_BODY)) && sharedTitleWords(slot, candidate.story) < options.minSharedTitleWords) return false;
    if (!hasBody) return candidate.profile >= floor || candidate.story.alive < 2;
    const core = candidate.story.head;
    if (core < 0 || core === candidate.member) return true;
    const pair = scorePair(store, slot, core, options.weights, options.windowHours, 0, probes);
    return pair.score >= floor;
  }

  /** Scratch of verify: the members hit in one story. */
  const hitScratch: number[] = [];

  /** Orders the members of a candidate story: more key hits first, then the earlier member. */
  const hitOrder = (x: number, y: number): number => (hits[HIT_FIELDS * y + 1] as number) - (hits[HIT_FIELDS * x + 1] as number) || (seqOf[x] as number) - (seqOf[y] as number);

  function verify(arrival: Arrival): { ranked: Ranked[]; count: number; heldApart: number } {
    const { slot } = arrival;
    const hasBody = store.has(slot, HAS_BODY);
    let heldApart = 0;
    const touched = candidates(arrival);
    // One shared key is enough for a headline (it may be all two headlines share), but a body that shares a single
    // name or word (or two numbers) with another body and no LSH band is not worth verifying.
    const minHits = hasBody ? MIN_KEY_HITS_WITH_BODY : 1;
    // The stories worth verifying: most shared keys first; among equals the most recently started story, which is
    // likelier still unfolding. Only the first maxCandidateStories are needed, so they are selected, not sorted.
    const totals = topK(touched, touched.length, options.maxCandidateStories, storyOrder, (story) => story.hitTotal >= minHits);
    const ranked: Ranked[] = [];
    // A pair that cannot reach the threshold even with identical titles skips the title comparison; its score is then
    // a lower bound, enough to rank rejected candidates.
    const floor = options.threshold;
    const verified = totals.length;
    const maxMembers = hasBody ? options.maxBodyMembersCompared : options.maxMembersCompared;
    for (let t = 0; t < verified; t++) {
      const story = totals[t] as Story;
      const sameSource = sameSourceResemblance(arrival, story);
      if (sameSource !== undefined && sameSource < options.sameSourceResemblance) {
        heldApart++;
        continue;
      }
      // The members sharing the most keys, the earliest first among equals.
      hitScratch.length = 0;
      for (let m = story.hitHead; m >= 0; m = hits[HIT_FIELDS * m + 2] as number) hitScratch.push(m);
      const compared = topK(hitScratch, hitScratch.length, maxMembers, hitOrder);
      const comparedCount = compared.length;
      let best: PairScore | undefined;
      let bestMember = -1;
      for (let c = 0; c < comparedCount; c++) {
        const member = compared[c] as number;
        const pair = scorePair(store, slot, member, options.weights, options.windowHours, floor, probes);
        if (best === undefined || pair.score > best.score) {
          best = pair;
          bestMember = member;
        }
      }
      if (best === undefined) continue;
      // The title centroid is the headline path: it lets a headline join a big story whose versions share its key
      // words; articles with bodies are judged by their bodies instead.
      const profile = hasBody ? 0 : profileCosine(slot, story);
      const profileScore = options.weights.profile * profile - options.weights.conflictPenalty * Math.min(MAX_CONFLICTS_COUNTED, best.conflicts);
      ranked.push({ story, score: Math.min(1, Math.max(best.score, profileScore, sameSource ?? 0)), pair: best, member: bestMember, profile });
    }
    const sorted = topK(ranked, ranked.length, ranked.length, (x, y) => (better(x, y) ? -1 : better(y, x) ? 1 : 0));
    let count = 0;
    for (const story of touched) if (story.hitTotal >= minHits) count++;
    return { ranked: sorted, count, heldApart };
  }

  function evidenceOf(pair: PairScore | undefined, candidates: number, a?: number, b?: number): Evidence {
    const evidence: Evidence = { candidates };
    if (!withEvidence || pair === undefined || a === undefined || b === undefined) return evidence;
    const shared = sharedEvidence(store, a, b);
    if (pair.resemblance !== undefined) evidence.resemblance = round(pair.resemblance);
    if (pair.containment !== undefined) evidence.containment = round(pair.containment);
    evidence.titleSimilarity = round(pair.titleSimilarity);
    evidence.sharedEntities = shared.sharedEntities.slice(0, 20);
    evidence.sharedNumbers = shared.sharedNumbers.slice(0, 20);
    if (shared.conflictingNumbers.length > 0) evidence.conflictingNumbers = shared.conflictingNumbers;
    if (Number.isFinite(pair.hoursApart)) evidence.hoursApart = round(pair.hoursApart);
    if (pair.crossLanguage) evidence.note = 'cross-language: names and numbers only';
    return evidence;
  }

  /**
   * Tells whether story a is the older: its earliest article came first, then it was registered first, then the lower
   * id. Articles remembered from earlier runs are registered in order of first-seen, which ties within a run, so the
   * articles' own times come first.
   */
  function older(a: Story, b: Story): boolean {
    if (a.firstMs !== b.firstMs) return a.firstMs < b.firstMs;
    if (a.seq !== b.seq) return a.seq < b.seq;
    return a.id < b.id;
  }

  /**
   * Moves every member of `from` into `into` with its counts. Document frequencies keep counting both fragments until
   * their members leave the window: made rarer at once, the words the fragments share pulled wrong headlines into the
   * merged story (UCI dev precision 0.934 against 0.939, TUNING.md).
   */
  function mergeInto(from: Story, into: Story): void {
    for (let m = from.head; m >= 0; ) {
      const next = nextInStory[m] as number;
      storyOf[m] = into;
      link(into, m);
      m = next;
    }
    into.alive += from.alive;
    into.bodyMembers += from.bodyMembers;
    forEachKeyCount(from.sources, (source, n) => {
      into.sources = addKeyCount(into.sources, source, n);
    });
    forEachKeyCount(from.keyCounts, (key, n) => {
      const had = keyCount(into.keyCounts, key);
      const fromUnits = from.keyUnits?.get(key) ?? 1;
      into.keyCounts = addKeyCount(into.keyCounts, key, n);
      if (had === 0) {
        if (fromUnits > 1) (into.keyUnits ??= new Map()).set(key, fromUnits);
      } else (into.keyUnits ??= new Map()).set(key, (into.keyUnits.get(key) ?? 1) + fromUnits);
    });
    forEachKeyCount(from.profile, (t, n) => {
      into.profile = addKeyCount(into.profile, t, n);
    });
    if (from.firstMs < into.firstMs) into.firstMs = from.firstMs;
    from.alive = 0;
    from.head = from.tail = -1;
    from.keyCounts = [];
    from.sources = [];
    from.keyUnits = undefined;
    from.profile = [];
    stories.delete(from.id);
  }

  /**
   * Compares a story that just changed, as a whole, with the candidate stories its new article met, and merges those
   * whose members agree with it as wholes; the younger story goes into the older. Only headline stories merge: a title
   * and name profile is names-only evidence for full texts, which are joined by their bodies. A merge is refused when
   * the new article's counts contradict the other story's closest member (another event at the same place). Returns
   * the merges, in order.
   */
  function mergeAround(changed: Story, ranked: readonly Ranked[], slot: number): StoryMerge[] | undefined {
    if (options.mergeThreshold > 1 || changed.keptApart || changed.bodyMembers > 0) return undefined;
    let merges: StoryMerge[] | undefined;
    let current = changed;
    let norm = Number.NaN;
    for (const candidate of ranked) {
      // Ranked by score: the rest are further still from the article that changed the story.
      if (candidate.score < options.mergeCandidateFloor) break;
      const other = candidate.story;
      if (other === current || other.keptApart || other.bodyMembers > 0 || stories.get(other.id) !== other) continue;
      if (Number.isNaN(norm)) norm = storyNorm(current, idf);
      const similarity = storyCosine(current, other, idf, norm);
      if (similarity < options.mergeThreshold) continue;
      if (countConflicts(store, slot, candidate.member) > 0) continue;
      const [from, into] = older(other, current) ? [current, other] : [other, current];
      mergeInto(from, into);
      const evidence: Evidence = {
        storySimilarity: round(similarity),
        ...(withEvidence ? { sharedEntities: sharedEvidence(store, slot, candidate.member).sharedEntities.slice(0, 20) } : {}),
        note: 'stories merged: their members agree as wholes',
      };
      (merges ??= []).push({ from: from.id, into: into.id, score: round(similarity), evidence });
      current = into;
      norm = Number.NaN;
    }
    return merges;
  }

  return {
    keepApart(storyId: string): void {
      keptApart.add(storyId);
      const story = stories.get(storyId);
      if (story !== undefined) story.keptApart = true;
    },

    remember(article: Article, storyId: string): void {
      const arrival = arrive(article);
      register(arrival, storyFor(storyId, store.timeMs[arrival.slot] as number));
    },

    assign(article: Article): Decision {
      const arrival = arrive(article);
      const { slot } = arrival;
      const found = findExact(arrival);
      if (found !== undefined) {
        const story = storyOf[found.member] as Story;
        const evidence: Evidence = { note: `same ${found.kind} as ${articleIdAt(found.member)}` };
        register(arrival, story);
        if (found.kind !== undefined) evidence.exact = found.kind;
        return { articleId: article.id, storyId: story.id, action: 'exact-duplicate', score: 1, evidence };
      }
      store.writeRarity(slot, idf);
      const { ranked, count, heldApart } = verify(arrival);
      // The best story above the threshold that the article agrees with as a whole; ranked is best first.
      let chosen = -1;
      let driftedFrom: Ranked | undefined;
      for (let r = 0; r < ranked.length && chosen < 0; r++) {
        const candidate = ranked[r] as Ranked;
        if (candidate.score < options.threshold) break;
        if (agreesWithCore(slot, candidate)) chosen = r;
        else driftedFrom ??= candidate;
      }
      const top = chosen >= 0 ? ranked[chosen] : ranked[0];
      if (chosen >= 0 && top !== undefined) {
        const second = ranked[chosen === 0 ? 1 : 0];
        register(arrival, top.story, true);
        const decision: Decision = { articleId: article.id, storyId: top.story.id, action: 'joined', score: round(top.score), evidence: evidenceOf(top.pair, count, slot, top.member) };
        addRunnerUp(decision, second);
        const merges = mergeAround(top.story, ranked, slot);
        if (merges !== undefined) {
          decision.merges = merges;
          decision.storyId = (storyOf[slot] as Story).id;
        }
        return decision;
      }
      const storyId = newStoryId(article);
      // The closest rejected story was only bounded; score it fully once so its evidence lists what was shared.
      const closest = top === undefined || !withEvidence ? undefined : scorePair(store, slot, top.member, options.weights, options.windowHours, 0, probes);
      register(arrival, storyFor(storyId, store.timeMs[slot] as number), true);
      // A new story's evidence is the closest story it did not join, so a reviewer sees why it stayed apart.
      const decision: Decision = { articleId: article.id, storyId, action: 'new-story', score: 0, evidence: evidenceOf(closest, count, slot, top?.member) };
      if (driftedFrom !== undefined) decision.evidence.note = `matched a version of ${driftedFrom.story.id} but not the story's core`;
      else if (heldApart > 0) decision.evidence.note = `held apart from ${heldApart} candidate story(ies) holding another post of the same source`;
      addRunnerUp(decision, top);
      const merges = mergeAround(storyOf[slot] as Story, ranked, slot);
      if (merges !== undefined) {
        decision.merges = merges;
        decision.storyId = (storyOf[slot] as Story).id;
        // The article's own story went into an older one as a whole: the article is placed there by the merge.
        const own = merges.find((m) => m.from === storyId);
        if (own !== undefined) {
          decision.action = 'merged';
          decision.score = own.score;
          decision.evidence = { ...own.evidence, candidates: count };
        }
      }
      return decision;
    },

    fit(): void {
      fitWindow(false);
    },

    retireSeenBefore(cutoffMs: number): number {
      let retired = 0;
      for (let slot = 0; slot < storyOf.length; slot++) {
        if (storyOf[slot] === undefined || !((seenOf[slot] as number) < cutoffMs)) continue;
        evictSlot(slot);
        retired++;
      }
      if (fitDue) fitWindow(true);
      return retired;
    },

    size(): number {
      return live;
    },
  };
}

/** The lists a member counts in its source's template. */
const TEMPLATE_LISTS = [SHINGLES, ENTITIES, NUMBERS] as const;

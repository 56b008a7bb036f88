import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { Decision, Evidence, StoryIndex, StoryMerge } from '../model/story.js';
import { computeFeatures, SALT_ENTITY, SALT_NUMBER, type ArticleFeatures } from './article-features.js';
import { fnv1a } from './hash.js';
import { CandidatePostings } from './candidate-postings.js';
import { IntCounts } from './int-key-map.js';
import { storyCosine, storyNorm } from './merge-stories.js';
import { SetProbe, unionSorted } from './minhash.js';
import { countConflicts, MAX_CONFLICTS_COUNTED, nearIdentity, scorePair, sharedEvidence, type PairScore, type RarityWeights, type ScoreWeights } from './score-pair.js';
import { SourceTemplates } from './source-templates.js';
import { TimeHeap } from './time-heap.js';
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

interface Member {
  seq: number;
  timeMs: number;
  articleId: string;
  story: Story;
  /** Set when the member leaves the window; its story's member list drops it lazily. */
  evicted: boolean;
  /** The features as scored: the source's template (keys most of its items repeat) taken out. */
  features: ArticleFeatures;
  /** The features as computed, template included: blocking, same-source checks and the template counts use them. */
  full: ArticleFeatures;
  /** Hash of the publisher (SourceTemplates.sourceHash of publisherOf). */
  source: number;
  guid: string | undefined;
  /** The article's content hash: with the title, what tells one short post carried by two feeds of one site. */
  contentHash: string;
  /** Rarity weights as of the article's arrival (document frequencies drift slowly; recomputing per pair would not pay). */
  rarity: RarityWeights;
  keys: Int32Array;
  /** DF keys (title tokens and names), counted once each. */
  dfKeys: Int32Array;
  exactKeys: string[];
  /** Scratch of the candidate search: the search that last counted this member's key hits, and the count. */
  hitMark: number;
  hitWeight: number;
}

interface Ranked {
  story: Story;
  score: number;
  pair: PairScore;
  /** The member that gave the story its best pair score. */
  member: Member;
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
  profile: Map<number, number>;
  /** Counts of title tokens and names over the alive members, so document frequency counts stories. */
  keyCounts: Map<number, number>;
  /**
   * Document-frequency units of keys that more than one merged fragment brought (absent: one unit), given back when the
   * key leaves the story: a merge does not make its own words look rarer (see TUNING.md).
   */
  keyUnits: Map<number, number> | undefined;
  /** The members in order of arrival, alive ones and (until compacted) evicted ones: the first alive is the core. */
  members: Member[];
  /** Alive members per source hash. */
  sources: Map<number, number>;
  /** Alive members with a body: a story that has any is joined by text evidence, never merged by its profile. */
  bodyMembers: number;
  /** An operator split this story out: it is never merged automatically. */
  keptApart: boolean;
  /** Scratch of the candidate search: the search that last touched the story, its weighted key hits, its members hit. */
  hitMark: number;
  hitTotal: number;
  /** The members hit, valid up to hitCount (the array is reused, never shrunk). */
  hitMembers: Member[];
  hitCount: number;
}

const MS_PER_HOUR = 3_600_000;
/** Weighted key hits an article with a body must share with a story before the story is verified. */
const MIN_KEY_HITS_WITH_BODY = 2;
const HIT_WEIGHT_BAND = 2;
const HIT_WEIGHT_KEY = 1;
const HIT_WEIGHT_NUMBER = 0.5;

function validate(options: ClusterOptions): void {
  if (options.bands * options.rows !== options.signatureSlots) {
    throw new FeedfoldError('cluster', 'invalid-options', `bands × rows (${options.bands}×${options.rows}) must equal signature slots (${options.signatureSlots})`);
  }
  if (!(options.threshold > 0 && options.threshold <= 1)) throw new FeedfoldError('cluster', 'invalid-options', `threshold ${options.threshold} is not in (0, 1]`);
  if (!(options.mergeThreshold > 0)) throw new FeedfoldError('cluster', 'invalid-options', `mergeThreshold ${options.mergeThreshold} must be positive (above 1 turns merging off)`);
  if (!(options.windowHours > 0)) throw new FeedfoldError('cluster', 'invalid-options', `windowHours ${options.windowHours} must be positive`);
}

function exactKeysOf(article: Article, minHashTextChars: number): string[] {
  const keys: string[] = [];
  if (article.url) keys.push(`url\u0000${article.url}`);
  if (article.guid) keys.push(`guid\u0000${article.sourceId}\u0000${article.guid}`);
  if (article.contentHash && (article.text ?? '').length >= minHashTextChars) keys.push(`hash\u0000${article.contentHash}`);
  return keys;
}

const EXACT_KIND: Record<string, Evidence['exact']> = { url: 'url', guid: 'guid', hash: 'content-hash' };

/** Ranks two scored stories: higher score first, then the earliest story, then the lowest id (the documented tie-break). */
function better(a: { story: Story; score: number }, b: { story: Story; score: number }): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.story.firstMs !== b.story.firstMs) return a.story.firstMs < b.story.firstMs;
  return a.story.id < b.story.id;
}

function evidenceOf(pair: PairScore | undefined, candidates: number, a?: ArticleFeatures, b?: ArticleFeatures): Evidence {
  const evidence: Evidence = { candidates };
  if (pair === undefined || a === undefined || b === undefined) return evidence;
  const shared = sharedEvidence(a, b);
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

/** Orders candidate stories: more key hits first, then the most recently started. */
function storyOrder(x: Story, y: Story): number {
  return y.hitTotal - x.hitTotal || y.seq - x.seq;
}

/** Orders the members of a candidate story: more key hits first, then the earlier member. */
function hitOrder(x: Member, y: Member): number {
  return y.hitWeight - x.hitWeight || x.seq - y.seq;
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
 * Creates an incremental story index: exact duplicates first, then candidates from MinHash LSH and name/number
 * blocking, verified by a combined score; memory is bounded by the time window.
 */
export function createStoryIndex(options: ClusterOptions, newStoryId: (article: Article) => string): StoryIndex {
  validate(options);
  const featureOptions = { shingleSize: options.shingleSize, bands: options.bands, rows: options.rows };
  const windowMs = options.windowHours * MS_PER_HOUR;
  const postings = new CandidatePostings<Member>(options.maxPostingsPerKey, (m) => m.story, windowMs);
  const exact = new Map<string, Member>();
  const stories = new Map<string, Story>();
  /** Stories an operator split out: never merged automatically (see keepApart). */
  const keptApart = new Set<string>();
  /** Document frequency of title words and names, counted in stories of the window. */
  const df = new IntCounts();
  const heap = new TimeHeap<Member>();
  /** What each source repeats across its items in the window. */
  const templates = new SourceTemplates(options.templateMinShare);
  let seq = 0;
  let storySeq = 0;
  let newestMs = Number.NEGATIVE_INFINITY;

  const idf = (hash: number): number => Math.log(1 + (stories.size + 1) / (df.get(hash) + 1));

  /** The blocking keys of an article: LSH bands, then title words and names, then numbers (verify reads that order). */
  function keysOf(f: ArticleFeatures): Int32Array {
    const bands = f.bandKeys === undefined ? 0 : f.bandKeys.length;
    const out = new Int32Array(bands + f.titleTokens.length + f.entityKeys.length + f.numberHashes.length);
    if (f.bandKeys !== undefined) out.set(f.bandKeys, 0);
    out.set(f.titleTokens, bands);
    out.set(f.entityKeys, bands + f.titleTokens.length);
    out.set(f.numberHashes, bands + f.titleTokens.length + f.entityKeys.length);
    return out;
  }

  function dfKeysOf(f: ArticleFeatures): Int32Array {
    return unionSorted(f.titleTokens, f.entityHashes);
  }

  function rarityOf(f: ArticleFeatures): RarityWeights {
    return { title: Float64Array.from(f.titleTokens, idf), entities: Float64Array.from(f.entityHashes, idf) };
  }

  /** What an arriving article brings before it is placed: computed once, used to search and then to register. */
  interface Arrival {
    article: Article;
    /** As scored: the source's template taken out. */
    features: ArticleFeatures;
    full: ArticleFeatures;
    source: number;
    exactKeys: string[];
    keys: Int32Array;
  }

  function arrive(article: Article): Arrival {
    const full = placeInTime(computeFeatures(article, featureOptions));
    advance(full.timeMs);
    fullLoaded = false;
    const source = SourceTemplates.sourceHash(publisherOf(article));
    return { article, features: withoutTemplate(full, source), full, source, exactKeys: exactKeysOf(article, options.minHashTextChars), keys: keysOf(full) };
  }

  /** The key lists a member adds to its source's template counts (and removes again on eviction). */
  const templateKeysOf = (f: ArticleFeatures): Int32Array[] => [f.shingles, f.entityHashes, f.numberHashes];

  /**
   * Takes out of an arriving article's body evidence what its source repeats in most of its items (shingles, names,
   * numbers): shared template is no evidence that two items tell the same story. Headlines keep every word: a source
   * that follows one event repeats its names from headline to headline, and that is the story, not a template
   * (measured on the UCI dev headlines, see TUNING.md).
   */
  function withoutTemplate(f: ArticleFeatures, source: number): ArticleFeatures {
    if (!f.hasBody) return f;
    const shingles = templates.distinctive(source, f.shingles);
    const entityHashes = templates.distinctive(source, f.entityHashes);
    const numberHashes = templates.distinctive(source, f.numberHashes);
    if (shingles === f.shingles && entityHashes === f.entityHashes && numberHashes === f.numberHashes) return f;
    const view: ArticleFeatures = { ...f, shingles, entityHashes, numberHashes };
    if (entityHashes !== f.entityHashes) view.entities = keepHashed(f.entities, entityHashes, SALT_ENTITY);
    if (numberHashes !== f.numberHashes) view.numbers = keepHashed(f.numbers, numberHashes, SALT_NUMBER);
    return view;
  }

  function register(arrival: Arrival, story: Story, rarity: RarityWeights = rarityOf(arrival.features)): Member {
    const { article, features, full } = arrival;
    const member: Member = {
      seq: seq++,
      timeMs: features.timeMs,
      articleId: article.id,
      story,
      evicted: false,
      features,
      full,
      source: arrival.source,
      guid: article.guid,
      contentHash: article.contentHash,
      rarity,
      keys: arrival.keys,
      dfKeys: dfKeysOf(full),
      exactKeys: arrival.exactKeys,
      hitMark: 0,
      hitWeight: 0,
    };
    templates.add(member.source, templateKeysOf(full));
    story.members.push(member);
    story.sources.set(member.source, (story.sources.get(member.source) ?? 0) + 1);
    // Indexed loops over the typed arrays: this runs for every article, and for-of would allocate an iterator.
    for (let k = 0; k < member.keys.length; k++) postings.add(member.keys[k] as number, member, newestMs);
    // The newest holder of a key wins, so the key outlives the eviction of older holders.
    for (const key of member.exactKeys) exact.set(key, member);
    story.alive++;
    if (features.hasBody) story.bodyMembers++;
    for (let k = 0; k < full.titleTokens.length; k++) {
      const t = full.titleTokens[k] as number;
      story.profile.set(t, (story.profile.get(t) ?? 0) + 1);
    }
    for (let k = 0; k < member.dfKeys.length; k++) {
      const key = member.dfKeys[k] as number;
      const n = story.keyCounts.get(key) ?? 0;
      story.keyCounts.set(key, n + 1);
      // Rarity is counted in stories, not articles: a name every version of one big story repeats is still rare.
      if (n === 0) df.add(key, 1);
    }
    heap.push(member);
    return member;
  }

  /** Moves the window to an arriving article's time before it is compared, so it never meets expired articles. */
  /**
   * An undated article sits at the window's newest time (when first seen, it was at most that
   * recent): it neither pushes the window forward nor gets evicted before its contemporaries.
   */
  function placeInTime(features: ArticleFeatures): ArticleFeatures {
    if (!features.timeKnown && Number.isFinite(newestMs) && features.timeMs > newestMs) features.timeMs = newestMs;
    return features;
  }

  function advance(timeMs: number): void {
    if (timeMs > newestMs) newestMs = timeMs;
    evict();
  }

  function evict(): void {
    const cutoff = newestMs - windowMs;
    for (let oldest = heap.peek(); oldest !== undefined && oldest.timeMs < cutoff; oldest = heap.peek()) {
      heap.pop();
      for (let k = 0; k < oldest.keys.length; k++) postings.remove(oldest.keys[k] as number, oldest);
      for (let k = 0; k < oldest.dfKeys.length; k++) {
        const key = oldest.dfKeys[k] as number;
        const inStory = (oldest.story.keyCounts.get(key) ?? 1) - 1;
        if (inStory > 0) {
          oldest.story.keyCounts.set(key, inStory);
          continue;
        }
        oldest.story.keyCounts.delete(key);
        const units = oldest.story.keyUnits?.get(key);
        if (units !== undefined) oldest.story.keyUnits?.delete(key);
        df.add(key, -(units ?? 1));
      }
      for (const key of oldest.exactKeys) if (exact.get(key) === oldest) exact.delete(key);
      templates.remove(oldest.source, templateKeysOf(oldest.full));
      const story = oldest.story;
      const fromSource = (story.sources.get(oldest.source) ?? 1) - 1;
      if (fromSource > 0) story.sources.set(oldest.source, fromSource);
      else story.sources.delete(oldest.source);
      oldest.story.alive--;
      if (oldest.features.hasBody) story.bodyMembers--;
      oldest.evicted = true;
      // The list is compacted lazily, so eviction stays O(1) per member.
      if (story.members.length > 2 * story.alive + 8) story.members = story.members.filter((m) => !m.evicted);
      const titleTokens = oldest.full.titleTokens;
      for (let k = 0; k < titleTokens.length; k++) {
        const t = titleTokens[k] as number;
        const n = (oldest.story.profile.get(t) ?? 1) - 1;
        if (n <= 0) oldest.story.profile.delete(t);
        else oldest.story.profile.set(t, n);
      }
      if (oldest.story.alive <= 0) stories.delete(oldest.story.id);
    }
  }

  function storyFor(id: string, timeMs: number): Story {
    let story = stories.get(id);
    if (story === undefined) {
      story = { id, seq: storySeq++, firstMs: timeMs, alive: 0, profile: new Map(), keyCounts: new Map(), keyUnits: undefined, members: [], sources: new Map(), bodyMembers: 0, keptApart: keptApart.has(id), hitMark: 0, hitTotal: 0, hitMembers: [], hitCount: 0 };
      stories.set(id, story);
    } else if (timeMs < story.firstMs) story.firstMs = timeMs;
    return story;
  }

  function findExact(arrival: Arrival): { member: Member; kind: Evidence['exact'] } | undefined {
    for (const key of arrival.exactKeys) {
      const member = exact.get(key);
      if (member === undefined) continue;
      const kind = EXACT_KIND[key.slice(0, key.indexOf('\u0000'))];
      // One page can carry several posts of a source, told apart by a fragment the canonical URL drops (a blog's day
      // page, `/2017/06/26.html#a080605`): items of one source with one URL but different GUIDs are different posts.
      const guid = arrival.article.guid;
      if (kind === 'url' && member.source === arrival.source && guid !== undefined && member.guid !== undefined && member.guid !== guid) continue;
      // One text under two unrelated headlines of one source is a wall the site serves (a consent page), not a re-send.
      if (kind === 'content-hash' && member.source === arrival.source && nearIdentity(arrival.full, member.full, probeOf(arrival)) === 0) continue;
      return { member, kind };
    }
    return undefined;
  }

  function profileCosine(tokens: Int32Array, story: Story): number {
    if (tokens.length === 0 || story.alive === 0) return 0;
    let dot = 0;
    let na = 0;
    for (const t of tokens) {
      const w = idf(t);
      na += w * w;
      const c = story.profile.get(t);
      if (c !== undefined) dot += w * w * (c / story.alive);
    }
    let ns = 0;
    for (const [t, c] of story.profile) {
      const w = idf(t) * (c / story.alive);
      ns += w * w;
    }
    return na > 0 && ns > 0 ? dot / Math.sqrt(na * ns) : 0;
  }

  /**
   * Counts the title words of an article that the story's titles use too; a word that several of the story's titles
   * repeat (the event's name) counts double, since the story as a whole is about it.
   */
  function sharedTitleWords(tokens: Int32Array, story: Story): number {
    let n = 0;
    for (let k = 0; k < tokens.length; k++) {
      const c = story.profile.get(tokens[k] as number);
      if (c !== undefined) n += c >= 2 ? 2 : 1;
    }
    return n;
  }

  /** The arriving article's shingles, loaded once for the pairs it is scored in. */
  const shingleProbe = new SetProbe();

  /** Numbers the candidate searches, so scratch fields left by an earlier search read as stale without clearing. */
  let searchMark = 0;

  /** Counts one key hit of a member, and of its story (the first hit of a search resets the scratch counts). */
  function hit(m: Member, weight: number, mark: number, touched: Story[]): void {
    const story = m.story;
    if (story.hitMark !== mark) {
      story.hitMark = mark;
      story.hitTotal = 0;
      story.hitCount = 0;
      touched.push(story);
    }
    story.hitTotal += weight;
    if (m.hitMark !== mark) {
      m.hitMark = mark;
      m.hitWeight = 0;
      story.hitMembers[story.hitCount++] = m;
    }
    m.hitWeight += weight;
  }

  /** Collects the stories that share keys with an article, with weighted hit counts per story and per member. */
  function candidates(keys: Int32Array, bandCount: number, strongEnd: number): Story[] {
    const mark = ++searchMark;
    const touched: Story[] = [];
    for (let k = 0; k < keys.length; k++) {
      const held = postings.lookup(keys[k] as number);
      if (held === undefined) continue;
      // An LSH band match is strong evidence, a shared name or title word is some, a shared number is little.
      const weight = k < bandCount ? HIT_WEIGHT_BAND : k < strongEnd ? HIT_WEIGHT_KEY : HIT_WEIGHT_NUMBER;
      if (!Array.isArray(held)) {
        hit(held as Member, weight, mark, touched);
        continue;
      }
      for (let e = 0; e < held.length; e++) hit(held[e] as Member, weight, mark, touched);
    }
    return touched;
  }

  /**
   * The resemblance of an arriving article to the closest member of the story from its own source, when the story has
   * one: two items of one feed are different posts unless nearly identical (an edit or a re-post), so below
   * sameSourceResemblance the story is not a candidate at all.
   */
  function sameSourceResemblance(arrival: Arrival, story: Story): number | undefined {
    if (!story.sources.has(arrival.source)) return undefined;
    if (!arrival.features.hasBody && story.sources.size - 1 >= options.headlineSameSourceOutlets) return undefined;
    let best = 0;
    for (const m of story.members) {
      if (m.source !== arrival.source || m.evicted) continue;
      // A short post the site carries in two feeds (RSS and Atom, two sections): the same title over the same text.
      if (m.contentHash === arrival.article.contentHash && m.full.titleKey === arrival.full.titleKey && m.full.titleKey !== '') return 1;
      best = Math.max(best, nearIdentity(arrival.full, m.full, probeOf(arrival)));
    }
    return best;
  }

  /** Loads the arriving article's full shingles for the same-source checks (once per arrival). */
  function probeOf(arrival: Arrival): SetProbe {
    if (!fullLoaded) {
      fullProbe.load(arrival.full.shingles);
      fullLoaded = true;
    }
    return fullProbe;
  }

  /**
   * Tells whether an article agrees with a story as a whole, not only with the member it matched best: a headline by
   * the story's title centroid, an article with a body by its score against the story's core (earliest member).
   */
  function agreesWithCore(features: ArticleFeatures, rarity: RarityWeights, candidate: Ranked): boolean {
    const floor = options.coreAgreement * options.threshold;
    // Matched on a headline, one shared word is a coincidence ("read", "test"), not a story.
    if ((!features.hasBody || !candidate.member.features.hasBody) && sharedTitleWords(features.titleTokens, candidate.story) < options.minSharedTitleWords) return false;
    if (!features.hasBody) return candidate.profile >= floor || candidate.story.alive < 2;
    const core = aliveMembers(candidate.story)[0];
    if (core === undefined || core === candidate.member) return true;
    const pair = scorePair(features, core.features, rarity, core.rarity, options.weights, options.windowHours, 0, shingleProbe);
    return pair.score >= floor;
  }

  /** The arriving article's full shingles (template included), loaded on the first same-source check. */
  const fullProbe = new SetProbe();
  let fullLoaded = false;

  function verify(arrival: Arrival, rarity: RarityWeights): { ranked: Ranked[]; count: number; heldApart: number } {
    const { features, keys } = arrival;
    let heldApart = 0;
    const bandCount = features.bandKeys === undefined ? 0 : features.bandKeys.length;
    const touched = candidates(keys, bandCount, keys.length - features.numberHashes.length);
    // One shared key is enough for a headline (it may be all two headlines share), but a body that shares a single
    // name or word (or two numbers) with another body and no LSH band is not worth verifying.
    const minHits = features.hasBody ? MIN_KEY_HITS_WITH_BODY : 1;
    // The stories worth verifying: most shared keys first; among equals the most recently started story, which is
    // likelier still unfolding. Only the first maxCandidateStories are needed, so they are selected, not sorted.
    const totals = topK(touched, touched.length, options.maxCandidateStories, storyOrder, (story) => story.hitTotal >= minHits);
    const ranked: Ranked[] = [];
    // A pair that cannot reach the threshold even with identical titles skips the title comparison; its score is then
    // a lower bound, enough to rank rejected candidates.
    const floor = options.threshold;
    const probe = features.hasBody && totals.length > 0 ? shingleProbe : undefined;
    probe?.load(features.shingles);
    const verified = totals.length;
    const maxMembers = features.hasBody ? options.maxBodyMembersCompared : options.maxMembersCompared;
    for (let t = 0; t < verified; t++) {
      const story = totals[t] as Story;
      const sameSource = sameSourceResemblance(arrival, story);
      if (sameSource !== undefined && sameSource < options.sameSourceResemblance) {
        heldApart++;
        continue;
      }
      // The members sharing the most keys, the earliest first among equals.
      const compared = topK(story.hitMembers, story.hitCount, maxMembers, hitOrder);
      const comparedCount = compared.length;
      let best: PairScore | undefined;
      let bestMember: Member | undefined;
      for (let c = 0; c < comparedCount; c++) {
        const member = compared[c] as Member;
        const pair = scorePair(features, member.features, rarity, member.rarity, options.weights, options.windowHours, floor, probe);
        if (best === undefined || pair.score > best.score) {
          best = pair;
          bestMember = member;
        }
      }
      if (best === undefined || bestMember === undefined) continue;
      // The title centroid is the headline path: it lets a headline join a big story whose versions share its key
      // words; articles with bodies are judged by their bodies instead.
      const profile = features.hasBody ? 0 : profileCosine(features.titleTokens, story);
      const profileScore = options.weights.profile * profile - options.weights.conflictPenalty * Math.min(MAX_CONFLICTS_COUNTED, best.conflicts);
      ranked.push({ story, score: Math.min(1, Math.max(best.score, profileScore, sameSource ?? 0)), pair: best, member: bestMember, profile });
    }
    const sorted = topK(ranked, ranked.length, ranked.length, (x, y) => (better(x, y) ? -1 : better(y, x) ? 1 : 0));
    let count = 0;
    for (const story of touched) if (story.hitTotal >= minHits) count++;
    return { ranked: sorted, count, heldApart };
  }

  /** The alive members of a story (the evicted ones dropped from its list first). */
  function aliveMembers(story: Story): Member[] {
    if (story.members.length !== story.alive) story.members = story.members.filter((m) => !m.evicted);
    return story.members;
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
    for (const m of aliveMembers(from)) {
      m.story = into;
      into.members.push(m);
    }
    into.alive += from.alive;
    into.bodyMembers += from.bodyMembers;
    for (const [source, n] of from.sources) into.sources.set(source, (into.sources.get(source) ?? 0) + n);
    for (const [key, n] of from.keyCounts) {
      const had = into.keyCounts.get(key);
      const fromUnits = from.keyUnits?.get(key) ?? 1;
      if (had === undefined) {
        into.keyCounts.set(key, n);
        if (fromUnits > 1) (into.keyUnits ??= new Map()).set(key, fromUnits);
      } else {
        into.keyCounts.set(key, had + n);
        (into.keyUnits ??= new Map()).set(key, (into.keyUnits.get(key) ?? 1) + fromUnits);
      }
    }
    for (const [t, n] of from.profile) into.profile.set(t, (into.profile.get(t) ?? 0) + n);
    if (from.firstMs < into.firstMs) into.firstMs = from.firstMs;
    from.alive = 0;
    from.members = [];
    from.keyCounts.clear();
    from.sources.clear();
    from.keyUnits = undefined;
    from.profile.clear();
    stories.delete(from.id);
  }

  /**
   * Compares a story that just changed, as a whole, with the candidate stories its new article met, and merges those
   * whose members agree with it as wholes; the younger story goes into the older. Only headline stories merge: a title
   * and name profile is names-only evidence for full texts, which are joined by their bodies. A merge is refused when
   * the new article's counts contradict the other story's closest member (another event at the same place). Returns
   * the merges, in order.
   */
  function mergeAround(changed: Story, ranked: readonly Ranked[], features: ArticleFeatures): StoryMerge[] | undefined {
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
      if (countConflicts(features, candidate.member.features) > 0) continue;
      const [from, into] = older(other, current) ? [current, other] : [other, current];
      mergeInto(from, into);
      const evidence: Evidence = {
        storySimilarity: round(similarity),
        sharedEntities: sharedEvidence(features, candidate.member.features).sharedEntities.slice(0, 20),
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
      register(arrival, storyFor(storyId, arrival.features.timeMs));
    },

    assign(article: Article): Decision {
      const arrival = arrive(article);
      const { features } = arrival;
      const found = findExact(arrival);
      if (found !== undefined) {
        register(arrival, found.member.story);
        const evidence: Evidence = { note: `same ${found.kind} as ${found.member.articleId}` };
        if (found.kind !== undefined) evidence.exact = found.kind;
        return { articleId: article.id, storyId: found.member.story.id, action: 'exact-duplicate', score: 1, evidence };
      }
      const rarity = rarityOf(features);
      const { ranked, count, heldApart } = verify(arrival, rarity);
      // The best story above the threshold that the article agrees with as a whole; ranked is best first.
      let chosen = -1;
      let driftedFrom: Ranked | undefined;
      for (let r = 0; r < ranked.length && chosen < 0; r++) {
        const candidate = ranked[r] as Ranked;
        if (candidate.score < options.threshold) break;
        if (agreesWithCore(features, rarity, candidate)) chosen = r;
        else driftedFrom ??= candidate;
      }
      const top = chosen >= 0 ? ranked[chosen] : ranked[0];
      if (chosen >= 0 && top !== undefined) {
        const second = ranked[chosen === 0 ? 1 : 0];
        const member = register(arrival, top.story, rarity);
        const decision: Decision = { articleId: article.id, storyId: top.story.id, action: 'joined', score: round(top.score), evidence: evidenceOf(top.pair, count, features, top.member.features) };
        if (second !== undefined) decision.runnerUp = { storyId: second.story.id, score: round(second.score) };
        const merges = mergeAround(top.story, ranked, features);
        if (merges !== undefined) {
          decision.merges = merges;
          decision.storyId = member.story.id;
        }
        return decision;
      }
      const storyId = newStoryId(article);
      // The closest rejected story was only bounded; score it fully once so its evidence lists what was shared.
      const closest = top === undefined ? undefined : scorePair(features, top.member.features, rarity, top.member.rarity, options.weights, options.windowHours, 0, features.hasBody ? shingleProbe : undefined);
      const member = register(arrival, storyFor(storyId, features.timeMs), rarity);
      // A new story's evidence is the closest story it did not join, so a reviewer sees why it stayed apart.
      const decision: Decision = { articleId: article.id, storyId, action: 'new-story', score: 0, evidence: evidenceOf(closest, count, features, top?.member.features) };
      if (driftedFrom !== undefined) decision.evidence.note = `matched a version of ${driftedFrom.story.id} but not the story's core`;
      else if (heldApart > 0) decision.evidence.note = `held apart from ${heldApart} candidate story(ies) holding another post of the same source`;
      if (top !== undefined) decision.runnerUp = { storyId: top.story.id, score: round(top.score) };
      const merges = mergeAround(member.story, ranked, features);
      if (merges !== undefined) {
        decision.merges = merges;
        decision.storyId = member.story.id;
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

    size(): number {
      return heap.length;
    },
  };
}

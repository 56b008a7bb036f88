import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { Decision, Evidence, StoryIndex, StoryMerge } from '../model/story.js';
import { computeFeatures, type ArticleFeatures } from './article-features.js';
import { CandidatePostings } from './candidate-postings.js';
import { IntCounts } from './int-key-map.js';
import { storyCosine, storyNorm } from './merge-stories.js';
import { SetProbe, unionSorted } from './minhash.js';
import { countConflicts, MAX_CONFLICTS_COUNTED, scorePair, sharedEvidence, type PairScore, type RarityWeights, type ScoreWeights } from './score-pair.js';
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
  mergeThreshold: 0.45,
  mergeCandidateFloor: 0.1,
  weights: {
    text: 0.5,
    title: 0.2,
    entities: 0.2,
    numbers: 0.1,
    profile: 1,
    fullResemblance: 0.15,
    crossLanguage: 1,
    conflictPenalty: 0.25,
    timePenalty: 0.1,
  },
};

interface Member {
  seq: number;
  timeMs: number;
  articleId: string;
  story: Story;
  /** Set when the member leaves the window; its story's member list drops it lazily. */
  evicted: boolean;
  features: ArticleFeatures;
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
  /** The members, alive ones and (until compacted) evicted ones, so a merge can move them. */
  members: Member[];
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
    features: ArticleFeatures;
    exactKeys: string[];
    keys: Int32Array;
  }

  function arrive(article: Article): Arrival {
    const features = placeInTime(computeFeatures(article, featureOptions));
    advance(features.timeMs);
    return { article, features, exactKeys: exactKeysOf(article, options.minHashTextChars), keys: keysOf(features) };
  }

  function register(arrival: Arrival, story: Story, rarity: RarityWeights = rarityOf(arrival.features)): Member {
    const { article, features } = arrival;
    const member: Member = {
      seq: seq++,
      timeMs: features.timeMs,
      articleId: article.id,
      story,
      evicted: false,
      features,
      rarity,
      keys: arrival.keys,
      dfKeys: dfKeysOf(features),
      exactKeys: arrival.exactKeys,
      hitMark: 0,
      hitWeight: 0,
    };
    // Indexed loops over the typed arrays: this runs for every article, and for-of would allocate an iterator.
    for (let k = 0; k < member.keys.length; k++) postings.add(member.keys[k] as number, member, newestMs);
    // The newest holder of a key wins, so the key outlives the eviction of older holders.
    for (const key of member.exactKeys) exact.set(key, member);
    story.alive++;
    story.members.push(member);
    if (features.hasBody) story.bodyMembers++;
    for (let k = 0; k < features.titleTokens.length; k++) {
      const t = features.titleTokens[k] as number;
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
      oldest.story.alive--;
      if (oldest.features.hasBody) oldest.story.bodyMembers--;
      oldest.evicted = true;
      // The list is compacted lazily, so eviction stays O(1) per member.
      if (oldest.story.members.length > 2 * oldest.story.alive + 8) oldest.story.members = oldest.story.members.filter((m) => !m.evicted);
      const titleTokens = oldest.features.titleTokens;
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
      story = { id, seq: storySeq++, firstMs: timeMs, alive: 0, profile: new Map(), keyCounts: new Map(), keyUnits: undefined, members: [], bodyMembers: 0, keptApart: keptApart.has(id), hitMark: 0, hitTotal: 0, hitMembers: [], hitCount: 0 };
      stories.set(id, story);
    } else if (timeMs < story.firstMs) story.firstMs = timeMs;
    return story;
  }

  function findExact(exactKeys: readonly string[]): { member: Member; kind: Evidence['exact'] } | undefined {
    for (const key of exactKeys) {
      const member = exact.get(key);
      if (member !== undefined) return { member, kind: EXACT_KIND[key.slice(0, key.indexOf('\u0000'))] };
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

  function verify(features: ArticleFeatures, rarity: RarityWeights, keys: Int32Array): { ranked: Ranked[]; count: number } {
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
      ranked.push({ story, score: Math.min(1, Math.max(best.score, profileScore)), pair: best, member: bestMember });
    }
    const sorted = topK(ranked, ranked.length, ranked.length, (x, y) => (better(x, y) ? -1 : better(y, x) ? 1 : 0));
    let count = 0;
    for (const story of touched) if (story.hitTotal >= minHits) count++;
    return { ranked: sorted, count };
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
      const { features, keys } = arrival;
      const found = findExact(arrival.exactKeys);
      if (found !== undefined) {
        register(arrival, found.member.story);
        const evidence: Evidence = { note: `same ${found.kind} as ${found.member.articleId}` };
        if (found.kind !== undefined) evidence.exact = found.kind;
        return { articleId: article.id, storyId: found.member.story.id, action: 'exact-duplicate', score: 1, evidence };
      }
      const rarity = rarityOf(features);
      const { ranked, count } = verify(features, rarity, keys);
      const top = ranked[0];
      const second = ranked[1];
      if (top !== undefined && top.score >= options.threshold) {
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

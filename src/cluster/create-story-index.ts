import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { Decision, Evidence, StoryIndex } from '../model/story.js';
import { computeFeatures, WordCache, type ArticleFeatures } from './article-features.js';
import { CandidatePostings } from './candidate-postings.js';
import { bandKeys, createPermutations } from './minhash.js';
import { MAX_CONFLICTS_COUNTED, scorePair, sharedEvidence, type PairScore, type RarityWeights, type ScoreWeights } from './score-pair.js';
import { TimeHeap } from './time-heap.js';

/** Settings of the story index; DEFAULT_CLUSTER_OPTIONS holds the tuned values (see TUNING.md). */
export interface ClusterOptions {
  /** Minimum combined score for an article to join a story, 0..1. */
  threshold: number;
  /** Articles older than this, relative to the newest time seen, leave the index. */
  windowHours: number;
  /** Words per shingle (content-word stems, function words dropped). */
  shingleSize: number;
  /** MinHash permutations; must equal bands × rows. */
  permutations: number;
  bands: number;
  rows: number;
  /** A blocking key shared by more stories than this is too common to say anything and is skipped. */
  maxPostingsPerKey: number;
  /** At most this many candidate stories are verified per article (those sharing the most keys). */
  maxCandidateStories: number;
  /** At most this many members of one candidate story are compared with the article. */
  maxMembersCompared: number;
  /** Text with at least this many characters makes an identical content hash an exact duplicate. */
  minHashTextChars: number;
  weights: ScoreWeights;
}

/** Tuned defaults: see src/cluster/TUNING.md for the sweep on the UCI dev headlines and the bench. */
export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  threshold: 0.25,
  windowHours: 72,
  shingleSize: 2,
  permutations: 64,
  bands: 16,
  rows: 4,
  maxPostingsPerKey: 48,
  maxCandidateStories: 8,
  maxMembersCompared: 4,
  minHashTextChars: 200,
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
  features: ArticleFeatures;
  /** Rarity weights as of the article's arrival (document frequencies drift slowly; recomputing per pair would not pay). */
  rarity: RarityWeights;
  keys: Uint32Array;
  /** DF keys (title tokens and names), counted once each. */
  dfKeys: Uint32Array;
  exactKeys: string[];
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
}

const MS_PER_HOUR = 3_600_000;
/** Weighted key hits an article with a body must share with a story before the story is verified. */
const MIN_KEY_HITS_WITH_BODY = 2;
const HIT_WEIGHT_BAND = 2;
const HIT_WEIGHT_KEY = 1;
const HIT_WEIGHT_NUMBER = 0.5;

function validate(options: ClusterOptions): void {
  if (options.bands * options.rows !== options.permutations) {
    throw new FeedfoldError('cluster', 'invalid-options', `bands × rows (${options.bands}×${options.rows}) must equal permutations (${options.permutations})`);
  }
  if (!(options.threshold > 0 && options.threshold <= 1)) throw new FeedfoldError('cluster', 'invalid-options', `threshold ${options.threshold} is not in (0, 1]`);
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
  if (pair.conflictingNumbers.length > 0) evidence.conflictingNumbers = pair.conflictingNumbers;
  if (Number.isFinite(pair.hoursApart)) evidence.hoursApart = round(pair.hoursApart);
  if (pair.crossLanguage) evidence.note = 'cross-language: names and numbers only';
  return evidence;
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
  const featureOptions = { shingleSize: options.shingleSize, perms: createPermutations(options.permutations), words: new WordCache() };
  const windowMs = options.windowHours * MS_PER_HOUR;
  const postings = new CandidatePostings<Member>(options.maxPostingsPerKey, (m) => m.story, windowMs);
  const exact = new Map<string, Member>();
  const stories = new Map<string, Story>();
  const df = new Map<number, number>();
  const heap = new TimeHeap<Member>();
  let seq = 0;
  let storySeq = 0;
  let newestMs = Number.NEGATIVE_INFINITY;

  const idf = (hash: number): number => Math.log(1 + (stories.size + 1) / ((df.get(hash) ?? 0) + 1));

  function keysOf(f: ArticleFeatures): Uint32Array {
    const band = f.signature === undefined ? new Uint32Array(0) : bandKeys(f.signature, options.bands, options.rows);
    const out = new Uint32Array(band.length + f.titleTokens.length + f.entityKeys.length + f.numberHashes.length);
    out.set(band, 0);
    out.set(f.titleTokens, band.length);
    out.set(f.entityKeys, band.length + f.titleTokens.length);
    out.set(f.numberHashes, band.length + f.titleTokens.length + f.entityKeys.length);
    return out;
  }

  function dfKeysOf(f: ArticleFeatures): Uint32Array {
    const set = new Set<number>(f.titleTokens);
    for (const h of f.entityHashes) set.add(h);
    return Uint32Array.from(set);
  }

  function rarityOf(f: ArticleFeatures): RarityWeights {
    return { title: Float64Array.from(f.titleTokens, idf), entities: Float64Array.from(f.entityHashes, idf) };
  }

  function register(article: Article, features: ArticleFeatures, story: Story, rarity: RarityWeights = rarityOf(features)): void {
    const member: Member = {
      seq: seq++,
      timeMs: features.timeMs,
      articleId: article.id,
      story,
      features,
      rarity,
      keys: keysOf(features),
      dfKeys: dfKeysOf(features),
      exactKeys: exactKeysOf(article, options.minHashTextChars),
    };
    for (const key of member.keys) postings.add(key, member, newestMs);
    // The newest holder of a key wins, so the key outlives the eviction of older holders.
    for (const key of member.exactKeys) exact.set(key, member);
    story.alive++;
    for (const t of features.titleTokens) story.profile.set(t, (story.profile.get(t) ?? 0) + 1);
    for (const key of member.dfKeys) {
      const n = story.keyCounts.get(key) ?? 0;
      story.keyCounts.set(key, n + 1);
      // Rarity is counted in stories, not articles: a name every version of one big story repeats is still rare.
      if (n === 0) df.set(key, (df.get(key) ?? 0) + 1);
    }
    heap.push(member);
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
      for (const key of oldest.keys) postings.remove(key, oldest);
      for (const key of oldest.dfKeys) {
        const inStory = (oldest.story.keyCounts.get(key) ?? 1) - 1;
        if (inStory > 0) {
          oldest.story.keyCounts.set(key, inStory);
          continue;
        }
        oldest.story.keyCounts.delete(key);
        const n = (df.get(key) ?? 1) - 1;
        if (n <= 0) df.delete(key);
        else df.set(key, n);
      }
      for (const key of oldest.exactKeys) if (exact.get(key) === oldest) exact.delete(key);
      oldest.story.alive--;
      for (const t of oldest.features.titleTokens) {
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
      story = { id, seq: storySeq++, firstMs: timeMs, alive: 0, profile: new Map(), keyCounts: new Map() };
      stories.set(id, story);
    } else if (timeMs < story.firstMs) story.firstMs = timeMs;
    return story;
  }

  function findExact(article: Article): { member: Member; kind: Evidence['exact'] } | undefined {
    for (const key of exactKeysOf(article, options.minHashTextChars)) {
      const member = exact.get(key);
      if (member !== undefined) return { member, kind: EXACT_KIND[key.slice(0, key.indexOf('\u0000'))] };
    }
    return undefined;
  }

  function profileCosine(tokens: Uint32Array, story: Story): number {
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

  function candidates(keys: Uint32Array, bandCount: number, strongEnd: number): Map<Story, Map<Member, number>> {
    const hits = new Map<Story, Map<Member, number>>();
    for (let k = 0; k < keys.length; k++) {
      const list = postings.get(keys[k] as number);
      if (list === undefined) continue;
      // An LSH band match is strong evidence, a shared name or title word is some, a shared number is little.
      const weight = k < bandCount ? HIT_WEIGHT_BAND : k < strongEnd ? HIT_WEIGHT_KEY : HIT_WEIGHT_NUMBER;
      for (const m of list) {
        let perStory = hits.get(m.story);
        if (perStory === undefined) hits.set(m.story, (perStory = new Map()));
        perStory.set(m, (perStory.get(m) ?? 0) + weight);
      }
    }
    return hits;
  }

  function verify(features: ArticleFeatures, rarity: RarityWeights, keys: Uint32Array): { ranked: Ranked[]; count: number } {
    const bandCount = features.signature === undefined ? 0 : options.bands;
    const hits = candidates(keys, bandCount, keys.length - features.numberHashes.length);
    const totals: { story: Story; members: Map<Member, number>; total: number }[] = [];
    // One shared key is enough for a headline (it may be all two headlines share), but a body that shares a single
    // name or word (or two numbers) with another body and no LSH band is not worth verifying.
    const minHits = features.hasBody ? MIN_KEY_HITS_WITH_BODY : 1;
    for (const [story, members] of hits) {
      let total = 0;
      for (const n of members.values()) total += n;
      if (total >= minHits) totals.push({ story, members, total });
    }
    // Most shared keys first; among equals the most recently started story, which is likelier still unfolding.
    totals.sort((x, y) => y.total - x.total || y.story.seq - x.story.seq);
    const ranked: Ranked[] = [];
    // A pair that cannot reach the threshold even with identical titles skips the title comparison; its score is then
    // a lower bound, enough to rank rejected candidates.
    const floor = options.threshold;
    for (const { story, members } of totals.slice(0, options.maxCandidateStories)) {
      const compared = [...members.entries()].sort((x, y) => y[1] - x[1] || x[0].seq - y[0].seq).slice(0, options.maxMembersCompared);
      let best: PairScore | undefined;
      let bestMember: Member | undefined;
      for (const [member] of compared) {
        const pair = scorePair(features, member.features, rarity, member.rarity, options.weights, options.windowHours, floor);
        if (best === undefined || pair.score > best.score) {
          best = pair;
          bestMember = member;
        }
      }
      if (best === undefined || bestMember === undefined) continue;
      // The title centroid is the headline path: it lets a headline join a big story whose versions share its key
      // words; articles with bodies are judged by their bodies instead.
      const profile = features.hasBody ? 0 : profileCosine(features.titleTokens, story);
      const profileScore = options.weights.profile * profile - options.weights.conflictPenalty * Math.min(MAX_CONFLICTS_COUNTED, best.conflictingNumbers.length);
      ranked.push({ story, score: Math.min(1, Math.max(best.score, profileScore)), pair: best, member: bestMember });
    }
    ranked.sort((x, y) => (better(x, y) ? -1 : better(y, x) ? 1 : 0));
    return { ranked, count: totals.length };
  }

  return {
    remember(article: Article, storyId: string): void {
      const features = placeInTime(computeFeatures(article, featureOptions));
      advance(features.timeMs);
      register(article, features, storyFor(storyId, features.timeMs));
    },

    assign(article: Article): Decision {
      const features = placeInTime(computeFeatures(article, featureOptions));
      advance(features.timeMs);
      const found = findExact(article);
      if (found !== undefined) {
        register(article, features, found.member.story);
        const evidence: Evidence = { note: `same ${found.kind} as ${found.member.articleId}` };
        if (found.kind !== undefined) evidence.exact = found.kind;
        return { articleId: article.id, storyId: found.member.story.id, action: 'exact-duplicate', score: 1, evidence };
      }
      const keys = keysOf(features);
      const rarity = rarityOf(features);
      const { ranked, count } = verify(features, rarity, keys);
      const top = ranked[0];
      const second = ranked[1];
      if (top !== undefined && top.score >= options.threshold) {
        register(article, features, top.story, rarity);
        const decision: Decision = { articleId: article.id, storyId: top.story.id, action: 'joined', score: round(top.score), evidence: evidenceOf(top.pair, count, features, top.member.features) };
        if (second !== undefined) decision.runnerUp = { storyId: second.story.id, score: round(second.score) };
        return decision;
      }
      const storyId = newStoryId(article);
      // The closest rejected story was only bounded; score it fully once so its evidence lists what was shared.
      const closest = top === undefined ? undefined : scorePair(features, top.member.features, rarity, top.member.rarity, options.weights, options.windowHours);
      register(article, features, storyFor(storyId, features.timeMs), rarity);
      // A new story's evidence is the closest story it did not join, so a reviewer sees why it stayed apart.
      const decision: Decision = { articleId: article.id, storyId, action: 'new-story', score: 0, evidence: evidenceOf(closest, count, features, top?.member.features) };
      if (top !== undefined) decision.runnerUp = { storyId: top.story.id, score: round(top.score) };
      return decision;
    },

    size(): number {
      return heap.length;
    },
  };
}

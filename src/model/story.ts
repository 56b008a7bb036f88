import type { Article } from './article.js';

/** What a clustering decision did with one article. */
export type DecisionAction = 'joined' | 'new-story' | 'exact-duplicate' | 'overridden' | 'merged';

/** Why an article was placed where it was; every field is optional evidence. */
export interface Evidence {
  /** Which exact key matched, for exact duplicates. */
  exact?: 'url' | 'guid' | 'content-hash';
  /** Estimated Jaccard resemblance of body shingles. */
  resemblance?: number;
  /** Share of the smaller body's shingles found in the larger. */
  containment?: number;
  /** Dice similarity of titles (string-similarity). */
  titleSimilarity?: number;
  sharedEntities?: string[];
  sharedNumbers?: string[];
  conflictingNumbers?: string[];
  hoursApart?: number;
  /** Cosine of the two stories' rarity-weighted title-word and name profiles, for a merge of whole stories. */
  storySimilarity?: number;
  /** How many candidate stories were scored. */
  candidates?: number;
  /** Free-form note, for overrides and special cases. */
  note?: string;
  /** The override entry that placed the article here (see overrideKey); gone from the active overrides, the move is undone. */
  override?: string;
  /** The story the override moved the article out of: where undoing it puts the article back. */
  movedFrom?: string;
  /** The decision the override replaced, recorded again when the override is undone (explain shows the current state only). */
  replaced?: Pick<Decision, 'action' | 'score' | 'evidence' | 'runnerUp'>;
}

export interface Decision {
  articleId: string;
  storyId: string;
  action: DecisionAction;
  /** Combined score of the chosen story, 0..1 (1 for exact duplicates, 0 for a new story). */
  score: number;
  evidence: Evidence;
  runnerUp?: { storyId: string; score: number };
  /** Stories folded together as wholes after this article was placed, in the order they happened. */
  merges?: StoryMerge[];
}

/** One story folded into another as a whole: every member of `from` now belongs to `into`, which keeps its id. */
export interface StoryMerge {
  from: string;
  into: string;
  /** Whole-story similarity, 0..1. */
  score: number;
  evidence: Evidence;
}

/** Assigns articles to stories incrementally; one implementation lives in src/cluster. */
export interface StoryIndex {
  /** Registers an article already assigned to a story (earlier runs, overrides). */
  remember(article: Article, storyId: string): void;
  /**
   * Decides the story of a new article, registers it, and returns the decision; its `storyId` is the article's final
   * story, and `merges` lists the stories folded together as a consequence.
   */
  assign(article: Article): Decision;
  /** Keeps a story out of automatic merges, in both directions (an operator split it out). */
  keepApart(storyId: string): void;
  /**
   * Lets go of the articles first seen before `cutoffMs`, the ones a window read from the store at that cutoff leaves
   * out: an index kept between runs holds what a rebuilt one would. Returns how many it let go.
   */
  retireSeenBefore(cutoffMs: number): number;
  /**
   * Gives back the memory kept for growth while articles were remembered: called once a window has been remembered in
   * one go (an index read from the store), so that it holds what an index that slid holds.
   */
  fit(): void;
  /** Number of articles currently held (bounded by the time window). */
  size(): number;
}

/** A story as published: the canonical version and every other version. */
export interface StoryView {
  /** atom:id, minted once and never changed. */
  id: string;
  /** Earliest publication date of any member (first-seen where a member has none), ISO 8601. */
  published: string;
  /** Last significant change (a version joined, the canonical changed or was edited), dated by the articles, ISO 8601. */
  updated: string;
  /** Newest date seen from the canonical's source: atom:source's `updated` (RFC 4287 §4.2.11). */
  sourceUpdated?: string;
  canonical: Article;
  /** Other versions, earliest first. */
  others: Article[];
  /** Why the canonical was chosen. */
  canonicalReason: string;
  /** The latest decision for each member, keyed by article id. */
  decisions: Record<string, Decision>;
}

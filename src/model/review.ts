import type { Correction, StoredOverride } from './override.js';
import type { DecisionAction, Evidence } from './story.js';

/** Filters of the review app's story list that need no value. */
export type StoryFilter = 'folded' | 'close-calls' | 'overridden';

export const STORY_FILTERS: readonly StoryFilter[] = ['folded', 'close-calls', 'overridden'];

/** Which stories a page of the review app lists. */
export interface StoryListQuery {
  filters: StoryFilter[];
  source?: string;
  language?: string;
  /** Title search: every word must appear in the title of one version. */
  q?: string;
  /** 1-based. */
  page: number;
}

/** The story a decision's runner-up names, by title where it still exists. */
export interface RunnerUp {
  story: string;
  title: string | null;
  score: number;
}

/** One version of a story, as the API returns it. */
export interface ReviewVersion {
  /** The stored article id overrides name. */
  article: string;
  url: string | null;
  title: string;
  source: string;
  sourceTitle: string;
  language: string;
  published: string | null;
  canonical: boolean;
  /** How the latest decision placed it. */
  action: DecisionAction | null;
  score: number | null;
  evidence: Evidence | null;
  runnerUp: RunnerUp | null;
  /** A join whose score lies within the margin of the threshold. */
  closeCall: boolean;
}

/** A story, as the API returns it. */
export interface ReviewStory {
  /** The entry's atom:id. */
  id: string;
  title: string;
  published: string;
  updated: string;
  canonicalReason: string;
  /** A correction is in effect on it (a version moved by one, or its canonical pinned). */
  overridden: boolean;
  /** The clustering threshold joins are scored against, and the margin a close call lies within. */
  threshold: number;
  margin: number;
  versions: ReviewVersion[];
}

/** One page of stories. */
export interface StoryPage {
  stories: ReviewStory[];
  page: number;
  pages: number;
  total: number;
  pageSize: number;
  /** The clustering threshold and the close-call margin, as on every story. */
  threshold: number;
  margin: number;
}

/** A source with its fetch state, for the review app's source page. */
export interface ReviewSource {
  id: string;
  title: string | null;
  kind: string;
  location: string;
  errorCount: number;
  lastError: string | null;
  lastErrorKind: string | null;
  lastStatus: number | null;
  lastSuccessAt: string | null;
  nextFetchAt: string | null;
  retired: boolean;
}

/** What a correction did at once in the store: its id, and the names in it that matched nothing. */
export interface CorrectionResult {
  id: number;
  unresolved: string[];
}

/** What the review app reads and changes; the server knows nothing else of the store. */
export interface ReviewService {
  /** Corrections are allowed (an admin token is configured). */
  readonly writable: boolean;
  listStories(query: StoryListQuery): Promise<StoryPage>;
  /** Finds a story by its id, or by the id or URL of one of its versions. */
  getStory(ref: string): Promise<ReviewStory | undefined>;
  listSources(): Promise<ReviewSource[]>;
  /** The audit list, newest first. */
  listOverrides(): Promise<StoredOverride[]>;
  /** Stores a correction and applies it to the stored stories at once; throws a `review` error (kind `unresolved`) when it names nothing stored. */
  addCorrection(correction: Correction, by: string): Promise<CorrectionResult>;
  /** Undoes a correction at once; undefined when there is none with that id. */
  undoCorrection(id: number, by: string): Promise<StoredOverride | undefined>;
  /** Writes the feed and report from the store now, without reading sources. */
  publishNow(): Promise<{ entries: number }>;
  close(): Promise<void>;
}

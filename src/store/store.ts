import type { Article } from '../model/article.js';
import type { LockHolder, RunSummary } from '../model/run.js';
import type { SourceSpec, SourceState } from '../model/source.js';
import type { Correction, StoredOverride } from '../model/override.js';
import type { Decision } from '../model/story.js';
import type { ReviewQuery } from './review-query.js';

/** A story row as stored. */
export interface StoryRow {
  id: string;
  canonicalId: string;
  canonicalReason: string;
  published: string;
  updated: string;
  lastSeen: string;
}

/** A source row: its configured spec, its fetch state and what its feed says about itself. */
export interface SourceRow {
  spec: SourceSpec;
  origin: 'config' | 'opml';
  state: SourceState;
  feedTitle?: string;
  feedLink?: string;
}

/** Sources: what is configured or imported, with each one's fetch state. */
export interface SourceStore {
  /** Adds sources, or updates their location/title; fetch state is kept (one statement for the list). */
  upsertSources(entries: readonly { spec: SourceSpec; origin: 'config' | 'opml' }[]): Promise<void>;
  /** Lists every known source, configured or imported, in id order. */
  listSources(origin?: 'config' | 'opml'): Promise<SourceRow[]>;
  getSource(id: string): Promise<SourceRow | undefined>;
  /** Stores the fetch state of a source. */
  saveSourceState(state: SourceState): Promise<void>;
  /** Records what a feed says about itself (title, home page). */
  saveFeedInfo(id: string, title: string | undefined, link: string | undefined): Promise<void>;
  /** Records dates seen from sources (source id, date), keeping each source's newest (compared as instants). */
  noteSourceDates(dates: readonly (readonly [string, string])[]): Promise<void>;
  /** Returns the newest date seen from each of the sources `ids` that has one. */
  sourcesUpdated(ids: readonly string[]): Promise<Map<string, string>>;
  /**
   * Leases to `owner` until `leaseUntil` (wall clock) up to `limit` sources that are due at `now`
   * (not retired, next fetch reached) and that no lease lapsing after `wallNow` holds, the longest
   * due first; callers at the same time get disjoint sources (row locks skipped, not waited for).
   * Returns them in id order. A lease is not given back: a source read rests until it lapses, and
   * the source of a worker that died is taken by another then.
   */
  claimDueSources(owner: string, now: string, wallNow: string, leaseUntil: string, limit: number): Promise<SourceRow[]>;
  /**
   * How many sources claimDueSources would lease at `now` and `wallNow` if no other transaction held their rows:
   * read without locking, so it sees rows another worker is writing at that moment (and claimDueSources skips).
   */
  countClaimable(now: string, wallNow: string): Promise<number>;
}

/** Articles: stored once each, pending until a clustering batch assigns them to a story. */
export interface ArticleStore {
  /**
   * Inserts articles (one statement for the list); those `pending` says are left for the next
   * clustering batch, the others (a first read's back catalogue) are stored and never assigned.
   */
  insertArticles(articles: readonly Article[], pending?: (a: Article) => boolean): Promise<void>;
  /** Replaces a stored article with its edited version (same id); its story is left as it is. */
  updateArticle(a: Article): Promise<void>;
  /** Returns which of `ids` are stored articles. */
  storedArticleIds(ids: readonly string[]): Promise<Set<string>>;
  /** Returns, for the stored articles among `ids`, their source hash (when known). */
  storedSourceHashes(ids: readonly string[]): Promise<Map<string, { sourceHash?: string }>>;
  /** Returns the stored articles among `ids`, by id. */
  getArticles(ids: readonly string[]): Promise<Map<string, Article>>;
  /** Finds articles whose canonical URL is `url`, in id order. */
  findArticlesByUrl(url: string): Promise<Article[]>;
  /** Lists articles first seen at or after `since` with their story, oldest first (the clustering window). */
  windowArticles(since: string): Promise<{ article: Article; storyId: string }[]>;
  /** Lists the ids of the articles waiting for a clustering batch, oldest first. */
  pendingArticleIds(): Promise<string[]>;
  countArticles(): Promise<number>;
  /**
   * Returns the generation of the stored articles: a counter that moves whenever they change outside clustering (an
   * edit, a re-dating), so a process keeping its story index between runs knows to read the window again.
   */
  generation(): Promise<number>;
  /** Moves the generation on (see generation). */
  bumpGeneration(): Promise<void>;
}

/** Stories and their members. */
export interface StoryStore {
  /** Returns the stored stories among `ids`, by id. */
  getStories(ids: readonly string[]): Promise<Map<string, StoryRow>>;
  /** Returns which of `ids` are stored stories. */
  storedStoryIds(ids: readonly string[]): Promise<Set<string>>;
  /** Inserts or replaces story rows (one statement for the list). */
  upsertStories(rows: readonly StoryRow[]): Promise<void>;
  /** Deletes the stories `ids` (one statement for the list). */
  deleteStories(ids: readonly string[]): Promise<void>;
  /** Returns the story each of the articles `articleIds` belongs to, when it belongs to one. */
  storiesOf(articleIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Lists the member articles of each of the stories `storyIds`, earliest first-seen first (then
   * by id); a story without members is absent. Articles in `loaded` (exactly as stored) are taken
   * from there rather than read and parsed again.
   */
  membersOf(storyIds: readonly string[], loaded?: ReadonlyMap<string, Article>): Promise<Map<string, Article[]>>;
  /** Lists stories updated at or after `since` that have members, newest first (then by id), at most `limit`. */
  recentStories(since: string, limit: number): Promise<StoryRow[]>;
  /** Lists the ids of the stories whose canonical reason starts with `prefix` (pinned ones). */
  storiesWithReason(prefix: string): Promise<string[]>;
  /** Returns one page of the stories with members that match the review app's filters, newest first (then by id), and how many match. */
  reviewPage(query: ReviewQuery): Promise<{ rows: StoryRow[]; total: number }>;
}

/** Clustering decisions, the log `explain` reads. */
export interface DecisionStore {
  /**
   * Persists decisions in order, moves each article into the story its decision names and marks
   * it assigned (no longer pending): a fixed number of statements whatever the list's length.
   */
  recordDecisions(runId: number, decisions: readonly Decision[], at: string): Promise<void>;
  /** Returns the latest decision of each of the articles `articleIds` that has one. */
  latestDecisions(articleIds: readonly string[]): Promise<Map<string, Decision>>;
  /** Lists the current placements made by overrides: the latest decision of each member article whose action is `overridden`, in id order. */
  overridePlacements(): Promise<Decision[]>;
}

/** Corrections made through the API, with who made and undid them and when (the audit list). */
export interface OverrideStore {
  /** Stores a correction; returns its id. */
  addOverride(correction: Correction, by: string, at: string): Promise<number>;
  /** Marks a correction undone (once: a second undo keeps the first's time); returns it, or undefined when there is none with that id. */
  undoOverride(id: number, by: string, at: string): Promise<StoredOverride | undefined>;
  /** Lists the corrections, newest first, at most `limit`. */
  listOverrides(limit: number): Promise<StoredOverride[]>;
  /** Lists the corrections not undone, oldest first (the order they are applied in). */
  activeOverrides(): Promise<StoredOverride[]>;
}

/** Runs: their start and summary. */
export interface RunStore {
  startRun(startedAt: string): Promise<number>;
  finishRun(summary: RunSummary): Promise<void>;
  /** Returns when the first run of this store started: the feed's `updated` while it has no entries. */
  firstRunStartedAt(): Promise<string | undefined>;
  /** Returns the time (the injected `now`) of the latest run started on this store. */
  lastRunStartedAt(): Promise<string | undefined>;
  /** Lists the latest finished runs, newest first. */
  recentRuns(limit: number): Promise<RunSummary[]>;
  /**
   * Moves every stored date later than `limit` to `to`: articles' first-seen, published and
   * updated dates, stories' dates, sources' newest item dates (written by a run whose clock was
   * ahead); returns how many articles and stories changed.
   */
  redateAfter(limit: string, to: string): Promise<{ articles: number; stories: number }>;
}

/** What one pruning removes and what it keeps (see RetentionStore.prune). */
export interface PrunePlan {
  /** The run's time: tombstones of pruned articles are dated by it. */
  now: string;
  /** Stories updated before this whose members were all first seen before it are pruned, with their members. */
  before: string;
  /** Stories kept whatever their age (those in the published feed, those overrides name). */
  keepStories: readonly string[];
  /** Articles kept whatever their age (those overrides name), with the story they belong to. */
  keepArticles: readonly string[];
  /** Runs started before this are forgotten (the first run, and runs a kept decision names, excepted). */
  runsBefore: string;
  /** Tombstones whose source has not listed them since this are forgotten. */
  tombstonesBefore: string;
  /**
   * Most stories, and most articles of no story, one pruning removes (the oldest first), so a store
   * with years of history is pruned over several runs rather than in one long transaction.
   */
  limit: number;
}

/** What one pruning removed. */
export interface PruneResult {
  /** The articles removed (each left as a tombstone), with their web address: a local article's page is removed too. */
  articles: { id: string; url?: string }[];
  stories: number;
  decisions: number;
  runs: number;
  /** Tombstones forgotten. */
  tombstones: number;
}

/** How the store's file was compacted after a pruning. */
export interface CompactResult {
  /** none: not worthwhile (or the backend reclaims space itself); incremental: free pages given back; full: rebuilt once (VACUUM). */
  mode: 'none' | 'incremental' | 'full';
  /** Bytes the store takes on disk (SQLite: the file and its write-ahead log; PostgreSQL: the database). */
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * Retention of state: old stories, their articles and decisions, and old runs are pruned after a
 * run; each pruned article leaves a compact tombstone (id, source, source hash) so a feed that still
 * lists the item does not bring it back as new.
 */
export interface RetentionStore {
  /** Prunes what `plan` says in a fixed number of statements whatever the number of rows; joins the caller's unit of work. */
  prune(plan: PrunePlan): Promise<PruneResult>;
  /**
   * Returns the pruned articles among `ids` (with their source hash, when known) and notes that
   * their source listed them at `at` (one statement): their tombstones are kept while listed.
   */
  listedPruned(ids: readonly string[], at: string): Promise<Map<string, { sourceHash?: string }>>;
  /**
   * Notes that the sources `sourceIds` were not read successfully (not modified, failed, skipped)
   * at `at`: they did not stop listing their items, so their tombstones are kept (one statement).
   */
  holdPruned(sourceIds: readonly string[], at: string): Promise<void>;
  /** Counts the tombstones (tests, benches). */
  countPruned(): Promise<number>;
  /**
   * Gives the space of deleted rows back to the file system when free pages exceed `freeShare` of
   * the file; never inside a unit of work.
   */
  compact(freeShare: number): Promise<CompactResult>;
}

/** A process's hold on the clustering of one output feed (see LockStore.tryLeadership). */
export interface Leadership {
  /** Resolves when the hold is lost (the connection that held it ended): the process must stop assigning. */
  readonly lost: Promise<void>;
  isLost(): boolean;
  /** Gives the hold up, for a standby to take. */
  release(): Promise<void>;
}

/** Named locks with a lease (the run lock). */
export interface LockStore {
  /**
   * Takes the leadership named `name` (one output feed's clustering) when no live process holds it, else returns
   * undefined at once. PostgreSQL: a session-level advisory lock on the connection that commits every later unit of
   * work, so whoever holds it commits, and a leader whose connection is lost can commit nothing more. SQLite (one
   * file on one host): always granted; the run lock each run takes keeps two runs apart.
   */
  tryLeadership(name: string): Promise<Leadership | undefined>;
  /** Returns who holds the named lock, or undefined when it is free. */
  lockHolder(name: string): Promise<LockHolder | undefined>;
  /**
   * Takes the named lock for `claim` when it is free or `mayTake` says its holder may be replaced
   * (atomically, so two processes never both win). Returns the replaced holder, or the holder
   * that keeps it.
   */
  acquireLock(name: string, claim: LockHolder, mayTake: (holder: LockHolder) => boolean): Promise<{ ok: true; replaced?: LockHolder } | { ok: false; holder: LockHolder }>;
  /** Extends the lease of a lock this process holds; false when it no longer holds it. */
  renewLock(name: string, pid: number, host: string, expiresAt: string): Promise<boolean>;
  /** Frees a lock this process holds (a lock taken over by another process is left alone). */
  releaseLock(name: string, pid: number, host: string): Promise<void>;
  /** Frees the named lock whoever holds it (`feedfold unlock`); returns the holder it removed. */
  clearLock(name: string): Promise<LockHolder | undefined>;
}

/** Everything stored, in a fixed order, for tests and checks to compare across backends. */
export interface StoreSnapshot {
  sources: { id: string; newestItemAt?: string; lastSuccessAt?: string; errorCount: number }[];
  /** By id. */
  articles: { id: string; sourceId: string; firstSeen: string; pending: boolean }[];
  /** By article id. */
  members: { articleId: string; storyId: string }[];
  /** By id. */
  stories: StoryRow[];
  /** In the order they were recorded. */
  decisions: { articleId: string; storyId: string; action: Decision['action'] }[];
  /** By id. */
  runs: { id: number; startedAt: string; finished: boolean }[];
  /** By name. */
  locks: { name: string; holder: LockHolder }[];
}

/** How a unit of work is committed. */
export interface UnitOptions {
  /**
   * false: the commit need not reach the disk before the call returns (SQLite `synchronous = NORMAL` in WAL mode,
   * PostgreSQL `synchronous_commit = off`). A crash of the process loses nothing; a power loss may lose such units, never
   * half of one, and the next durable unit makes them durable too. For units the next run redoes when lost (a source
   * read). Default true.
   */
  durable?: boolean;
}

/**
 * The state of feedfold, split by entity: SQLite (one file, the embedded default) or PostgreSQL
 * (several processes on several hosts) implement it. Every call is async and batch-first; writes
 * that belong together go in one unit of work.
 */
export interface Store {
  readonly sources: SourceStore;
  readonly articles: ArticleStore;
  readonly stories: StoryStore;
  readonly decisions: DecisionStore;
  readonly runs: RunStore;
  readonly locks: LockStore;
  readonly retention: RetentionStore;
  readonly overrides: OverrideStore;
  /** Where the state lives (a file, or a database URL without its password), named in errors. */
  readonly location: string;
  /**
   * Runs `fn` as one unit of work: everything it writes through this store is committed together
   * when it resolves, or none of it when it throws (or the process dies first). Units do not nest:
   * a unit started inside one joins it.
   */
  unitOfWork<T>(fn: () => Promise<T>, options?: UnitOptions): Promise<T>;
  /** Reads the whole state in a fixed order (tests, checks). */
  snapshot(): Promise<StoreSnapshot>;
  /** Counts the SQL statements executed so far on this store (round trips, for tests and benches). */
  statementCount(): number;
  close(): Promise<void>;
}

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { LockHolder, RunSummary } from '../model/run.js';
import type { SourceSpec, SourceState } from '../model/source.js';
import type { Decision } from '../model/story.js';
import { parseJsonColumn } from './json-column.js';
import { migrate } from './migrations.js';
import { checkDatabaseFile, checkSchemaVersion, createDatabaseFile, openDatabaseReadOnly } from './open-database.js';

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

interface SourceDbRow {
  id: string;
  kind: SourceSpec['kind'];
  location: string;
  title: string | null;
  origin: 'config' | 'opml';
  url: string | null;
  etag: string | null;
  last_modified: string | null;
  error_count: number;
  last_error: string | null;
  last_status: number | null;
  next_fetch_at: string | null;
  last_success_at: string | null;
  retired: number;
  feed_title: string | null;
  feed_link: string | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toSourceRow(r: SourceDbRow): SourceRow {
  return {
    spec: { id: r.id, kind: r.kind, location: r.location, rank: 0, ...(r.title ? { title: r.title } : {}) },
    origin: r.origin,
    state: {
      sourceId: r.id,
      url: r.url ?? r.location,
      etag: opt(r.etag),
      lastModified: opt(r.last_modified),
      errorCount: r.error_count,
      lastError: opt(r.last_error),
      lastStatus: opt(r.last_status),
      nextFetchAt: opt(r.next_fetch_at),
      lastSuccessAt: opt(r.last_success_at),
      retired: r.retired === 1,
    },
    feedTitle: opt(r.feed_title),
    feedLink: opt(r.feed_link),
  };
}

interface StoryDbRow {
  id: string;
  canonical_id: string;
  canonical_reason: string;
  published: string;
  updated: string;
  last_seen: string;
}

const toStoryRow = (r: StoryDbRow): StoryRow => ({
  id: r.id,
  canonicalId: r.canonical_id,
  canonicalReason: r.canonical_reason,
  published: r.published,
  updated: r.updated,
  lastSeen: r.last_seen,
});

interface LockDbRow {
  pid: number;
  host: string;
  acquired_at: string;
  expires_at: string | null;
}

const toHolder = (r: LockDbRow): LockHolder => ({ pid: r.pid, host: r.host, acquiredAt: r.acquired_at, ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}) });

/**
 * Page size of a new store. An article row (its JSON holds the HTML and the text, a few KB) fills
 * most of a 4 KiB page alone, so such pages hold one row each and waste the rest; 8 KiB pages hold
 * two or three, and a run writes a third fewer bytes. Set before the first table: an existing
 * store keeps the page size it was made with.
 */
const NEW_STORE_PAGE_SIZE = 8192;

/** Sets a connection up the way every writer uses it. */
function configure(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // FULL: a committed run survives power loss, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/** The SQLite state of feedfold: sources, articles, stories, decisions, runs and the run lock. */
export class Store {
  readonly db: Database.Database;
  /** The database file, named in every error about a stored row. */
  readonly file: string;

  /** Prepared statements by SQL text: prepared once per connection, not on every call. */
  private readonly statements = new Map<string, Database.Statement>();
  private readonly cleanup: (() => void) | undefined;

  private constructor(db: Database.Database, file: string, cleanup?: () => void) {
    this.db = db;
    this.file = file;
    this.cleanup = cleanup;
  }

  private json<T>(text: string, table: string, key: string, column: string): T {
    return parseJsonColumn<T>(text, { file: this.file, table, key, column });
  }

  private article(data: string, id: string): Article {
    return this.json<Article>(data, 'articles', `id ${JSON.stringify(id)}`, 'data');
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Opens the store file in WAL mode and migrates it to the latest schema; a missing file is
   * created. An empty file, a file that is not SQLite or not feedfold's, and a schema newer than
   * this code are refused with the path named, never silently started afresh.
   */
  static open(file: string): Store {
    let db: Database.Database | undefined;
    try {
      if (file !== ':memory:') {
        mkdirSync(path.dirname(file), { recursive: true });
        if (existsSync(file)) checkDatabaseFile(file);
        else
          createDatabaseFile(file, (fresh) => {
            fresh.pragma(`page_size = ${NEW_STORE_PAGE_SIZE}`);
            configure(fresh);
            migrate(fresh);
          });
      }
      db = new Database(file);
      // Checked before anything is written, so a file that is not ours is left exactly as it was.
      db.pragma('busy_timeout = 5000');
      checkSchemaVersion(db, file);
      configure(db);
      migrate(db);
    } catch (err) {
      db?.close();
      if (err instanceof FeedfoldError) throw err;
      throw new FeedfoldError('store', 'open', `cannot open ${file}: ${(err as Error).message} (\`feedfold doctor\` checks the file)`, { cause: err });
    }
    return new Store(db, file);
  }

  /**
   * Opens an existing store for commands that only read (`sources`, `explain`, `export-opml`): never
   * creates, migrates or writes anything, so they work in a read-only folder. Returns undefined
   * when there is no store yet. The same files are refused as by open().
   */
  static openReadOnly(file: string): Store | undefined {
    if (!existsSync(file)) return undefined;
    let opened: ReturnType<typeof openDatabaseReadOnly> | undefined;
    try {
      checkDatabaseFile(file);
      opened = openDatabaseReadOnly(file);
      checkSchemaVersion(opened.db, file);
    } catch (err) {
      opened?.db.close();
      opened?.cleanup?.();
      if (err instanceof FeedfoldError) throw err;
      throw new FeedfoldError('store', 'open', `cannot read ${file}: ${(err as Error).message} (\`feedfold doctor\` checks the file)`, { cause: err });
    }
    return new Store(opened.db, file, opened.cleanup);
  }

  /** Runs `fn` in one transaction: all of it is committed, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
    this.cleanup?.();
  }

  // --- sources -------------------------------------------------------------------------------

  /** Adds a source, or updates its location/title; fetch state is kept. */
  upsertSource(spec: SourceSpec, origin: 'config' | 'opml'): void {
    this.stmt(
      `INSERT INTO sources (id, kind, location, title, origin, url) VALUES (@id, @kind, @location, @title, @origin, @url)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, title = coalesce(excluded.title, sources.title),
         url = CASE WHEN sources.location = excluded.location THEN sources.url ELSE excluded.url END,
         location = excluded.location`,
    ).run({ id: spec.id, kind: spec.kind, location: spec.location, title: spec.title ?? null, origin, url: spec.kind === 'feed-url' ? spec.location : null });
  }

  /** Lists every known source, configured or imported, in id order. */
  listSources(origin?: 'config' | 'opml'): SourceRow[] {
    const rows = (origin
      ? this.stmt('SELECT * FROM sources WHERE origin = ? ORDER BY id').all(origin)
      : this.stmt('SELECT * FROM sources ORDER BY id').all()) as SourceDbRow[];
    return rows.map(toSourceRow);
  }

  getSource(id: string): SourceRow | undefined {
    const row = this.stmt('SELECT * FROM sources WHERE id = ?').get(id) as SourceDbRow | undefined;
    return row ? toSourceRow(row) : undefined;
  }

  /** Stores the fetch state of a source. */
  saveSourceState(state: SourceState): void {
    this.stmt(
      `UPDATE sources SET url = @url, etag = @etag, last_modified = @lastModified, error_count = @errorCount,
         last_error = @lastError, last_status = @lastStatus, next_fetch_at = @nextFetchAt,
         last_success_at = @lastSuccessAt, retired = @retired WHERE id = @sourceId`,
    ).run({
      sourceId: state.sourceId,
      url: state.url,
      etag: state.etag ?? null,
      lastModified: state.lastModified ?? null,
      errorCount: state.errorCount,
      lastError: state.lastError ?? null,
      lastStatus: state.lastStatus ?? null,
      nextFetchAt: state.nextFetchAt ?? null,
      lastSuccessAt: state.lastSuccessAt ?? null,
      retired: state.retired ? 1 : 0,
    });
  }

  /** Records what a feed says about itself (title, home page). */
  saveFeedInfo(id: string, title: string | undefined, link: string | undefined): void {
    this.stmt('UPDATE sources SET feed_title = coalesce(?, feed_title), feed_link = coalesce(?, feed_link) WHERE id = ?').run(title ?? null, link ?? null, id);
  }

  // --- articles ------------------------------------------------------------------------------

  hasArticle(id: string): boolean {
    return this.stmt('SELECT 1 FROM articles WHERE id = ?').get(id) !== undefined;
  }

  insertArticle(a: Article): void {
    this.stmt(
      `INSERT INTO articles (id, source_id, url, guid, content_hash, source_hash, first_seen, published, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.id, a.sourceId, a.url ?? null, a.guid ?? null, a.contentHash, a.sourceHash ?? null, a.firstSeen, a.published ?? null, JSON.stringify(a));
  }

  /** Replaces a stored article with its edited version (same id); its story is left as it is. */
  updateArticle(a: Article): void {
    this.stmt('UPDATE articles SET url = ?, guid = ?, content_hash = ?, source_hash = ?, published = ?, data = ? WHERE id = ?').run(a.url ?? null, a.guid ?? null, a.contentHash, a.sourceHash ?? null, a.published ?? null, JSON.stringify(a), a.id);
  }

  /** Returns which of `ids` are stored articles (one query for the whole list). */
  storedArticleIds(ids: readonly string[]): Set<string> {
    const rows = this.stmt('SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  /** Returns, for the stored articles among `ids`, their source hash (when known): storedSourceHash for a list, in one query. */
  storedSourceHashes(ids: readonly string[]): Map<string, { sourceHash?: string }> {
    const rows = this.stmt('SELECT id, source_hash FROM articles WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string; source_hash: string | null }[];
    return new Map(rows.map((r) => [r.id, r.source_hash === null ? {} : { sourceHash: r.source_hash }]));
  }

  /** Returns what is stored of an article for edit detection: undefined when it is not stored, else its source hash (when known). */
  storedSourceHash(id: string): { sourceHash?: string } | undefined {
    const row = this.stmt('SELECT source_hash FROM articles WHERE id = ?').get(id) as { source_hash: string | null } | undefined;
    if (row === undefined) return undefined;
    return row.source_hash === null ? {} : { sourceHash: row.source_hash };
  }

  /** Records a date seen from a source, keeping the newest (compared as instants). */
  noteSourceDate(sourceId: string, date: string): void {
    this.stmt('UPDATE sources SET newest_item_at = ? WHERE id = ? AND (newest_item_at IS NULL OR julianday(newest_item_at) < julianday(?))').run(date, sourceId, date);
  }

  /** Returns the newest date seen from a source's items, or undefined when none was stored. */
  sourceUpdated(sourceId: string): string | undefined {
    const row = this.stmt('SELECT newest_item_at FROM sources WHERE id = ?').get(sourceId) as { newest_item_at: string | null } | undefined;
    return row?.newest_item_at ?? undefined;
  }

  getArticle(id: string): Article | undefined {
    const row = this.stmt('SELECT data FROM articles WHERE id = ?').get(id) as { data: string } | undefined;
    return row ? this.article(row.data, id) : undefined;
  }

  /** Returns the stored articles among `ids`, by id (getArticle for a list, in one query). */
  getArticles(ids: readonly string[]): Map<string, Article> {
    if (ids.length === 0) return new Map();
    const rows = this.stmt('SELECT id, data FROM articles WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string; data: string }[];
    return new Map(rows.map((r) => [r.id, this.article(r.data, r.id)]));
  }

  /** Finds articles whose canonical URL is `url`. */
  findArticlesByUrl(url: string): Article[] {
    const rows = this.stmt('SELECT id, data FROM articles WHERE url = ? ORDER BY id').all(url) as { id: string; data: string }[];
    return rows.map((r) => this.article(r.data, r.id));
  }

  /** Lists articles first seen at or after `since` with their story, oldest first (the clustering window). */
  windowArticles(since: string): { article: Article; storyId: string }[] {
    const rows = this.stmt(
      `SELECT a.id, a.data, m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id
       WHERE a.first_seen >= ? ORDER BY a.first_seen, a.id`,
    ).all(since) as { id: string; data: string; story_id: string }[];
    return rows.map((r) => ({ article: this.article(r.data, r.id), storyId: r.story_id }));
  }

  countArticles(): number {
    return (this.stmt('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
  }

  // --- stories -------------------------------------------------------------------------------

  getStory(id: string): StoryRow | undefined {
    const row = this.stmt('SELECT * FROM stories WHERE id = ?').get(id) as StoryDbRow | undefined;
    return row ? toStoryRow(row) : undefined;
  }

  /** Returns the stored stories among `ids`, by id (getStory for a list, in one query). */
  getStories(ids: readonly string[]): Map<string, StoryRow> {
    const rows = this.stmt('SELECT * FROM stories WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as StoryDbRow[];
    return new Map(rows.map((r) => [r.id, toStoryRow(r)]));
  }

  /** Returns which of `ids` are stored stories. */
  storedStoryIds(ids: readonly string[]): Set<string> {
    const rows = this.stmt('SELECT id FROM stories WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  upsertStory(s: StoryRow): void {
    this.stmt(
      `INSERT INTO stories (id, canonical_id, canonical_reason, published, updated, last_seen)
       VALUES (@id, @canonicalId, @canonicalReason, @published, @updated, @lastSeen)
       ON CONFLICT(id) DO UPDATE SET canonical_id = excluded.canonical_id, canonical_reason = excluded.canonical_reason,
         published = excluded.published, updated = excluded.updated, last_seen = excluded.last_seen`,
    ).run(s);
  }

  deleteStory(id: string): void {
    this.stmt('DELETE FROM stories WHERE id = ?').run(id);
  }

  /** Returns the story an article belongs to. */
  storyOf(articleId: string): string | undefined {
    const row = this.stmt('SELECT story_id FROM story_members WHERE article_id = ?').get(articleId) as { story_id: string } | undefined;
    return row?.story_id;
  }

  /** Lists the member articles of a story, earliest first-seen first. */
  members(storyId: string): Article[] {
    return this.membersOf([storyId]).get(storyId) ?? [];
  }

  /**
   * Lists the member articles of each of the stories `storyIds`, earliest first-seen first (members
   * for a list); a story without members is absent. Articles in `loaded` (exactly as stored, e.g.
   * inserted by this run) are taken from there rather than read and parsed again.
   */
  membersOf(storyIds: readonly string[], loaded: ReadonlyMap<string, Article> = new Map()): Map<string, Article[]> {
    const rows = this.stmt(
      `SELECT m.story_id, a.id FROM story_members m JOIN articles a ON a.id = m.article_id
       WHERE m.story_id IN (SELECT value FROM json_each(?)) ORDER BY a.first_seen, a.id`,
    ).all(JSON.stringify(storyIds)) as { story_id: string; id: string }[];
    const read = this.getArticles(rows.filter((r) => !loaded.has(r.id)).map((r) => r.id));
    const byStory = new Map<string, Article[]>();
    for (const r of rows) {
      const article = (loaded.get(r.id) ?? read.get(r.id)) as Article;
      const members = byStory.get(r.story_id);
      if (members) members.push(article);
      else byStory.set(r.story_id, [article]);
    }
    return byStory;
  }

  setMember(articleId: string, storyId: string, decisionId: number | null): void {
    this.stmt(
      `INSERT INTO story_members (article_id, story_id, decision_id) VALUES (?, ?, ?)
       ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, decision_id = coalesce(excluded.decision_id, story_members.decision_id)`,
    ).run(articleId, storyId, decisionId);
  }

  /** Lists stories updated or published at or after `since`, newest first, at most `limit`. */
  recentStories(since: string, limit: number): StoryRow[] {
    const rows = this.stmt(
      `SELECT * FROM stories WHERE updated >= ? AND EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = stories.id)
       ORDER BY updated DESC, id ASC LIMIT ?`,
    ).all(since, limit) as StoryDbRow[];
    return rows.map(toStoryRow);
  }

  // --- decisions -----------------------------------------------------------------------------

  /** Persists one clustering decision and returns its id. */
  insertDecision(runId: number, d: Decision, at: string): number {
    const info = this.stmt(
      `INSERT INTO decisions (run_id, article_id, story_id, action, score, evidence, runner_up, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(runId, d.articleId, d.storyId, d.action, d.score, JSON.stringify(d.evidence), d.runnerUp ? JSON.stringify(d.runnerUp) : null, at);
    return Number(info.lastInsertRowid);
  }

  /** Persists decisions in order, moving each article into the story its decision names. */
  recordDecisions(runId: number, decisions: readonly Decision[], at: string): void {
    for (const d of decisions) this.setMember(d.articleId, d.storyId, this.insertDecision(runId, d, at));
  }

  /** Returns the latest decision for an article. */
  latestDecision(articleId: string): Decision | undefined {
    const row = this.stmt('SELECT * FROM decisions WHERE article_id = ? ORDER BY id DESC LIMIT 1').get(articleId) as
      | { id: number; article_id: string; story_id: string; action: Decision['action']; score: number; evidence: string; runner_up: string | null }
      | undefined;
    if (!row) return undefined;
    const key = `id ${row.id}`;
    return {
      articleId: row.article_id,
      storyId: row.story_id,
      action: row.action,
      score: row.score,
      evidence: this.json<Decision['evidence']>(row.evidence, 'decisions', key, 'evidence'),
      ...(row.runner_up ? { runnerUp: this.json<NonNullable<Decision['runnerUp']>>(row.runner_up, 'decisions', key, 'runner_up') } : {}),
    };
  }

  // --- runs ----------------------------------------------------------------------------------

  startRun(startedAt: string): number {
    return Number(this.stmt('INSERT INTO runs (started_at) VALUES (?)').run(startedAt).lastInsertRowid);
  }

  finishRun(summary: RunSummary): void {
    this.stmt('UPDATE runs SET finished = 1, summary = ? WHERE id = ?').run(JSON.stringify(summary), summary.runId);
  }

  /** Returns when the first run of this store started: the feed's `updated` while it has no entries. */
  firstRunStartedAt(): string | undefined {
    const row = this.stmt('SELECT started_at FROM runs ORDER BY id LIMIT 1').get() as { started_at: string } | undefined;
    return row?.started_at;
  }

  /** Lists the latest finished runs, newest first. */
  recentRuns(limit: number): RunSummary[] {
    const rows = this.stmt('SELECT id, summary FROM runs WHERE finished = 1 ORDER BY id DESC LIMIT ?').all(limit) as { id: number; summary: string }[];
    return rows.map((r) => this.json<RunSummary>(r.summary, 'runs', `id ${r.id}`, 'summary'));
  }

  /** Returns the time (the injected `now`) of the latest run started on this store. */
  lastRunStartedAt(): string | undefined {
    const row = this.stmt('SELECT started_at FROM runs ORDER BY id DESC LIMIT 1').get() as { started_at: string } | undefined;
    return row?.started_at;
  }

  /**
   * Moves every stored date later than `limit` to `to`: articles' first-seen, published and
   * updated dates, stories' dates, sources' newest item dates. Such dates were written by a run
   * whose clock was ahead; returns how many articles and stories changed.
   */
  redateAfter(limit: string, to: string): { articles: number; stories: number } {
    const later = (column: string): string => `julianday(${column}) > julianday(@limit)`;
    const rows = this.stmt(
      `SELECT id, data FROM articles WHERE ${later('first_seen')} OR ${later('published')}
         OR (json_valid(data) AND ${later("json_extract(data, '$.updated')")}) ORDER BY id`,
    ).all({ limit }) as { id: string; data: string }[];
    const limitMs = Date.parse(limit);
    for (const row of rows) {
      const a = this.article(row.data, row.id);
      const fixed: Article = { ...a };
      if (Date.parse(a.firstSeen) > limitMs) fixed.firstSeen = to;
      if (a.published !== undefined && Date.parse(a.published) > limitMs) fixed.published = to;
      if (a.updated !== undefined && Date.parse(a.updated) > limitMs) fixed.updated = to;
      this.updateArticle(fixed);
      this.stmt('UPDATE articles SET first_seen = ? WHERE id = ?').run(fixed.firstSeen, fixed.id);
    }
    const cap = (column: string): string => `${column} = CASE WHEN ${later(column)} THEN @to ELSE ${column} END`;
    const stories = this.stmt(`UPDATE stories SET ${cap('published')}, ${cap('updated')}, ${cap('last_seen')} WHERE ${later('published')} OR ${later('updated')} OR ${later('last_seen')}`).run({ limit, to }).changes;
    this.stmt(`UPDATE sources SET newest_item_at = @to WHERE ${later('newest_item_at')}`).run({ limit, to });
    return { articles: rows.length, stories };
  }

  // --- lock ----------------------------------------------------------------------------------

  /** Returns who holds the named lock, or undefined when it is free. */
  lockHolder(name: string): LockHolder | undefined {
    const row = this.stmt('SELECT pid, host, acquired_at, expires_at FROM locks WHERE name = ?').get(name) as LockDbRow | undefined;
    return row ? toHolder(row) : undefined;
  }

  /**
   * Takes the named lock for `claim` when it is free or `mayTake` says its holder may be replaced
   * (one transaction, so two processes never both win). Returns the replaced holder, or the holder
   * that keeps it.
   */
  acquireLock(name: string, claim: LockHolder, mayTake: (holder: LockHolder) => boolean): { ok: true; replaced?: LockHolder } | { ok: false; holder: LockHolder } {
    return this.transaction(() => {
      const current = this.lockHolder(name);
      if (current && !mayTake(current)) return { ok: false as const, holder: current };
      this.stmt(
        `INSERT INTO locks (name, pid, host, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET
           pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
      ).run(name, claim.pid, claim.host, claim.acquiredAt, claim.expiresAt ?? null);
      return current ? { ok: true as const, replaced: current } : { ok: true as const };
    });
  }

  /** Extends the lease of a lock this process holds; false when it no longer holds it. */
  renewLock(name: string, pid: number, host: string, expiresAt: string): boolean {
    return this.stmt('UPDATE locks SET expires_at = ? WHERE name = ? AND pid = ? AND host = ?').run(expiresAt, name, pid, host).changes === 1;
  }

  /** Frees a lock this process holds (a lock taken over by another process is left alone). */
  releaseLock(name: string, pid: number, host: string): void {
    this.stmt('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ?').run(name, pid, host);
  }

  /** Frees the named lock whoever holds it (`feedfold unlock`); returns the holder it removed. */
  clearLock(name: string): LockHolder | undefined {
    return this.transaction(() => {
      const holder = this.lockHolder(name);
      if (holder) this.stmt('DELETE FROM locks WHERE name = ?').run(name);
      return holder;
    });
  }
}

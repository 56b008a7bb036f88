import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FeedfoldError } from '../../model/errors.js';
import type { Decision } from '../../model/story.js';
import { migrate } from '../migrations.js';
import { checkDatabaseFile, checkSchemaVersion, createDatabaseFile, openDatabaseReadOnly } from '../open-database.js';
import type { Store, StoreSnapshot, StoryRow, UnitOptions } from '../store.js';
import { SqliteArticles } from './articles.js';
import { SqliteConnection } from './connection.js';
import { SqliteDecisions } from './decisions.js';
import { SqliteLocks, toHolder, type LockDbRow } from './locks.js';
import { SqliteRetention } from './retention.js';
import { SqliteOverrides } from './overrides.js';
import { SqliteRuns } from './runs.js';
import { SqliteSources } from './sources.js';
import { SqliteStories } from './stories.js';

/**
 * Page size of a new store. An article row (its JSON holds the HTML and the text, a few KB) fills
 * most of a 4 KiB page alone, so such pages hold one row each and waste the rest; 8 KiB pages hold
 * two or three, and a run writes a third fewer bytes. Set before the first table: an existing
 * store keeps the page size it was made with.
 */
const NEW_STORE_PAGE_SIZE = 8192;

/** Most KiB of pages a connection keeps in its cache (SQLite's default is 2,000). */
const PAGE_CACHE_KIB = 32 * 1024;
/** Pages the write-ahead log holds before it is copied into the store (SQLite's default is 1,000). */
const CHECKPOINT_PAGES = 8000;

/** Sets a connection up the way every writer uses it. */
function configure(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // FULL: a committed unit of work survives power loss, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // A first run of 1,000 feeds (a store of 4,750 pages) read 30,000 pages back from the file with SQLite's default
  // 2 MB page cache, and wrote 38,000 to the log. With 32 MB of cache, and the log copied into the store every 8,000
  // pages (64 MB of log) rather than every 1,000, it reads 10,500 and writes 34,000, with 40% fewer fsyncs: a page
  // that several units of work change in turn (an index's) is copied into the store once per checkpoint, not at each.
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
}

/** The SQLite state of feedfold (the embedded default): one file, one connection, units of work one at a time. */
export class SqliteStore implements Store {
  readonly sources;
  readonly articles;
  readonly stories;
  readonly decisions;
  readonly runs;
  readonly locks;
  readonly retention;
  readonly overrides;
  readonly location: string;

  private readonly c: SqliteConnection;
  /** Set inside a unit of work: calls made there join its transaction. */
  private readonly inUnit = new AsyncLocalStorage<true>();
  /** The end of the last unit of work queued: units run one after another on the one connection. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The statements that open and close a unit of work, prepared on its first use rather than parsed at every unit. */
  private unitStatements: Record<'normal' | 'full' | 'begin' | 'commit' | 'rollback', Database.Statement> | undefined;

  private constructor(
    db: Database.Database,
    file: string,
    private readonly cleanup?: () => void,
  ) {
    this.c = new SqliteConnection(db, file);
    this.location = file;
    this.sources = new SqliteSources(this.c);
    this.articles = new SqliteArticles(this.c);
    this.stories = new SqliteStories(this.c, this.articles);
    this.decisions = new SqliteDecisions(this.c);
    this.runs = new SqliteRuns(this.c, this.articles);
    this.locks = new SqliteLocks(this.c);
    this.retention = new SqliteRetention(this.c, (fn) => this.alone(fn));
    this.overrides = new SqliteOverrides(this.c);
  }

  /** Runs `fn` after every queued unit of work, outside any transaction (VACUUM cannot run in one). */
  private alone<T>(fn: () => T): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Opens the store file in WAL mode and migrates it to the latest schema; a missing file is
   * created. An empty file, a file that is not SQLite or not feedfold's, and a schema newer than
   * this code are refused with the path named, never silently started afresh.
   */
  static open(file: string): SqliteStore {
    let db: Database.Database | undefined;
    try {
      if (file !== ':memory:') {
        mkdirSync(path.dirname(file), { recursive: true });
        if (existsSync(file)) checkDatabaseFile(file);
        else
          createDatabaseFile(file, (fresh) => {
            fresh.pragma(`page_size = ${NEW_STORE_PAGE_SIZE}`);
            // Set before the first table, like the page size: pruned rows' pages can then be given back without a VACUUM.
            fresh.pragma('auto_vacuum = INCREMENTAL');
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
    return new SqliteStore(db, file);
  }

  /**
   * Opens an existing store for commands that only read (`sources`, `explain`, `export-opml`): never
   * creates, migrates or writes anything, so they work in a read-only folder. Returns undefined
   * when there is no store yet. The same files are refused as by open().
   */
  static openReadOnly(file: string): SqliteStore | undefined {
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
    return new SqliteStore(opened.db, file, opened.cleanup);
  }

  async unitOfWork<T>(fn: () => Promise<T>, options: UnitOptions = {}): Promise<T> {
    if (this.inUnit.getStore()) return fn();
    const run = async (): Promise<T> => {
      const db = this.c.db;
      const unit = (this.unitStatements ??= {
        normal: db.prepare('PRAGMA synchronous = NORMAL'),
        full: db.prepare('PRAGMA synchronous = FULL'),
        begin: db.prepare('BEGIN IMMEDIATE'),
        commit: db.prepare('COMMIT'),
        rollback: db.prepare('ROLLBACK'),
      });
      // In WAL mode NORMAL skips the fsync of this commit only; the next FULL commit syncs the log with it.
      if (options.durable === false) unit.normal.run();
      unit.begin.run();
      try {
        const result = await this.inUnit.run(true, fn);
        unit.commit.run();
        return result;
      } catch (err) {
        if (db.inTransaction) unit.rollback.run();
        throw err;
      } finally {
        if (options.durable === false) unit.full.run();
        // Units run one at a time, so none is open now: the store's context is dropped, and with it the hook Node.js
        // runs on every promise while an AsyncLocalStorage is enabled (the next unit's run() enables it again). A run
        // makes most of its promises between units, fetching: a first run of 1,000 feeds took 3 % less CPU time.
        this.inUnit.disable();
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async snapshot(): Promise<StoreSnapshot> {
    const db = this.c.db;
    const sources = db.prepare('SELECT id, newest_item_at, last_success_at, error_count FROM sources ORDER BY id').all() as {
      id: string;
      newest_item_at: string | null;
      last_success_at: string | null;
      error_count: number;
    }[];
    const articles = db.prepare('SELECT id, source_id, first_seen, id IN (SELECT id FROM pending_articles) AS pending FROM articles ORDER BY id').all() as { id: string; source_id: string; first_seen: string; pending: number }[];
    const members = db.prepare('SELECT article_id, story_id FROM story_members ORDER BY article_id').all() as { article_id: string; story_id: string }[];
    const stories = db.prepare('SELECT * FROM stories ORDER BY id').all() as { id: string; canonical_id: string; canonical_reason: string; published: string; updated: string; last_seen: string }[];
    const decisions = db.prepare('SELECT article_id, story_id, action FROM decisions ORDER BY id').all() as { article_id: string; story_id: string; action: Decision['action'] }[];
    const runs = db.prepare('SELECT id, started_at, finished FROM runs ORDER BY id').all() as { id: number; started_at: string; finished: number }[];
    const locks = db.prepare('SELECT name, pid, host, acquired_at, expires_at FROM locks ORDER BY name').all() as (LockDbRow & { name: string })[];
    return {
      sources: sources.map((s) => ({ id: s.id, errorCount: s.error_count, ...(s.newest_item_at ? { newestItemAt: s.newest_item_at } : {}), ...(s.last_success_at ? { lastSuccessAt: s.last_success_at } : {}) })),
      articles: articles.map((a) => ({ id: a.id, sourceId: a.source_id, firstSeen: a.first_seen, pending: a.pending === 1 })),
      members: members.map((m) => ({ articleId: m.article_id, storyId: m.story_id })),
      stories: stories.map(
        (s): StoryRow => ({ id: s.id, canonicalId: s.canonical_id, canonicalReason: s.canonical_reason, published: s.published, updated: s.updated, lastSeen: s.last_seen }),
      ),
      decisions: decisions.map((d) => ({ articleId: d.article_id, storyId: d.story_id, action: d.action })),
      runs: runs.map((r) => ({ id: r.id, startedAt: r.started_at, finished: r.finished === 1 })),
      locks: locks.map((l) => ({ name: l.name, holder: toHolder(l) })),
    };
  }

  statementCount(): number {
    return this.c.statements;
  }

  async close(): Promise<void> {
    await this.queue;
    this.c.db.close();
    this.cleanup?.();
  }
}

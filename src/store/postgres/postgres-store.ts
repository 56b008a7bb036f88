import { FeedfoldError } from '../../model/errors.js';
import type { Decision } from '../../model/story.js';
import { toHolder, type LockDbRow } from '../sqlite/locks.js';
import type { Store, StoreSnapshot, StoryRow, UnitOptions } from '../store.js';
import { PgArticles } from './articles.js';
import { redactUrl } from '../redact-url.js';
import { PgConnection } from './connection.js';
import { PgDecisions } from './decisions.js';
import { PgLocks } from './locks.js';
import { PgRetention } from './retention.js';
import { PgOverrides } from './overrides.js';
import { PgRuns } from './runs.js';
import { checkPgVersion, migratePg, schemaVersion } from './schema.js';
import { PgSources } from './sources.js';
import { PgStories } from './stories.js';

/** The PostgreSQL state of feedfold, shared by any number of processes on any host. */
export class PostgresStore implements Store {
  readonly sources;
  readonly articles;
  readonly stories;
  readonly decisions;
  readonly runs;
  readonly locks;
  readonly retention;
  readonly overrides;
  readonly location: string;

  private constructor(private readonly c: PgConnection, location: string) {
    this.location = location;
    this.sources = new PgSources(c);
    this.articles = new PgArticles(c);
    this.stories = new PgStories(c, this.articles);
    this.decisions = new PgDecisions(c);
    this.runs = new PgRuns(c, this.articles);
    this.locks = new PgLocks(c);
    this.retention = new PgRetention(c);
    this.overrides = new PgOverrides(c);
  }

  /** Connects and migrates the schema to the latest version; a server that does not answer is named in the error. */
  static async open(url: string): Promise<PostgresStore> {
    const location = redactUrl(url);
    const c = new PgConnection(url);
    try {
      await migratePg(c, location);
    } catch (err) {
      await c.end();
      if (err instanceof FeedfoldError) throw err;
      throw new FeedfoldError('store', 'open', `cannot open ${location}: ${(err as Error).message}`, { cause: err });
    }
    return new PostgresStore(c, location);
  }

  /** Connects for reading only: nothing is created or migrated; undefined when no run has made the schema yet. */
  static async openReadOnly(url: string): Promise<PostgresStore | undefined> {
    const location = redactUrl(url);
    const c = new PgConnection(url);
    try {
      const version = await schemaVersion(c);
      checkPgVersion(version, location);
      if (version === 0) {
        await c.end();
        return undefined;
      }
    } catch (err) {
      await c.end();
      if (err instanceof FeedfoldError) throw err;
      throw new FeedfoldError('store', 'open', `cannot read ${location}: ${(err as Error).message}`, { cause: err });
    }
    return new PostgresStore(c, location);
  }

  unitOfWork<T>(fn: () => Promise<T>, options: UnitOptions = {}): Promise<T> {
    return this.c.transaction(fn, options.durable === false);
  }

  async snapshot(): Promise<StoreSnapshot> {
    const q = <T>(sql: string): Promise<T[]> => this.c.query<T>(sql);
    const sources = await q<{ id: string; newest_item_at: string | null; last_success_at: string | null; error_count: number }>(
      'SELECT id, newest_item_at, last_success_at, error_count FROM sources ORDER BY id',
    );
    const articles = await q<{ id: string; source_id: string; first_seen: string; pending: boolean }>('SELECT id, source_id, first_seen, pending FROM articles ORDER BY id');
    const members = await q<{ article_id: string; story_id: string }>('SELECT article_id, story_id FROM story_members ORDER BY article_id');
    const stories = await q<StoryRow>('SELECT id, canonical_id AS "canonicalId", canonical_reason AS "canonicalReason", published, updated, last_seen AS "lastSeen" FROM stories ORDER BY id');
    const decisions = await q<{ article_id: string; story_id: string; action: Decision['action'] }>('SELECT article_id, story_id, action FROM decisions ORDER BY id');
    const runs = await q<{ id: number; started_at: string; finished: boolean }>('SELECT id, started_at, finished FROM runs ORDER BY id');
    const locks = await q<LockDbRow & { name: string }>('SELECT name, pid, host, acquired_at, expires_at FROM locks ORDER BY name');
    return {
      sources: sources.map((s) => ({ id: s.id, errorCount: s.error_count, ...(s.newest_item_at ? { newestItemAt: s.newest_item_at } : {}), ...(s.last_success_at ? { lastSuccessAt: s.last_success_at } : {}) })),
      articles: articles.map((a) => ({ id: a.id, sourceId: a.source_id, firstSeen: a.first_seen, pending: a.pending })),
      members: members.map((m) => ({ articleId: m.article_id, storyId: m.story_id })),
      stories,
      decisions: decisions.map((d) => ({ articleId: d.article_id, storyId: d.story_id, action: d.action })),
      runs: runs.map((r) => ({ id: r.id, startedAt: r.started_at, finished: r.finished })),
      locks: locks.map((l) => ({ name: l.name, holder: toHolder(l) })),
    };
  }

  statementCount(): number {
    return this.c.statements;
  }

  async close(): Promise<void> {
    await this.c.end();
  }
}

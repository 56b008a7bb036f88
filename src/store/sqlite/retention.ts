import { statSync } from 'node:fs';
import type { CompactResult, PrunePlan, PruneResult, RetentionStore } from '../store.js';
import { jsonList, type SqliteConnection } from './connection.js';

/** SQLite's auto_vacuum value for INCREMENTAL. */
const AUTO_VACUUM_INCREMENTAL = 2;

/**
 * The stories a pruning removes: updated before the cutoff, not kept, and no member first seen
 * since the cutoff or still pending (a story without members qualifies by its date alone).
 */
const DOOMED_STORIES = `
  SELECT s.id FROM stories s
  WHERE julianday(s.updated) < julianday(@before)
    AND s.id NOT IN (SELECT value FROM json_each(@keepStories))
    AND NOT EXISTS (
      SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id
      WHERE m.story_id = s.id AND (a.first_seen >= @before OR a.id IN (SELECT id FROM pending_articles) OR a.id IN (SELECT value FROM json_each(@keepArticles)))
    )
  ORDER BY s.updated, s.id LIMIT @limit`;

/** Retention in SQLite: pruning, tombstones and giving free pages back. */
export class SqliteRetention implements RetentionStore {
  constructor(
    private readonly c: SqliteConnection,
    /** Runs a function outside any unit of work, after those queued. */
    private readonly alone: <T>(fn: () => T) => Promise<T>,
  ) {}

  async prune(plan: PrunePlan): Promise<PruneResult> {
    const params = { before: plan.before, keepStories: jsonList(plan.keepStories), keepArticles: jsonList(plan.keepArticles), limit: plan.limit };
    const stories = this.c.all<{ id: string }>(DOOMED_STORIES, params).map((r) => r.id);
    // The members of those stories, and articles of no story (a first read's back catalogue) as old, not pending, not kept.
    const articles = this.c.all<{ id: string; url: string | null }>(
      `SELECT a.id, a.url FROM articles a JOIN story_members m ON m.article_id = a.id WHERE m.story_id IN (SELECT value FROM json_each(@stories))
       UNION
       SELECT * FROM (
         SELECT a.id, a.url FROM articles a WHERE a.first_seen < @before AND a.id NOT IN (SELECT id FROM pending_articles)
           AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = a.id)
           AND a.id NOT IN (SELECT value FROM json_each(@keepArticles))
         ORDER BY a.first_seen, a.id LIMIT @limit
       )
       ORDER BY 1`,
      { stories: jsonList(stories), before: plan.before, keepArticles: params.keepArticles, limit: plan.limit },
    );
    const ids = jsonList(articles.map((a) => a.id));
    this.c.run(
      `INSERT INTO pruned_articles (id, source_id, source_hash, pruned_at, listed_at)
       SELECT id, source_id, source_hash, @now, @now FROM articles WHERE id IN (SELECT value FROM json_each(@ids)) AND true
       ON CONFLICT(id) DO UPDATE SET source_hash = excluded.source_hash, pruned_at = excluded.pruned_at, listed_at = excluded.listed_at`,
      { now: plan.now, ids },
    );
    const decisions = this.c.run('DELETE FROM decisions WHERE article_id IN (SELECT value FROM json_each(?))', ids).changes;
    this.c.run('DELETE FROM story_members WHERE article_id IN (SELECT value FROM json_each(?))', ids);
    this.c.run('DELETE FROM articles WHERE id IN (SELECT value FROM json_each(?))', ids);
    const storyCount = this.c.run('DELETE FROM stories WHERE id IN (SELECT value FROM json_each(?))', jsonList(stories)).changes;
    const runs = this.c.run(
      `DELETE FROM runs WHERE started_at < ? AND id > (SELECT min(id) FROM runs)
         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.run_id = runs.id)`,
      plan.runsBefore,
    ).changes;
    const tombstones = this.c.run('DELETE FROM pruned_articles WHERE listed_at < ?', plan.tombstonesBefore).changes;
    return { articles: articles.map((a) => ({ id: a.id, ...(a.url === null ? {} : { url: a.url }) })), stories: storyCount, decisions, runs, tombstones };
  }

  async listedPruned(ids: readonly string[], at: string): Promise<Map<string, { sourceHash?: string }>> {
    if (ids.length === 0) return new Map();
    const rows = this.c.all<{ id: string; source_hash: string | null }>(
      'UPDATE pruned_articles SET listed_at = ? WHERE id IN (SELECT value FROM json_each(?)) RETURNING id, source_hash',
      at,
      jsonList(ids),
    );
    return new Map(rows.map((r) => [r.id, r.source_hash === null ? {} : { sourceHash: r.source_hash }]));
  }

  async holdPruned(sourceIds: readonly string[], at: string): Promise<void> {
    if (sourceIds.length === 0) return;
    this.c.run('UPDATE pruned_articles SET listed_at = ? WHERE source_id IN (SELECT value FROM json_each(?))', at, jsonList(sourceIds));
  }

  async countPruned(): Promise<number> {
    return (this.c.get<{ n: number }>('SELECT count(*) AS n FROM pruned_articles') as { n: number }).n;
  }

  compact(freeShare: number): Promise<CompactResult> {
    return this.alone(() => {
      const db = this.c.db;
      // The file and its write-ahead log, where the latest pages live until a checkpoint.
      const size = (): number => (this.c.file === ':memory:' ? 0 : statSync(this.c.file).size + (statSync(`${this.c.file}-wal`, { throwIfNoEntry: false })?.size ?? 0));
      const pages = db.pragma('page_count', { simple: true }) as number;
      const free = db.pragma('freelist_count', { simple: true }) as number;
      const bytesBefore = size();
      if (pages === 0 || free / pages < freeShare) return { mode: 'none', bytesBefore, bytesAfter: bytesBefore };
      let mode: CompactResult['mode'] = 'incremental';
      if ((db.pragma('auto_vacuum', { simple: true }) as number) === AUTO_VACUUM_INCREMENTAL) db.pragma('incremental_vacuum');
      else {
        // A store made before auto_vacuum was set: switching needs one full rebuild, after which free pages are given back as they come.
        db.pragma('auto_vacuum = INCREMENTAL');
        db.exec('VACUUM');
        mode = 'full';
      }
      // The pages go back at the next checkpoint; TRUNCATE also empties the write-ahead log.
      db.pragma('wal_checkpoint(TRUNCATE)');
      return { mode, bytesBefore, bytesAfter: size() };
    });
  }
}

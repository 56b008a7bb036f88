import type { CompactResult, PrunePlan, PruneResult, RetentionStore } from '../store.js';
import type { PgConnection } from './connection.js';

/** Retention in PostgreSQL: pruning and tombstones; autovacuum gives the space of deleted rows back for reuse. */
export class PgRetention implements RetentionStore {
  constructor(private readonly c: PgConnection) {}

  async prune(plan: PrunePlan): Promise<PruneResult> {
    // Stories updated before the cutoff, not kept, and no member first seen since then, pending or kept.
    const stories = (
      await this.c.query<{ id: string }>(
        `SELECT s.id FROM stories s
         WHERE s.updated < $1 AND NOT (s.id = ANY($2::text[]))
           AND NOT EXISTS (
             SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id
             WHERE m.story_id = s.id AND (a.first_seen >= $1 OR a.pending OR a.id = ANY($3::text[]))
           )
         ORDER BY s.updated, s.id LIMIT $4`,
        [plan.before, plan.keepStories, plan.keepArticles, plan.limit],
      )
    ).map((r) => r.id);
    // Their members, and articles of no story (a first read's back catalogue) as old, not pending, not kept.
    const articles = await this.c.query<{ id: string; url: string | null }>(
      `SELECT a.id, a.url FROM articles a JOIN story_members m ON m.article_id = a.id WHERE m.story_id = ANY($1::text[])
       UNION
       (SELECT a.id, a.url FROM articles a WHERE a.first_seen < $2 AND NOT a.pending
         AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = a.id)
         AND NOT (a.id = ANY($3::text[]))
        ORDER BY a.first_seen, a.id LIMIT $4)
       ORDER BY 1`,
      [stories, plan.before, plan.keepArticles, plan.limit],
    );
    const ids = articles.map((a) => a.id);
    await this.c.query(
      `INSERT INTO pruned_articles (id, source_id, source_hash, pruned_at, listed_at)
       SELECT id, source_id, source_hash, $1, $1 FROM articles WHERE id = ANY($2::text[])
       ON CONFLICT (id) DO UPDATE SET source_hash = excluded.source_hash, pruned_at = excluded.pruned_at, listed_at = excluded.listed_at`,
      [plan.now, ids],
    );
    const decisions = await this.c.execute('DELETE FROM decisions WHERE article_id = ANY($1::text[])', [ids]);
    await this.c.query('DELETE FROM story_members WHERE article_id = ANY($1::text[])', [ids]);
    await this.c.query('DELETE FROM articles WHERE id = ANY($1::text[])', [ids]);
    const storyCount = await this.c.execute('DELETE FROM stories WHERE id = ANY($1::text[])', [stories]);
    const runs = await this.c.execute(
      `DELETE FROM runs WHERE started_at < $1 AND id > (SELECT min(id) FROM runs)
         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.run_id = runs.id)`,
      [plan.runsBefore],
    );
    const tombstones = await this.c.execute('DELETE FROM pruned_articles WHERE listed_at < $1', [plan.tombstonesBefore]);
    return { articles: articles.map((a) => ({ id: a.id, ...(a.url === null ? {} : { url: a.url }) })), stories: storyCount, decisions, runs, tombstones };
  }

  async listedPruned(ids: readonly string[], at: string): Promise<Map<string, { sourceHash?: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.c.query<{ id: string; source_hash: string | null }>('UPDATE pruned_articles SET listed_at = $1 WHERE id = ANY($2::text[]) RETURNING id, source_hash', [at, ids]);
    return new Map(rows.map((r) => [r.id, r.source_hash === null ? {} : { sourceHash: r.source_hash }]));
  }

  async holdPruned(sourceIds: readonly string[], at: string): Promise<void> {
    if (sourceIds.length === 0) return;
    await this.c.query('UPDATE pruned_articles SET listed_at = $1 WHERE source_id = ANY($2::text[])', [at, sourceIds]);
  }

  async countPruned(): Promise<number> {
    const [row] = await this.c.query<{ n: number }>('SELECT count(*)::integer AS n FROM pruned_articles');
    return row?.n ?? 0;
  }

  async compact(): Promise<CompactResult> {
    // Autovacuum marks the space of deleted rows for reuse, so the tables stop growing once pruning keeps pace;
    // giving it back to the file system (VACUUM FULL) would lock the tables every other process uses.
    const [row] = await this.c.query<{ bytes: number }>('SELECT pg_database_size(current_database())::bigint AS bytes');
    const bytes = row?.bytes ?? 0;
    return { mode: 'none', bytesBefore: bytes, bytesAfter: bytes };
  }
}

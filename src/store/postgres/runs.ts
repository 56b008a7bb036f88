import type { Article } from '../../model/article.js';
import type { RunSummary } from '../../model/run.js';
import { redated } from '../sqlite/runs.js';
import type { RunStore } from '../store.js';
import type { PgArticles } from './articles.js';
import type { PgConnection } from './connection.js';

/** Runs in PostgreSQL. */
export class PgRuns implements RunStore {
  constructor(
    private readonly c: PgConnection,
    private readonly articles: PgArticles,
  ) {}

  async startRun(startedAt: string): Promise<number> {
    const [row] = await this.c.query<{ id: number }>('INSERT INTO runs (started_at) VALUES ($1) RETURNING id', [startedAt]);
    return (row as { id: number }).id;
  }

  async finishRun(summary: RunSummary): Promise<void> {
    await this.c.query('UPDATE runs SET finished = true, summary = $2::jsonb WHERE id = $1', [summary.runId, JSON.stringify(summary)]);
  }

  async firstRunStartedAt(): Promise<string | undefined> {
    return (await this.c.query<{ started_at: string }>('SELECT started_at FROM runs ORDER BY id LIMIT 1'))[0]?.started_at;
  }

  async lastRunStartedAt(): Promise<string | undefined> {
    return (await this.c.query<{ started_at: string }>('SELECT started_at FROM runs ORDER BY id DESC LIMIT 1'))[0]?.started_at;
  }

  async recentRuns(limit: number): Promise<RunSummary[]> {
    return (await this.c.query<{ summary: RunSummary }>('SELECT summary FROM runs WHERE finished ORDER BY id DESC LIMIT $1', [limit])).map((r) => r.summary);
  }

  async redateAfter(limit: string, to: string): Promise<{ articles: number; stories: number }> {
    // Article dates are written in one form (toISOString), so the JSON date compares as text.
    const rows = await this.c.query<{ data: Article }>(
      "SELECT data FROM articles WHERE first_seen > $1 OR published > $1 OR data->>'updated' > $2 ORDER BY id",
      [limit, limit],
    );
    for (const row of rows) {
      const fixed = redated(row.data, limit, to);
      if (fixed) await this.articles.updateArticle(fixed);
    }
    const cap = (column: string): string => `${column} = CASE WHEN ${column} > $1 THEN $2 ELSE ${column} END`;
    const stories = await this.c.execute(
      `UPDATE stories SET ${cap('published')}, ${cap('updated')}, ${cap('last_seen')} WHERE published > $1 OR updated > $1 OR last_seen > $1`,
      [limit, to],
    );
    await this.c.query('UPDATE sources SET newest_item_at = $2 WHERE newest_item_at > $1', [limit, to]);
    return { articles: rows.length, stories };
  }
}

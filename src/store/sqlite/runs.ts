import type { Article } from '../../model/article.js';
import type { RunSummary } from '../../model/run.js';
import type { RunStore } from '../store.js';
import type { SqliteConnection } from './connection.js';
import type { SqliteArticles } from './articles.js';

/** Returns an article with every date later than `limit` moved to `to` (undefined when none is). */
export function redated(a: Article, limit: string, to: string): Article | undefined {
  const limitMs = Date.parse(limit);
  const later = (date: string | undefined): boolean => date !== undefined && Date.parse(date) > limitMs;
  if (!later(a.firstSeen) && !later(a.published) && !later(a.updated)) return undefined;
  const fixed: Article = { ...a };
  if (later(a.firstSeen)) fixed.firstSeen = to;
  if (later(a.published)) fixed.published = to;
  if (later(a.updated)) fixed.updated = to;
  return fixed;
}

/** Runs in SQLite. */
export class SqliteRuns implements RunStore {
  constructor(
    private readonly c: SqliteConnection,
    private readonly articles: SqliteArticles,
  ) {}

  async startRun(startedAt: string): Promise<number> {
    return Number(this.c.run('INSERT INTO runs (started_at) VALUES (?)', startedAt).lastInsertRowid);
  }

  async finishRun(summary: RunSummary): Promise<void> {
    this.c.run('UPDATE runs SET finished = 1, summary = ? WHERE id = ?', JSON.stringify(summary), summary.runId);
  }

  async firstRunStartedAt(): Promise<string | undefined> {
    return this.c.get<{ started_at: string }>('SELECT started_at FROM runs ORDER BY id LIMIT 1')?.started_at;
  }

  async lastRunStartedAt(): Promise<string | undefined> {
    return this.c.get<{ started_at: string }>('SELECT started_at FROM runs ORDER BY id DESC LIMIT 1')?.started_at;
  }

  async recentRuns(limit: number): Promise<RunSummary[]> {
    const rows = this.c.all<{ id: number; summary: string }>('SELECT id, summary FROM runs WHERE finished = 1 ORDER BY id DESC LIMIT ?', limit);
    return rows.map((r) => this.c.json<RunSummary>(r.summary, 'runs', `id ${r.id}`, 'summary'));
  }

  async redateAfter(limit: string, to: string): Promise<{ articles: number; stories: number }> {
    const later = (column: string): string => `julianday(${column}) > julianday(@limit)`;
    const rows = this.c.all<{ id: string; data: string }>(
      `SELECT id, data FROM articles WHERE ${later('first_seen')} OR ${later('published')}
         OR (json_valid(data) AND ${later("json_extract(data, '$.updated')")}) ORDER BY id`,
      { limit },
    );
    for (const row of rows) {
      const fixed = redated(this.c.article(row.data, row.id), limit, to);
      if (fixed) await this.articles.updateArticle(fixed);
    }
    const cap = (column: string): string => `${column} = CASE WHEN ${later(column)} THEN @to ELSE ${column} END`;
    const stories = this.c.run(`UPDATE stories SET ${cap('published')}, ${cap('updated')}, ${cap('last_seen')} WHERE ${later('published')} OR ${later('updated')} OR ${later('last_seen')}`, { limit, to }).changes;
    this.c.run(`UPDATE sources SET newest_item_at = @to WHERE ${later('newest_item_at')}`, { limit, to });
    return { articles: rows.length, stories };
  }
}

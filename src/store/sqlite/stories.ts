import type { Article } from '../../model/article.js';
import { reviewCondition, type ReviewQuery } from '../review-query.js';
import type { StoryRow, StoryStore } from '../store.js';
import { jsonList, type SqliteConnection } from './connection.js';
import type { SqliteArticles } from './articles.js';

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

/** Groups member articles by story, in the order of `rows`; articles in `loaded` are not read again. */
export async function groupMembers(
  rows: readonly { story_id: string; id: string }[],
  loaded: ReadonlyMap<string, Article>,
  read: (ids: readonly string[]) => Promise<Map<string, Article>>,
): Promise<Map<string, Article[]>> {
  // Listed by a loop into an array literal: an empty `.filter()` result is an array of another kind, and threw this
  // function's optimized code away when first met late in a run.
  const missing: string[] = [];
  for (const r of rows) if (!loaded.has(r.id)) missing.push(r.id);
  const fetched = await read(missing);
  const byStory = new Map<string, Article[]>();
  for (const r of rows) {
    const article = (loaded.get(r.id) ?? fetched.get(r.id)) as Article;
    const members = byStory.get(r.story_id);
    if (members) members.push(article);
    else byStory.set(r.story_id, [article]);
  }
  return byStory;
}

/** Stories and their members in SQLite. */
export class SqliteStories implements StoryStore {
  constructor(
    private readonly c: SqliteConnection,
    private readonly articles: SqliteArticles,
  ) {}

  async getStories(ids: readonly string[]): Promise<Map<string, StoryRow>> {
    if (ids.length === 0) return new Map();
    const rows = this.c.all<StoryDbRow>('SELECT * FROM stories WHERE id IN (SELECT value FROM json_each(?))', jsonList(ids));
    return new Map(rows.map((r) => [r.id, toStoryRow(r)]));
  }

  async storedStoryIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = this.c.all<{ id: string }>('SELECT id FROM stories WHERE id IN (SELECT value FROM json_each(?))', jsonList(ids));
    return new Set(rows.map((r) => r.id));
  }

  async upsertStories(rows: readonly StoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.c.run(
      `INSERT INTO stories (id, canonical_id, canonical_reason, published, updated, last_seen)
       SELECT value->>'id', value->>'canonicalId', value->>'canonicalReason', value->>'published', value->>'updated', value->>'lastSeen'
       FROM json_each(?) WHERE true
       ON CONFLICT(id) DO UPDATE SET canonical_id = excluded.canonical_id, canonical_reason = excluded.canonical_reason,
         published = excluded.published, updated = excluded.updated, last_seen = excluded.last_seen`,
      jsonList(rows),
    );
  }

  async deleteStories(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    this.c.run('DELETE FROM stories WHERE id IN (SELECT value FROM json_each(?))', jsonList(ids));
  }

  async storiesOf(articleIds: readonly string[]): Promise<Map<string, string>> {
    if (articleIds.length === 0) return new Map();
    const rows = this.c.all<{ article_id: string; story_id: string }>('SELECT article_id, story_id FROM story_members WHERE article_id IN (SELECT value FROM json_each(?))', jsonList(articleIds));
    return new Map(rows.map((r) => [r.article_id, r.story_id]));
  }

  async membersOf(storyIds: readonly string[], loaded: ReadonlyMap<string, Article> = new Map()): Promise<Map<string, Article[]>> {
    if (storyIds.length === 0) return new Map();
    const rows = this.c.all<{ story_id: string; id: string }>(
      `SELECT m.story_id, a.id FROM story_members m JOIN articles a ON a.id = m.article_id
       WHERE m.story_id IN (SELECT value FROM json_each(?)) ORDER BY a.first_seen, a.id`,
      jsonList(storyIds),
    );
    return groupMembers(rows, loaded, (ids) => this.articles.getArticles(ids));
  }

  async recentStories(since: string, limit: number): Promise<StoryRow[]> {
    const rows = this.c.all<StoryDbRow>(
      `SELECT * FROM stories WHERE updated >= ? AND EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = stories.id)
       ORDER BY updated DESC, id ASC LIMIT ?`,
      since,
      limit,
    );
    return rows.map(toStoryRow);
  }

  async storiesWithReason(prefix: string): Promise<string[]> {
    return this.c.all<{ id: string }>("SELECT id FROM stories WHERE substr(canonical_reason, 1, length(?)) = ? ORDER BY id", prefix, prefix).map((r) => r.id);
  }

  async reviewPage(query: ReviewQuery): Promise<{ rows: StoryRow[]; total: number }> {
    const { where, params } = reviewCondition(query);
    const total = this.c.get<{ n: number }>(`SELECT count(*) AS n FROM stories s WHERE ${where}`, ...params)?.n ?? 0;
    const rows = this.c.all<StoryDbRow>(`SELECT s.* FROM stories s WHERE ${where} ORDER BY s.updated DESC, s.id ASC LIMIT ? OFFSET ?`, ...params, query.limit, query.offset);
    return { rows: rows.map(toStoryRow), total };
  }
}

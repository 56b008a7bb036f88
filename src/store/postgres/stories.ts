import type { Article } from '../../model/article.js';
import { groupMembers } from '../sqlite/stories.js';
import { pgPlaceholders, reviewCondition, type ReviewQuery } from '../review-query.js';
import type { StoryRow, StoryStore } from '../store.js';
import type { PgArticles } from './articles.js';
import type { PgConnection } from './connection.js';

const STORY_COLUMNS = 'id, canonical_id AS "canonicalId", canonical_reason AS "canonicalReason", published, updated, last_seen AS "lastSeen"';

/** Stories and their members in PostgreSQL. */
export class PgStories implements StoryStore {
  constructor(
    private readonly c: PgConnection,
    private readonly articles: PgArticles,
  ) {}

  async getStories(ids: readonly string[]): Promise<Map<string, StoryRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.c.query<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories WHERE id = ANY($1)`, [ids]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  async storedStoryIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.c.query<{ id: string }>('SELECT id FROM stories WHERE id = ANY($1)', [ids]);
    return new Set(rows.map((r) => r.id));
  }

  async upsertStories(rows: readonly StoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.c.query(
      `INSERT INTO stories (id, canonical_id, canonical_reason, published, updated, last_seen)
       SELECT id, "canonicalId", "canonicalReason", published, updated, "lastSeen"
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, "canonicalId" text, "canonicalReason" text, published timestamptz, updated timestamptz, "lastSeen" timestamptz)
       ON CONFLICT (id) DO UPDATE SET canonical_id = excluded.canonical_id, canonical_reason = excluded.canonical_reason,
         published = excluded.published, updated = excluded.updated, last_seen = excluded.last_seen`,
      [JSON.stringify(rows)],
    );
  }

  async deleteStories(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.c.query('DELETE FROM stories WHERE id = ANY($1)', [ids]);
  }

  async storiesOf(articleIds: readonly string[]): Promise<Map<string, string>> {
    if (articleIds.length === 0) return new Map();
    const rows = await this.c.query<{ article_id: string; story_id: string }>('SELECT article_id, story_id FROM story_members WHERE article_id = ANY($1)', [articleIds]);
    return new Map(rows.map((r) => [r.article_id, r.story_id]));
  }

  async membersOf(storyIds: readonly string[], loaded: ReadonlyMap<string, Article> = new Map()): Promise<Map<string, Article[]>> {
    if (storyIds.length === 0) return new Map();
    const rows = await this.c.query<{ story_id: string; id: string }>(
      `SELECT m.story_id, a.id FROM story_members m JOIN articles a ON a.id = m.article_id
       WHERE m.story_id = ANY($1) ORDER BY a.first_seen, a.id`,
      [storyIds],
    );
    return groupMembers(rows, loaded, (ids) => this.articles.getArticles(ids));
  }

  async recentStories(since: string, limit: number): Promise<StoryRow[]> {
    return this.c.query<StoryRow>(
      `SELECT ${STORY_COLUMNS} FROM stories WHERE updated >= $1 AND EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = stories.id)
       ORDER BY updated DESC, id ASC LIMIT $2`,
      [since, limit],
    );
  }

  async storiesWithReason(prefix: string): Promise<string[]> {
    const rows = await this.c.query<{ id: string }>('SELECT id FROM stories WHERE starts_with(canonical_reason, $1) ORDER BY id', [prefix]);
    return rows.map((r) => r.id);
  }

  async reviewPage(query: ReviewQuery): Promise<{ rows: StoryRow[]; total: number }> {
    const { where, params } = reviewCondition(query);
    const [count] = await this.c.query<{ n: number }>(pgPlaceholders(`SELECT count(*) AS n FROM stories s WHERE ${where}`), params);
    const columns = STORY_COLUMNS.replace(/(^|, )(\w)/g, '$1s.$2');
    const rows = await this.c.query<StoryRow>(pgPlaceholders(`SELECT ${columns} FROM stories s WHERE ${where} ORDER BY s.updated DESC, s.id ASC LIMIT ? OFFSET ?`), [...params, query.limit, query.offset]);
    return { rows, total: count?.n ?? 0 };
  }
}

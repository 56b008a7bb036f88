import type { Article } from '../../model/article.js';
import type { ArticleStore } from '../store.js';
import type { PgConnection } from './connection.js';

/** The columns of an article row, from the article (its whole self in `data`). */
const articleRow = (a: Article, pending: boolean): Record<string, unknown> => ({
  id: a.id,
  source_id: a.sourceId,
  url: a.url ?? null,
  guid: a.guid ?? null,
  content_hash: a.contentHash,
  source_hash: a.sourceHash ?? null,
  first_seen: a.firstSeen,
  published: a.published ?? null,
  data: a,
  pending,
});

/** Articles in PostgreSQL. */
export class PgArticles implements ArticleStore {
  constructor(private readonly c: PgConnection) {}

  async insertArticles(articles: readonly Article[], pending: (a: Article) => boolean = () => false): Promise<void> {
    if (articles.length === 0) return;
    await this.c.query(
      `INSERT INTO articles (id, source_id, url, guid, content_hash, source_hash, first_seen, published, data, pending)
       SELECT id, source_id, url, guid, content_hash, source_hash, first_seen, published, data, pending
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, source_id text, url text, guid text, content_hash text, source_hash text,
         first_seen timestamptz, published timestamptz, data jsonb, pending boolean)`,
      [JSON.stringify(articles.map((a) => articleRow(a, pending(a))))],
    );
  }

  async updateArticle(a: Article): Promise<void> {
    await this.c.query(
      'UPDATE articles SET url = $2, guid = $3, content_hash = $4, source_hash = $5, first_seen = $6, published = $7, data = $8::jsonb WHERE id = $1',
      [a.id, a.url ?? null, a.guid ?? null, a.contentHash, a.sourceHash ?? null, a.firstSeen, a.published ?? null, JSON.stringify(a)],
    );
  }

  async storedArticleIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.c.query<{ id: string }>('SELECT id FROM articles WHERE id = ANY($1)', [ids]);
    return new Set(rows.map((r) => r.id));
  }

  async storedSourceHashes(ids: readonly string[]): Promise<Map<string, { sourceHash?: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.c.query<{ id: string; source_hash: string | null }>('SELECT id, source_hash FROM articles WHERE id = ANY($1)', [ids]);
    return new Map(rows.map((r) => [r.id, r.source_hash === null ? {} : { sourceHash: r.source_hash }]));
  }

  async getArticles(ids: readonly string[]): Promise<Map<string, Article>> {
    if (ids.length === 0) return new Map();
    const rows = await this.c.query<{ id: string; data: Article }>('SELECT id, data FROM articles WHERE id = ANY($1)', [ids]);
    return new Map(rows.map((r) => [r.id, r.data]));
  }

  async findArticlesByUrl(url: string): Promise<Article[]> {
    const rows = await this.c.query<{ data: Article }>('SELECT data FROM articles WHERE url = $1 ORDER BY id', [url]);
    return rows.map((r) => r.data);
  }

  async windowArticles(since: string): Promise<{ article: Article; storyId: string }[]> {
    const rows = await this.c.query<{ data: Article; story_id: string }>(
      `SELECT a.data, m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id
       WHERE a.first_seen >= $1 ORDER BY a.first_seen, a.id`,
      [since],
    );
    return rows.map((r) => ({ article: r.data, storyId: r.story_id }));
  }

  async pendingArticleIds(): Promise<string[]> {
    return (await this.c.query<{ id: string }>('SELECT id FROM articles WHERE pending ORDER BY first_seen, id')).map((r) => r.id);
  }

  async countArticles(): Promise<number> {
    const [row] = await this.c.query<{ n: number }>('SELECT count(*)::integer AS n FROM articles');
    return row?.n ?? 0;
  }

  async generation(): Promise<number> {
    const [row] = await this.c.query<{ value: number }>('SELECT value FROM article_generation WHERE id = 1');
    return row?.value ?? 0;
  }

  async bumpGeneration(): Promise<void> {
    await this.c.query('UPDATE article_generation SET value = value + 1 WHERE id = 1');
  }
}

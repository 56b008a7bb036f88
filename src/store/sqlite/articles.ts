import type { Article } from '../../model/article.js';
import type { ArticleStore } from '../store.js';
import { jsonList, type SqliteConnection } from './connection.js';

/** Articles in SQLite. */
export class SqliteArticles implements ArticleStore {
  constructor(private readonly c: SqliteConnection) {}

  async insertArticles(articles: readonly Article[], pending: (a: Article) => boolean = () => false): Promise<void> {
    // A prepared statement per row: SQLite has no round trip to save, and JSON would be encoded twice.
    for (const a of articles) {
      this.c.run(
        `INSERT INTO articles (id, source_id, url, guid, content_hash, source_hash, first_seen, published, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        a.id,
        a.sourceId,
        a.url ?? null,
        a.guid ?? null,
        a.contentHash,
        a.sourceHash ?? null,
        a.firstSeen,
        a.published ?? null,
        JSON.stringify(a),
      );
      this.writeTitle(a);
      if (pending(a)) this.c.run('INSERT INTO pending_articles (id) VALUES (?)', a.id);
    }
  }

  async updateArticle(a: Article): Promise<void> {
    this.c.run(
      'UPDATE articles SET url = ?, guid = ?, content_hash = ?, source_hash = ?, first_seen = ?, published = ?, data = ? WHERE id = ?',
      a.url ?? null,
      a.guid ?? null,
      a.contentHash,
      a.sourceHash ?? null,
      a.firstSeen,
      a.published ?? null,
      JSON.stringify(a),
      a.id,
    );
    this.writeTitle(a);
  }

  /** Keeps the article's title and language beside it for the review app's searches (see the schema's article_titles). */
  private writeTitle(a: Article): void {
    this.c.run('INSERT OR REPLACE INTO article_titles (article_id, title, language) VALUES (?, ?, ?)', a.id, a.title ?? '', a.language ?? '');
  }

  async storedArticleIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = this.c.all<{ id: string }>('SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))', jsonList(ids));
    return new Set(rows.map((r) => r.id));
  }

  async storedSourceHashes(ids: readonly string[]): Promise<Map<string, { sourceHash?: string }>> {
    if (ids.length === 0) return new Map();
    const rows = this.c.all<{ id: string; source_hash: string | null }>('SELECT id, source_hash FROM articles WHERE id IN (SELECT value FROM json_each(?))', jsonList(ids));
    return new Map(rows.map((r) => [r.id, r.source_hash === null ? {} : { sourceHash: r.source_hash }]));
  }

  async getArticles(ids: readonly string[]): Promise<Map<string, Article>> {
    if (ids.length === 0) return new Map();
    const rows = this.c.all<{ id: string; data: string }>('SELECT id, data FROM articles WHERE id IN (SELECT value FROM json_each(?))', jsonList(ids));
    return new Map(rows.map((r) => [r.id, this.c.article(r.data, r.id)]));
  }

  async findArticlesByUrl(url: string): Promise<Article[]> {
    const rows = this.c.all<{ id: string; data: string }>('SELECT id, data FROM articles WHERE url = ? ORDER BY id', url);
    return rows.map((r) => this.c.article(r.data, r.id));
  }

  async windowArticles(since: string): Promise<{ article: Article; storyId: string }[]> {
    const rows = this.c.all<{ id: string; data: string; story_id: string }>(
      `SELECT a.id, a.data, m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id
       WHERE a.first_seen >= ? ORDER BY a.first_seen, a.id`,
      since,
    );
    return rows.map((r) => ({ article: this.c.article(r.data, r.id), storyId: r.story_id }));
  }

  async pendingArticleIds(): Promise<string[]> {
    return this.c.all<{ id: string }>('SELECT a.id FROM pending_articles p JOIN articles a ON a.id = p.id ORDER BY a.first_seen, a.id').map((r) => r.id);
  }

  async countArticles(): Promise<number> {
    return (this.c.get<{ n: number }>('SELECT count(*) AS n FROM articles') as { n: number }).n;
  }

  async generation(): Promise<number> {
    return (this.c.get<{ value: number }>('SELECT value FROM article_generation WHERE id = 1') as { value: number }).value;
  }

  async bumpGeneration(): Promise<void> {
    this.c.run('UPDATE article_generation SET value = value + 1 WHERE id = 1');
  }
}

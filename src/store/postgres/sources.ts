import type { SourceSpec, SourceState } from '../../model/source.js';
import { sourceInsertRow, stateParams, toSourceRow } from '../sqlite/sources.js';
import type { SourceRow, SourceStore } from '../store.js';
import type { PgConnection } from './connection.js';

/** Sources in PostgreSQL. */
/** Sources a worker may lease: not retired, due at `now`, no lease lapsing after `wallNow` (the parameters' places). */
function claimable(now: string, wallNow: string): string {
  return `NOT retired AND (next_fetch_at IS NULL OR next_fetch_at <= ${now}) AND (lease_until IS NULL OR lease_until <= ${wallNow})`;
}

export class PgSources implements SourceStore {
  constructor(private readonly c: PgConnection) {}

  async upsertSources(entries: readonly { spec: SourceSpec; origin: 'config' | 'opml' }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.c.query(
      `INSERT INTO sources (id, kind, location, title, origin, url)
       SELECT id, kind, location, title, origin, url FROM jsonb_to_recordset($1::jsonb) AS x(id text, kind text, location text, title text, origin text, url text)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = coalesce(excluded.title, sources.title),
         url = CASE WHEN sources.location = excluded.location THEN sources.url ELSE excluded.url END,
         location = excluded.location`,
      [JSON.stringify(entries.map((e) => sourceInsertRow(e.spec, e.origin)))],
    );
  }

  async listSources(origin?: 'config' | 'opml'): Promise<SourceRow[]> {
    const rows = origin
      ? await this.c.query<Parameters<typeof toSourceRow>[0]>('SELECT * FROM sources WHERE origin = $1 ORDER BY id', [origin])
      : await this.c.query<Parameters<typeof toSourceRow>[0]>('SELECT * FROM sources ORDER BY id');
    return rows.map(toSourceRow);
  }

  async getSource(id: string): Promise<SourceRow | undefined> {
    const [row] = await this.c.query<Parameters<typeof toSourceRow>[0]>('SELECT * FROM sources WHERE id = $1', [id]);
    return row ? toSourceRow(row) : undefined;
  }

  async saveSourceState(state: SourceState): Promise<void> {
    const p = stateParams(state);
    await this.c.query(
      `UPDATE sources SET url = $2, etag = $3, last_modified = $4, error_count = $5, last_error = $6, last_status = $7,
         next_fetch_at = $8, last_success_at = $9, retired = $10, last_error_kind = $11 WHERE id = $1`,
      [p.sourceId, p.url, p.etag, p.lastModified, p.errorCount, p.lastError, p.lastStatus, p.nextFetchAt, p.lastSuccessAt, p.retired === 1, p.lastErrorKind],
    );
  }

  async saveFeedInfo(id: string, title: string | undefined, link: string | undefined): Promise<void> {
    await this.c.query('UPDATE sources SET feed_title = coalesce($2, feed_title), feed_link = coalesce($3, feed_link) WHERE id = $1', [id, title ?? null, link ?? null]);
  }

  async noteSourceDates(dates: readonly (readonly [string, string])[]): Promise<void> {
    if (dates.length === 0) return;
    await this.c.query(
      `WITH d AS (SELECT DISTINCT ON (id) id, at FROM unnest($1::text[], $2::timestamptz[]) AS x(id, at) ORDER BY id, at DESC)
       UPDATE sources SET newest_item_at = d.at FROM d
       WHERE sources.id = d.id AND (sources.newest_item_at IS NULL OR sources.newest_item_at < d.at)`,
      [dates.map((d) => d[0]), dates.map((d) => d[1])],
    );
  }

  async claimDueSources(owner: string, now: string, wallNow: string, leaseUntil: string, limit: number): Promise<SourceRow[]> {
    const rows = await this.c.query<Parameters<typeof toSourceRow>[0]>(
      `WITH due AS (
         SELECT id FROM sources WHERE ${claimable('$2', '$3')}
         ORDER BY next_fetch_at NULLS FIRST, id LIMIT $5 FOR UPDATE SKIP LOCKED
       )
       UPDATE sources SET lease_owner = $1, lease_until = $4 FROM due WHERE sources.id = due.id RETURNING sources.*`,
      [owner, now, wallNow, leaseUntil, limit],
    );
    return rows.map(toSourceRow).sort((a, b) => (a.spec.id < b.spec.id ? -1 : a.spec.id > b.spec.id ? 1 : 0));
  }

  async countClaimable(now: string, wallNow: string): Promise<number> {
    const rows = await this.c.query<{ n: string }>(
      `SELECT count(*) AS n FROM sources WHERE ${claimable('$1', '$2')}`,
      [now, wallNow],
    );
    return Number(rows[0]?.n ?? 0);
  }


  async sourcesUpdated(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.c.query<{ id: string; newest_item_at: string }>('SELECT id, newest_item_at FROM sources WHERE newest_item_at IS NOT NULL AND id = ANY($1)', [ids]);
    return new Map(rows.map((r) => [r.id, r.newest_item_at]));
  }
}

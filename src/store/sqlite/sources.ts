import { errorKey } from '../../model/errors.js';
import type { SourceSpec, SourceState } from '../../model/source.js';
import type { SourceRow, SourceStore } from '../store.js';
import { jsonList, type SqliteConnection } from './connection.js';

interface SourceDbRow {
  id: string;
  kind: SourceSpec['kind'];
  location: string;
  title: string | null;
  origin: 'config' | 'opml';
  url: string | null;
  etag: string | null;
  last_modified: string | null;
  error_count: number;
  last_error: string | null;
  last_error_kind: string | null;
  last_status: number | null;
  next_fetch_at: string | null;
  last_success_at: string | null;
  retired: number | boolean;
  feed_title: string | null;
  feed_link: string | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** Maps a `sources` row (either backend) to its source row. */
export function toSourceRow(r: SourceDbRow): SourceRow {
  return {
    spec: { id: r.id, kind: r.kind, location: r.location, rank: 0, ...(r.title ? { title: r.title } : {}) },
    origin: r.origin,
    state: {
      sourceId: r.id,
      url: r.url ?? r.location,
      etag: opt(r.etag),
      lastModified: opt(r.last_modified),
      errorCount: r.error_count,
      lastError: opt(r.last_error),
      lastErrorKind: r.last_error_kind === null ? undefined : errorKey(r.last_error_kind),
      lastStatus: opt(r.last_status),
      nextFetchAt: opt(r.next_fetch_at),
      lastSuccessAt: opt(r.last_success_at),
      retired: r.retired === 1 || r.retired === true,
    },
    feedTitle: opt(r.feed_title),
    feedLink: opt(r.feed_link),
  };
}

/** The parameters of a source's fetch state, by column. */
export function stateParams(state: SourceState): Record<string, string | number | null> {
  return {
    sourceId: state.sourceId,
    url: state.url,
    etag: state.etag ?? null,
    lastModified: state.lastModified ?? null,
    errorCount: state.errorCount,
    lastError: state.lastError ?? null,
    lastErrorKind: state.lastErrorKind ?? null,
    lastStatus: state.lastStatus ?? null,
    nextFetchAt: state.nextFetchAt ?? null,
    lastSuccessAt: state.lastSuccessAt ?? null,
    retired: state.retired ? 1 : 0,
  };
}

/** The row an upsert writes for a configured or imported source. */
export const sourceInsertRow = (spec: SourceSpec, origin: 'config' | 'opml'): Record<string, string | null> => ({
  id: spec.id,
  kind: spec.kind,
  location: spec.location,
  title: spec.title ?? null,
  origin,
  url: spec.kind === 'feed-url' ? spec.location : null,
});

/** Sources in SQLite. */
/** Sources a worker may lease: not retired, due at the first parameter (now), no lease lapsing after the second (wall clock). */
const CLAIMABLE = `retired = 0 AND (next_fetch_at IS NULL OR julianday(next_fetch_at) <= julianday(?))
           AND (lease_until IS NULL OR julianday(lease_until) <= julianday(?))`;

export class SqliteSources implements SourceStore {
  constructor(private readonly c: SqliteConnection) {}

  async upsertSources(entries: readonly { spec: SourceSpec; origin: 'config' | 'opml' }[]): Promise<void> {
    if (entries.length === 0) return;
    this.c.run(
      `INSERT INTO sources (id, kind, location, title, origin, url)
       SELECT value->>'id', value->>'kind', value->>'location', value->>'title', value->>'origin', value->>'url' FROM json_each(?) WHERE true
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, title = coalesce(excluded.title, sources.title),
         url = CASE WHEN sources.location = excluded.location THEN sources.url ELSE excluded.url END,
         location = excluded.location`,
      jsonList(entries.map((e) => sourceInsertRow(e.spec, e.origin))),
    );
  }

  async listSources(origin?: 'config' | 'opml'): Promise<SourceRow[]> {
    const rows = origin ? this.c.all<SourceDbRow>('SELECT * FROM sources WHERE origin = ? ORDER BY id', origin) : this.c.all<SourceDbRow>('SELECT * FROM sources ORDER BY id');
    return rows.map(toSourceRow);
  }

  async getSource(id: string): Promise<SourceRow | undefined> {
    const row = this.c.get<SourceDbRow>('SELECT * FROM sources WHERE id = ?', id);
    return row ? toSourceRow(row) : undefined;
  }

  async saveSourceState(state: SourceState): Promise<void> {
    this.c.run(
      `UPDATE sources SET url = @url, etag = @etag, last_modified = @lastModified, error_count = @errorCount,
         last_error = @lastError, last_error_kind = @lastErrorKind, last_status = @lastStatus, next_fetch_at = @nextFetchAt,
         last_success_at = @lastSuccessAt, retired = @retired WHERE id = @sourceId`,
      stateParams(state),
    );
  }

  async saveFeedInfo(id: string, title: string | undefined, link: string | undefined): Promise<void> {
    this.c.run('UPDATE sources SET feed_title = coalesce(?, feed_title), feed_link = coalesce(?, feed_link) WHERE id = ?', title ?? null, link ?? null, id);
  }

  async noteSourceDates(dates: readonly (readonly [string, string])[]): Promise<void> {
    if (dates.length === 0) return;
    // The newest of each source's dates first, then kept only when newer than the stored one.
    this.c.run(
      `WITH d AS (SELECT value->>0 AS id, value->>1 AS at FROM json_each(?)),
            newest AS (SELECT id, (SELECT at FROM d d2 WHERE d2.id = d.id ORDER BY julianday(at) DESC LIMIT 1) AS at FROM d GROUP BY id)
       UPDATE sources SET newest_item_at = newest.at FROM newest
       WHERE sources.id = newest.id AND (sources.newest_item_at IS NULL OR julianday(sources.newest_item_at) < julianday(newest.at))`,
      jsonList(dates),
    );
  }

  async claimDueSources(owner: string, now: string, wallNow: string, leaseUntil: string, limit: number): Promise<SourceRow[]> {
    // One writer at a time holds SQLite: the claim is atomic without row locks.
    const rows = this.c.all<Parameters<typeof toSourceRow>[0]>(
      `UPDATE sources SET lease_owner = ?, lease_until = ? WHERE id IN (
         SELECT id FROM sources WHERE ${CLAIMABLE}
         ORDER BY next_fetch_at IS NOT NULL, julianday(next_fetch_at), id LIMIT ?)
       RETURNING *`,
      owner,
      leaseUntil,
      now,
      wallNow,
      limit,
    );
    return rows.map(toSourceRow).sort((a, b) => (a.spec.id < b.spec.id ? -1 : a.spec.id > b.spec.id ? 1 : 0));
  }

  async countClaimable(now: string, wallNow: string): Promise<number> {
    const row = this.c.get<{ n: number }>(
      `SELECT count(*) AS n FROM sources WHERE ${CLAIMABLE}`,
      now,
      wallNow,
    );
    return row?.n ?? 0;
  }


  async sourcesUpdated(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = this.c.all<{ id: string; newest_item_at: string }>('SELECT id, newest_item_at FROM sources WHERE newest_item_at IS NOT NULL AND id IN (SELECT value FROM json_each(?))', jsonList(ids));
    return new Map(rows.map((r) => [r.id, r.newest_item_at]));
  }
}

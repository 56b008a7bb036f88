import type { Correction, StoredOverride } from '../../model/override.js';
import { payloadOf, toStoredOverride, type OverrideDbRow } from '../sqlite/overrides.js';
import type { OverrideStore } from '../store.js';
import type { PgConnection } from './connection.js';

const COLUMNS = 'id, action, payload, created_by, created_at, undone_at, undone_by';

/** Corrections made through the API, in PostgreSQL. */
export class PgOverrides implements OverrideStore {
  constructor(private readonly c: PgConnection) {}

  async addOverride(correction: Correction, by: string, at: string): Promise<number> {
    const [row] = await this.c.query<{ id: number }>('INSERT INTO overrides (action, payload, created_by, created_at) VALUES ($1, $2::jsonb, $3, $4) RETURNING id', [
      correction.action,
      payloadOf(correction),
      by,
      at,
    ]);
    return row?.id as number;
  }

  async undoOverride(id: number, by: string, at: string): Promise<StoredOverride | undefined> {
    await this.c.execute('UPDATE overrides SET undone_at = $2, undone_by = $3 WHERE id = $1 AND undone_at IS NULL', [id, at, by]);
    const [row] = await this.c.query<OverrideDbRow & { payload: object }>(`SELECT ${COLUMNS} FROM overrides WHERE id = $1`, [id]);
    return row ? toStoredOverride(row, row.payload) : undefined;
  }

  async listOverrides(limit: number): Promise<StoredOverride[]> {
    const rows = await this.c.query<OverrideDbRow & { payload: object }>(`SELECT ${COLUMNS} FROM overrides ORDER BY id DESC LIMIT $1`, [limit]);
    return rows.map((r) => toStoredOverride(r, r.payload));
  }

  async activeOverrides(): Promise<StoredOverride[]> {
    const rows = await this.c.query<OverrideDbRow & { payload: object }>(`SELECT ${COLUMNS} FROM overrides WHERE undone_at IS NULL ORDER BY id`);
    return rows.map((r) => toStoredOverride(r, r.payload));
  }
}

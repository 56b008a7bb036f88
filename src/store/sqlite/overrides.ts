import type { Correction, StoredOverride } from '../../model/override.js';
import type { OverrideStore } from '../store.js';
import type { SqliteConnection } from './connection.js';

/** An `overrides` row as both backends return it (the payload parsed by the caller). */
export interface OverrideDbRow {
  id: number;
  action: Correction['action'];
  created_by: string;
  created_at: string;
  undone_at: string | null;
  undone_by: string | null;
}

/** Maps an `overrides` row and its parsed payload (the correction without its action) to a stored override. */
export function toStoredOverride(r: OverrideDbRow, payload: object): StoredOverride {
  return {
    id: r.id,
    correction: { ...payload, action: r.action } as Correction,
    createdBy: r.created_by,
    createdAt: r.created_at,
    ...(r.undone_at !== null ? { undoneAt: r.undone_at } : {}),
    ...(r.undone_by !== null ? { undoneBy: r.undone_by } : {}),
  };
}

/** The payload column of a correction: everything but its action. */
export function payloadOf(correction: Correction): string {
  const { action: _action, ...payload } = correction;
  return JSON.stringify(payload);
}

/** Corrections made through the API, in SQLite. */
export class SqliteOverrides implements OverrideStore {
  constructor(private readonly c: SqliteConnection) {}

  private parse(r: OverrideDbRow & { payload: string }): StoredOverride {
    return toStoredOverride(r, this.c.json<object>(r.payload, 'overrides', `id ${r.id}`, 'payload'));
  }

  async addOverride(correction: Correction, by: string, at: string): Promise<number> {
    return Number(this.c.run('INSERT INTO overrides (action, payload, created_by, created_at) VALUES (?, ?, ?, ?)', correction.action, payloadOf(correction), by, at).lastInsertRowid);
  }

  async undoOverride(id: number, by: string, at: string): Promise<StoredOverride | undefined> {
    this.c.run('UPDATE overrides SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL', at, by, id);
    const row = this.c.get<OverrideDbRow & { payload: string }>('SELECT * FROM overrides WHERE id = ?', id);
    return row ? this.parse(row) : undefined;
  }

  async listOverrides(limit: number): Promise<StoredOverride[]> {
    return this.c.all<OverrideDbRow & { payload: string }>('SELECT * FROM overrides ORDER BY id DESC LIMIT ?', limit).map((r) => this.parse(r));
  }

  async activeOverrides(): Promise<StoredOverride[]> {
    return this.c.all<OverrideDbRow & { payload: string }>('SELECT * FROM overrides WHERE undone_at IS NULL ORDER BY id').map((r) => this.parse(r));
  }
}

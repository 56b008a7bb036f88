import type { LockHolder } from '../../model/run.js';
import type { Leadership, LockStore } from '../store.js';
import type { SqliteConnection } from './connection.js';

/** A `locks` row as both backends return it. */
export interface LockDbRow {
  pid: number;
  host: string;
  acquired_at: string;
  expires_at: string | null;
}

export const toHolder = (r: LockDbRow): LockHolder => ({ pid: r.pid, host: r.host, acquiredAt: r.acquired_at, ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}) });

/** Named locks in SQLite: a row per lock, changed inside immediate transactions. */
export class SqliteLocks implements LockStore {
  constructor(private readonly c: SqliteConnection) {}

  private holder(name: string): LockHolder | undefined {
    const row = this.c.get<LockDbRow>('SELECT pid, host, acquired_at, expires_at FROM locks WHERE name = ?', name);
    return row ? toHolder(row) : undefined;
  }

  async lockHolder(name: string): Promise<LockHolder | undefined> {
    return this.holder(name);
  }

  async tryLeadership(): Promise<Leadership> {
    // Never lost: the run lock, taken by every run, is what keeps two runs on one file apart.
    return { lost: new Promise<void>(() => undefined), isLost: () => false, release: async () => undefined };
  }

  async acquireLock(name: string, claim: LockHolder, mayTake: (holder: LockHolder) => boolean): Promise<{ ok: true; replaced?: LockHolder } | { ok: false; holder: LockHolder }> {
    return this.c.transaction(() => {
      const current = this.holder(name);
      if (current && !mayTake(current)) return { ok: false as const, holder: current };
      this.c.run(
        `INSERT INTO locks (name, pid, host, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET
           pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
        name,
        claim.pid,
        claim.host,
        claim.acquiredAt,
        claim.expiresAt ?? null,
      );
      return current ? { ok: true as const, replaced: current } : { ok: true as const };
    });
  }

  async renewLock(name: string, pid: number, host: string, expiresAt: string): Promise<boolean> {
    return this.c.run('UPDATE locks SET expires_at = ? WHERE name = ? AND pid = ? AND host = ?', expiresAt, name, pid, host).changes === 1;
  }

  async releaseLock(name: string, pid: number, host: string): Promise<void> {
    this.c.run('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ?', name, pid, host);
  }

  async clearLock(name: string): Promise<LockHolder | undefined> {
    return this.c.transaction(() => {
      const holder = this.holder(name);
      if (holder) this.c.run('DELETE FROM locks WHERE name = ?', name);
      return holder;
    });
  }
}

import type { LockHolder } from '../../model/run.js';
import { toHolder, type LockDbRow } from '../sqlite/locks.js';
import type { LockStore } from '../store.js';
import type { PgConnection } from './connection.js';

/** Named locks in PostgreSQL: a row per lock, the row locked while it is decided who holds it. */
export class PgLocks implements LockStore {
  constructor(private readonly c: PgConnection) {}

  async lockHolder(name: string): Promise<LockHolder | undefined> {
    const [row] = await this.c.query<LockDbRow>('SELECT pid, host, acquired_at, expires_at FROM locks WHERE name = $1', [name]);
    return row ? toHolder(row) : undefined;
  }

  async acquireLock(name: string, claim: LockHolder, mayTake: (holder: LockHolder) => boolean): Promise<{ ok: true; replaced?: LockHolder } | { ok: false; holder: LockHolder }> {
    const values = [name, claim.pid, claim.host, claim.acquiredAt, claim.expiresAt ?? null];
    return this.c.transaction(async () => {
      const inserted = await this.c.execute(
        'INSERT INTO locks (name, pid, host, acquired_at, expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING',
        values,
      );
      if (inserted === 1) return { ok: true as const };
      const [row] = await this.c.query<LockDbRow>('SELECT pid, host, acquired_at, expires_at FROM locks WHERE name = $1 FOR UPDATE', [name]);
      const current = toHolder(row as LockDbRow);
      if (!mayTake(current)) return { ok: false as const, holder: current };
      await this.c.query('UPDATE locks SET pid = $2, host = $3, acquired_at = $4, expires_at = $5 WHERE name = $1', values);
      return { ok: true as const, replaced: current };
    });
  }

  async renewLock(name: string, pid: number, host: string, expiresAt: string): Promise<boolean> {
    return (await this.c.execute('UPDATE locks SET expires_at = $4 WHERE name = $1 AND pid = $2 AND host = $3', [name, pid, host, expiresAt])) === 1;
  }

  async releaseLock(name: string, pid: number, host: string): Promise<void> {
    await this.c.query('DELETE FROM locks WHERE name = $1 AND pid = $2 AND host = $3', [name, pid, host]);
  }

  async clearLock(name: string): Promise<LockHolder | undefined> {
    const [row] = await this.c.query<LockDbRow>('DELETE FROM locks WHERE name = $1 RETURNING pid, host, acquired_at, expires_at', [name]);
    return row ? toHolder(row) : undefined;
  }
}

import type { LockHolder } from '../../model/run.js';
import { toHolder, type LockDbRow } from '../sqlite/locks.js';
import type { Leadership, LockStore } from '../store.js';
import type { PgConnection } from './connection.js';

/** First key of the leaders' advisory locks (the second is the hash of the lock's name): "lead". */
const LEADER_LOCK_CLASS = 0x6c656164;

/**
 * Named locks in PostgreSQL: a row per lock, the row locked while it is decided who holds it; leaderships are
 * session-level advisory locks on a connection of their own.
 */
export class PgLocks implements LockStore {
  constructor(private readonly c: PgConnection) {}

  async tryLeadership(name: string): Promise<Leadership | undefined> {
    const client = await this.c.pool.connect();
    let lost = false;
    let onLost: () => void = () => undefined;
    const lostPromise = new Promise<void>((resolve) => {
      onLost = () => {
        lost = true;
        resolve();
      };
    });
    // A checked-out connection that fails (the server ended its session) emits 'error': without a listener it would crash the process.
    client.on('error', onLost);
    client.on('end', onLost);
    const off = (): void => {
      client.off('error', onLost);
      client.off('end', onLost);
    };
    try {
      this.c.statements++;
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEADER_LOCK_CLASS, name]);
      if (rows[0]?.ok !== true) {
        off();
        client.release();
        return undefined;
      }
    } catch (err) {
      off();
      client.release(err as Error);
      throw err;
    }
    this.c.pin(client);
    let released = false;
    return {
      lost: lostPromise,
      isLost: () => lost,
      release: async () => {
        if (released) return;
        released = true;
        await this.c.unpin();
        off();
        if (lost) {
          client.release(new Error('leadership connection lost'));
          return;
        }
        try {
          this.c.statements++;
          await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEADER_LOCK_CLASS, name]);
          client.release();
        } catch (err) {
          client.release(err as Error);
        }
      },
    };
  }

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

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createTestDatabase, postgresMissing, type TestDatabase } from '../helpers/postgres.js';

/**
 * A feed's leadership on PostgreSQL is a session-level advisory lock on the connection that
 * commits the leader's units of work: one holder at a time, free again when it is released or its
 * connection ends, and a holder whose connection ended is told so and can commit nothing more.
 */

const pgMissing = await postgresMissing();
if (pgMissing) console.warn(`leadership on PostgreSQL: skipped: ${pgMissing}`);

describe.skipIf(pgMissing !== undefined)(`leadership on PostgreSQL${pgMissing ? ` (skipped: ${pgMissing})` : ''}`, () => {
  let db: TestDatabase;
  const stores: PostgresStore[] = [];
  const open = async (): Promise<PostgresStore> => {
    const store = await PostgresStore.open(db.url);
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    await db?.drop();
  });

  it('has one holder at a time, per name, and passes to another once released', async () => {
    const [a, b] = [await open(), await open()];
    const held = await a.locks.tryLeadership('cluster:feed-1');
    expect(held).toBeDefined();
    expect(await b.locks.tryLeadership('cluster:feed-1')).toBeUndefined();
    // Another feed has a leader of its own.
    const other = await b.locks.tryLeadership('cluster:feed-2');
    expect(other).toBeDefined();
    await held?.release();
    const next = await b.locks.tryLeadership('cluster:feed-1');
    expect(next).toBeDefined();
    await next?.release();
    await other?.release();
  });

  it("commits the holder's units of work on the lock's connection, and is lost with it: nothing commits after", async () => {
    const [a, b] = [await open(), await open()];
    const held = await a.locks.tryLeadership('cluster:feed-3');
    expect(held).toBeDefined();
    // The unit runs on the session that holds the lock.
    const [{ holds }] = await a.unitOfWork(() =>
      (a as unknown as { c: { query<T>(sql: string): Promise<T[]> } }).c.query<{ holds: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted) AS holds",
      ),
    ) as [{ holds: boolean }];
    expect(holds).toBe(true);

    // The server ends the holder's session (a network failure, an operator's pg_terminate_backend).
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted");
      expect(rows).toHaveLength(1);
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    } finally {
      await admin.end();
    }
    await held?.lost;
    expect(held?.isLost()).toBe(true);
    await expect(a.unitOfWork(() => a.runs.startRun('2025-03-05T18:00:00.000Z'))).rejects.toThrow();
    // The lock went with the session: a standby takes it.
    const taken = await b.locks.tryLeadership('cluster:feed-3');
    expect(taken).toBeDefined();
    await held?.release();
    await taken?.release();
    // Released, the lost holder's store commits through its pool again.
    expect(await a.unitOfWork(() => a.runs.startRun('2025-03-05T18:00:00.000Z'))).toBeGreaterThan(0);
  });
});

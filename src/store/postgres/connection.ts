import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/** timestamptz (OID 1184) and bigint (OID 20) as feedfold uses them: ISO 8601 strings (UTC, milliseconds) and numbers. */
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ_OID);

/** Type parsers of feedfold's connections: dates come back exactly as they were written (toISOString form). */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMPTZ_OID) return (text: string) => (parseTimestamp(text) as Date).toISOString();
    if (oid === INT8_OID) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as typeof pg.types.getTypeParser,
};

/** Connections a store keeps open at most: concurrent per-source commits each hold one. */
const POOL_SIZE = 8;

/**
 * A pool of connections shared by the entity stores: a query inside a unit of work goes to that
 * unit's connection (its transaction), any other to a free one; every statement is counted.
 */
export class PgConnection {
  /** SQL statements sent (BEGIN and COMMIT included: each is a round trip). */
  statements = 0;
  readonly pool: pg.Pool;
  private readonly unit = new AsyncLocalStorage<pg.PoolClient>();
  /** The connection every unit of work goes to while one is pinned (the clustering leader's, which holds its lock). */
  private pinned: pg.PoolClient | undefined;
  /** Units on the pinned connection run one after another: one connection has one transaction at a time. */
  private pinnedQueue: Promise<unknown> = Promise.resolve();

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, types: TYPES });
    // An idle connection that fails (the server restarted) is dropped by the pool; without a listener it would crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Runs a statement and returns its rows. */
  async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.statements++;
    const result = await (this.unit.getStore() ?? this.pool).query(sql, params as unknown[]);
    return result.rows as T[];
  }

  /** Runs a statement and returns how many rows it changed. */
  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    this.statements++;
    const result = await (this.unit.getStore() ?? this.pool).query(sql, params as unknown[]);
    return result.rowCount ?? 0;
  }

  /**
   * Runs `fn` in one transaction on one connection; inside one already, joins it. `lazyCommit`: the commit does not wait
   * for the WAL flush (synchronous_commit off for this transaction only).
   */
  async transaction<T>(fn: () => Promise<T>, lazyCommit = false): Promise<T> {
    if (this.unit.getStore()) return fn();
    const pinned = this.pinned;
    if (pinned) {
      const turn = this.pinnedQueue.then(() => this.transactionOn(pinned, fn, lazyCommit, false));
      this.pinnedQueue = turn.catch(() => undefined);
      return turn;
    }
    return this.transactionOn(await this.pool.connect(), fn, lazyCommit, true);
  }

  /** Runs `fn` in one transaction on `client`; `release`: hand the connection back to the pool after. */
  private async transactionOn<T>(client: pg.PoolClient, fn: () => Promise<T>, lazyCommit: boolean, release: boolean): Promise<T> {
    try {
      this.statements++;
      await client.query('BEGIN');
      if (lazyCommit) {
        this.statements++;
        await client.query('SET LOCAL synchronous_commit = off');
      }
      const result = await this.unit.run(client, fn);
      this.statements++;
      await client.query('COMMIT');
      if (release) client.release();
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
        if (release) client.release();
      } catch (rollback) {
        // A connection that cannot even roll back is broken: the pool drops it.
        if (release) client.release(rollback as Error);
      }
      throw err;
    }
  }

  /**
   * Sends every later unit of work to `client` until unpinned: a session-level advisory lock taken on it then guards
   * the commits themselves, since a lost connection loses both the lock and any commit after it.
   */
  pin(client: pg.PoolClient): void {
    this.pinned = client;
  }

  /** Sends units of work to the pool again (after the units already queued on the pinned connection). */
  async unpin(): Promise<void> {
    this.pinned = undefined;
    await this.pinnedQueue;
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}


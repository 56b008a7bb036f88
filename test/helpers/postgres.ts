import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL the store tests use (`.ci/postgres-setup` makes it): FEEDFOLD_TEST_DATABASE_URL,
 * else the role and database `feedfold` on 127.0.0.1:5432. Each test file creates databases of
 * its own there and drops them after.
 */
export const TEST_ADMIN_URL = process.env.FEEDFOLD_TEST_DATABASE_URL ?? 'postgres://feedfold@127.0.0.1:5432/feedfold';

/** Returns why PostgreSQL cannot be used for tests, or undefined when it answers. */
export async function postgresMissing(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `no PostgreSQL answers at ${TEST_ADMIN_URL} (${(err as Error).message}); run .ci/postgres-setup to start it and create the role`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database made for one test: its URL, its name, and how to drop it. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database with a fresh name, or a copy of the database `template` (nothing may be connected to it);
 * drop() removes it (closing what is still connected).
 */
export async function createTestDatabase(template?: string): Promise<TestDatabase> {
  const name = `feedfold_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: TEST_ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(template === undefined ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

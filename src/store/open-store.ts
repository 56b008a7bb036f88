import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Where the state lives: a PostgreSQL URL (store.url, FEEDFOLD_DATABASE_URL), else the SQLite file under `out/`. */
export interface StoreTarget {
  storeFile: string;
  storeUrl?: string;
}

/**
 * The PostgreSQL store, loaded only when a config names one: the `pg` client and its modules cost a SQLite run about
 * 60 ms of start-up for nothing.
 */
async function postgresStore(): Promise<typeof import('./postgres/postgres-store.js').PostgresStore> {
  return (await import('./postgres/postgres-store.js')).PostgresStore;
}

/** Opens (creating and migrating when needed) the store a config names. */
export async function openStore(target: StoreTarget): Promise<Store> {
  return target.storeUrl !== undefined ? (await postgresStore()).open(target.storeUrl) : SqliteStore.open(target.storeFile);
}

/** Opens the store a config names for reading only; undefined when no run has created it yet. */
export async function openStoreReadOnly(target: StoreTarget): Promise<Store | undefined> {
  return target.storeUrl !== undefined ? (await postgresStore()).openReadOnly(target.storeUrl) : SqliteStore.openReadOnly(target.storeFile);
}

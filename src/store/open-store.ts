import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Where the state lives: a PostgreSQL URL (store.url, FEEDFOLD_DATABASE_URL), else the SQLite file under `out/`. */
export interface StoreTarget {
  storeFile: string;
  storeUrl?: string;
}

/** Opens (creating and migrating when needed) the store a config names. */
export async function openStore(target: StoreTarget): Promise<Store> {
  return target.storeUrl !== undefined ? PostgresStore.open(target.storeUrl) : SqliteStore.open(target.storeFile);
}

/** Opens the store a config names for reading only; undefined when no run has created it yet. */
export async function openStoreReadOnly(target: StoreTarget): Promise<Store | undefined> {
  return target.storeUrl !== undefined ? PostgresStore.openReadOnly(target.storeUrl) : SqliteStore.openReadOnly(target.storeFile);
}

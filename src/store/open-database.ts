import { closeSync, copyFileSync, existsSync, linkSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FeedfoldError } from '../model/errors.js';
import { MIGRATIONS } from './migrations.js';

/** The first 16 bytes of every SQLite 3 database file (https://sqlite.org/fileformat.html §1.3). */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What a store file turned out to be when it cannot be used. */
export type StoreFileProblem = 'empty' | 'not-sqlite' | 'not-feedfold' | 'newer';

/**
 * Refuses a file that cannot hold feedfold state: an empty one (a truncated copy, a full disk)
 * would otherwise be taken for a new store and every source's state and entry id started over.
 */
export function checkDatabaseFile(file: string): void {
  const size = statSync(file).size;
  if (size === 0) {
    throw new FeedfoldError(
      'store',
      'empty',
      `${file} is empty (0 bytes), so it holds no feedfold state; it may have been truncated (a full disk, an interrupted copy). Restore it from a backup, or delete it to start afresh (sources, stories and entry ids start over)`,
    );
  }
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw new FeedfoldError('store', 'not-sqlite', `${file} is not a SQLite database (${size} bytes that do not start with the SQLite header); move it away, or point --out at another folder`);
  }
}

/**
 * Refuses a database whose schema this feedfold does not know: one written by a newer release
 * (its data would be misread), or a SQLite file of some other program. Returns the schema version.
 */
export function checkSchemaVersion(db: Database.Database, file: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new FeedfoldError(
      'store',
      'newer',
      `${file} was created by a newer feedfold (schema version ${version}; this one knows up to ${MIGRATIONS.length}): upgrade feedfold, or point --out at another folder`,
    );
  }
  if (version === 0) {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    if (tables.length > 0) {
      throw new FeedfoldError(
        'store',
        'not-feedfold',
        `${file} is not a feedfold database (it has the tables ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''} and no feedfold schema version); move it away, or point --out at another folder`,
      );
    }
  }
  return version;
}

/**
 * Creates a new store file whole: built under a temporary name by `init`, closed (SQLite folds
 * its write-ahead log back in), then linked into place. A process killed while creating it leaves
 * no half-made store under the real name, so an empty file there always means lost data; and two
 * processes creating it at once both end up using the same file (a link never replaces one).
 */
export function createDatabaseFile(file: string, init: (db: Database.Database) => void): void {
  const temp = `${file}.new-${process.pid}`;
  const removeTemp = (): void => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(temp + suffix, { force: true });
  };
  removeTemp();
  try {
    const db = new Database(temp);
    try {
      init(db);
    } finally {
      db.close();
    }
    try {
      linkSync(temp, file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // EEXIST: another process created it first, and that one is used. A file system without hard
      // links gets a rename, which only loses to a creator racing within these few microseconds.
      if (code !== 'EEXIST') {
        if (existsSync(file)) return;
        renameSync(temp, file);
      }
    }
  } finally {
    removeTemp();
  }
}

/** SQLite errors of a read-only connection that cannot create the -shm file beside the database. */
function cannotShareMemory(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN'));
}

/** A read-only connection, and what to remove when it is closed. */
export interface ReadOnlyDatabase {
  db: Database.Database;
  /** Set when the connection reads a private copy (see openDatabaseReadOnly). */
  cleanup?: () => void;
}

/**
 * Opens an existing store for reading only; nothing is ever written beside it. A store in WAL
 * mode is read in place when its -wal and -shm files exist (a writer has it open: SQLite reads
 * them without writing) or the folder is writable. In a read-only folder without them, SQLite can
 * open it only as `immutable` (a URI parameter better-sqlite3 does not enable), so a private copy
 * of the file (and of a -wal beside it) in the temporary folder is read instead.
 */
export function openDatabaseReadOnly(file: string): ReadOnlyDatabase {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // The first read opens the write-ahead log: this is where a read-only folder shows.
    db.pragma('user_version', { simple: true });
    return { db };
  } catch (err) {
    db.close();
    if (!cannotShareMemory(err)) throw err;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-read-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const copy = path.join(dir, path.basename(file));
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    // Opened writable so SQLite can replay the copied log, then locked against writes.
    const copyDb = new Database(copy, { fileMustExist: true });
    copyDb.pragma('query_only = ON');
    return { db: copyDb, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

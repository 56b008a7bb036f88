import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

/** One served file as it is on disk now, with its validators and a gzip copy. */
export interface ServedFile {
  body: Buffer;
  gzipped: Buffer;
  /** Strong ETag of the identity representation. */
  etag: string;
  /** Strong ETag of the gzip representation (a different representation needs a different tag). */
  etagGzip: string;
  /**
   * Last modification time in whole seconds since the epoch (as milliseconds): the resolution of
   * Last-Modified (RFC 9110 §5.6.7), so the header, If-Modified-Since and /healthz all speak of the
   * same instant. The sub-second part of mtimeMs is dropped here once, by truncation, because
   * `new Date(ms)` truncates while `Stats.mtime` rounds and the two disagree for half of all files.
   */
  modifiedMs: number;
}

interface CacheEntry {
  key: string;
  file: ServedFile;
}

/** Errors of open(2) that mean "no such file here" for a name the server was asked for. */
const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

/**
 * Reads files for the server, re-reading only when the file's identity, size or mtime changed, so
 * a feed replaced by an atomic rename is served on the very next request. Requests for one file
 * that arrive while it is being checked share that check: a flood of requests costs one open and
 * one fstat at a time per file, not one each, so it cannot starve the thread pool.
 */
export class FileCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<ServedFile | undefined>>();

  /** Returns the file's current bytes and validators, or undefined when it does not exist. */
  get(file: string): Promise<ServedFile | undefined> {
    const pending = this.inFlight.get(file);
    if (pending !== undefined) return pending;
    const check = this.read(file).finally(() => this.inFlight.delete(file));
    this.inFlight.set(file, check);
    return check;
  }

  private async read(file: string): Promise<ServedFile | undefined> {
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      if (NOT_FOUND_CODES.has((err as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw err;
    }
    try {
      // fstat on the opened handle: the stat and the bytes come from the same inode even if a
      // new run renames a fresh file over the path meanwhile.
      const stat = await handle.stat();
      if (!stat.isFile()) return undefined;
      const key = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      const cached = this.entries.get(file);
      if (cached?.key === key) return cached.file;
      const body = await handle.readFile();
      const hash = createHash('sha256').update(body).digest('base64url').slice(0, 32);
      const served: ServedFile = { body, gzipped: await gzip(body), etag: `"${hash}"`, etagGzip: `"${hash}-gz"`, modifiedMs: Math.floor(stat.mtimeMs / 1000) * 1000 };
      this.entries.set(file, { key, file: served });
      return served;
    } finally {
      await handle.close();
    }
  }
}

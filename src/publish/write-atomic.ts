import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { FeedfoldError } from '../model/errors.js';

function tempPathFor(target: string): string {
  // Same directory as the target: rename(2) is only atomic within one file system.
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

async function sameBytes(target: string, bytes: Buffer): Promise<boolean> {
  try {
    return (await readFile(target)).equals(bytes);
  } catch (err) {
    if (isMissing(err)) return false;
    throw new FeedfoldError('publish', 'write-failed', `cannot read ${target}: ${(err as Error).message}`, { cause: err });
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms refuse fsync on a directory, which is harmless.
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to `target` atomically (temp file in the same directory, fsync, rename, fsync
 * the directory), so readers see the old file or the new one, never half; returns false and
 * writes nothing when the file already holds exactly these bytes.
 */
export async function writeFileAtomic(target: string, data: string | Buffer): Promise<boolean> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (await sameBytes(target, bytes)) return false;
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new FeedfoldError('publish', 'write-failed', `cannot write ${target}: ${(err as Error).message}`, { cause: err });
  }
  await fsyncDirectory(path.dirname(target));
  return true;
}

/** Writes `data` to `target` atomically, synchronously; returns false when the bytes are unchanged. */
export function writeFileAtomicSync(target: string, data: string | Buffer): boolean {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    if (readFileSync(target).equals(bytes)) return false;
  } catch (err) {
    if (!isMissing(err)) throw new FeedfoldError('publish', 'write-failed', `cannot read ${target}: ${(err as Error).message}`, { cause: err });
  }
  const temp = tempPathFor(target);
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file may not exist
    }
    throw new FeedfoldError('publish', 'write-failed', `cannot write ${target}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const dirFd = openSync(path.dirname(target), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // best effort, as in writeFileAtomic
  }
  return true;
}

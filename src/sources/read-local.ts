import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { FeedfoldError } from '../model/errors.js';

/** Article files read from a directory source: plain text or HTML. */
export const ARTICLE_FILE_EXTENSIONS = ['.txt', '.text', '.md', '.html', '.htm'] as const;
/** Largest local file read, like the HTTP body cap. */
export const MAX_LOCAL_FILE_BYTES = 10 * 1024 * 1024;

/** Reads a local feed file; a missing, unreadable or oversized file is a sources error. */
export async function readFeedFile(file: string, maxBytes = MAX_LOCAL_FILE_BYTES): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    throw new FeedfoldError('sources', 'file-not-found', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (size > maxBytes) throw new FeedfoldError('sources', 'too-large', `${file} is ${size} bytes, over the ${maxBytes}-byte cap`);
  return readFile(file);
}

/** Reads the article files of a directory, sorted by name so runs are deterministic. */
export async function readArticleFiles(dir: string, maxBytes = MAX_LOCAL_FILE_BYTES): Promise<{ name: string; path: string; text: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new FeedfoldError('sources', 'dir-not-found', `cannot read directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const files = names
    .filter((n) => !n.startsWith('.') && (ARTICLE_FILE_EXTENSIONS as readonly string[]).includes(path.extname(n).toLowerCase()))
    .sort();
  const out: { name: string; path: string; text: string }[] = [];
  for (const name of files) {
    const full = path.join(dir, name);
    const info = await stat(full);
    if (!info.isFile() || info.size > maxBytes) continue;
    out.push({ name, path: full, text: await readFile(full, 'utf8') });
  }
  return out;
}

import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../src/publish/write-atomic.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'feedfold-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const OLD_TIME = new Date('2020-01-01T00:00:00Z');

for (const [name, write] of [
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', async (target: string, data: string | Buffer) => writeFileAtomicSync(target, data)],
] as const) {
  describe(name, () => {
    it('creates the file and leaves no temp file behind', async () => {
      const target = path.join(dir, 'feed.atom');
      expect(await write(target, '<feed/>\n')).toBe(true);
      expect(await readFile(target, 'utf8')).toBe('<feed/>\n');
      expect(await readdir(dir)).toEqual(['feed.atom']);
    });

    it('returns false and leaves the file (and its mtime) alone when the bytes are identical', async () => {
      const target = path.join(dir, 'feed.atom');
      await writeFile(target, 'same bytes');
      await utimes(target, OLD_TIME, OLD_TIME);
      const before = await stat(target);
      expect(await write(target, Buffer.from('same bytes'))).toBe(false);
      const after = await stat(target);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      expect(after.ino).toBe(before.ino);
    });

    it('replaces changed content by rename: a new inode, the old one untouched for readers holding it', async () => {
      const target = path.join(dir, 'feed.atom');
      await writeFile(target, 'old');
      const before = await stat(target);
      expect(await write(target, 'new content')).toBe(true);
      const after = await stat(target);
      expect(await readFile(target, 'utf8')).toBe('new content');
      expect(after.ino).not.toBe(before.ino);
      expect(await readdir(dir)).toEqual(['feed.atom']);
    });

    it('fails with a publish error and leaves nothing when the directory does not exist', async () => {
      const target = path.join(dir, 'missing', 'feed.atom');
      await expect(write(target, 'x')).rejects.toThrow(/^publish: cannot write/);
      expect(await readdir(dir)).toEqual([]);
    });
  });
}

describe('writeFileAtomic under concurrent readers', () => {
  it('never lets a reader see a partial file', async () => {
    const target = path.join(dir, 'feed.atom');
    const versions = Array.from({ length: 8 }, (_, i) => `${String(i).repeat(200_000)}\n`);
    await writeFileAtomic(target, versions[0] ?? '');
    let reading = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (reading) seen.add(await readFile(target, 'utf8'));
    })();
    for (const version of versions.slice(1)) await writeFileAtomic(target, version);
    reading = false;
    await reader;
    for (const content of seen) expect(versions).toContain(content);
    expect(await readFile(target, 'utf8')).toBe(versions.at(-1));
  });
});

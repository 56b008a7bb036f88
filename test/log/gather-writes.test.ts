import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatherWrites, SafeDestination } from '../../src/log/safe-destination.js';

/** One NDJSON record carrying its number, `pad` characters long in its message. */
function record(n: number, pad = 70): string {
  return `${JSON.stringify({ level: 30, n, msg: 'x'.repeat(pad) })}\n`;
}

/** Every file of a folder with its content, by name. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]),
  );
}

describe('records gathered while a batch is assigned (gatherWrites)', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-gather-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are written when the outermost call ends, in order, and not before', () => {
    const file = path.join(dir, 'feedfold.log');
    const dest = new SafeDestination(file);
    dest.write(record(0));
    const before = statSync(file).size;
    const result = gatherWrites(() => {
      for (let n = 1; n <= 50; n += 1) dest.write(record(n));
      gatherWrites(() => dest.write(record(51)));
      // The nested call ended: still nothing written.
      expect(statSync(file).size).toBe(before);
      return 'done';
    });
    expect(result).toBe('done');
    dest.write(record(52));
    dest.close();
    expect(readFileSync(file, 'utf8')).toBe(Array.from({ length: 53 }, (_, n) => record(n)).join(''));
  });

  it('are written when the function throws, and the error goes on', () => {
    const file = path.join(dir, 'feedfold.log');
    const dest = new SafeDestination(file);
    expect(() =>
      gatherWrites(() => {
        dest.write(record(1));
        throw new Error('assign failed');
      }),
    ).toThrow('assign failed');
    dest.close();
    expect(readFileSync(file, 'utf8')).toBe(record(1));
  });

  it('are written a megabyte at a time when there are more', () => {
    const file = path.join(dir, 'feedfold.log');
    const dest = new SafeDestination(file);
    let sizeInside = -1;
    gatherWrites(() => {
      for (let n = 0; n < 12_000; n += 1) dest.write(record(n));
      sizeInside = statSync(file).size;
    });
    dest.close();
    const all = Array.from({ length: 12_000 }, (_, n) => record(n)).join('');
    expect(sizeInside).toBeGreaterThanOrEqual(1 << 20);
    expect(sizeInside).toBeLessThan(all.length);
    expect(readFileSync(file, 'utf8')).toBe(all);
  });

  it('rotate a file exactly where records written one at a time do', () => {
    // Records of mixed lengths, one longer than maxBytes (a file of its own), into a file that already holds some.
    const batch = Array.from({ length: 400 }, (_, n) => record(n, n === 123 ? 1500 : (n * 37) % 160));
    const oneByOne = path.join(dir, 'one');
    const gathered = path.join(dir, 'gathered');
    for (const folder of [oneByOne, gathered]) {
      const dest = new SafeDestination(path.join(folder, 'feedfold.log'), undefined, { maxBytes: 1024, files: 40 });
      for (let n = 0; n < 5; n += 1) dest.write(record(1000 + n));
      if (folder === oneByOne) for (const r of batch) dest.write(r);
      else gatherWrites(() => batch.forEach((r) => dest.write(r)));
      dest.close();
    }
    const expected = contents(oneByOne);
    expect(Object.keys(expected).length).toBeGreaterThan(20);
    expect(contents(gathered)).toEqual(expected);
  });

  it('that cannot be written are dropped and counted one by one', () => {
    if (!existsSync('/dev/full')) return;
    const notices: string[] = [];
    const dest = new SafeDestination('/dev/full', (l) => notices.push(l));
    gatherWrites(() => {
      for (let n = 0; n < 25; n += 1) dest.write(record(n));
    });
    expect(dest.dropped).toBe(25);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('ENOSPC');
    dest.close();
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeDestination } from '../../src/log/safe-destination.js';
import { runCli } from '../helpers/cli.js';
import { tempProject, type TempProject } from '../helpers/project.js';

/** One NDJSON record of about 100 bytes carrying its number. */
function record(n: number): string {
  return `${JSON.stringify({ level: 30, n, msg: 'x'.repeat(70) })}\n`;
}

/** The log files in `dir`, oldest first (`feedfold.log.2`, `.1`, then `feedfold.log`). */
function logFiles(dir: string, base = 'feedfold.log'): string[] {
  const suffix = (name: string): number => (name === base ? 0 : Number(name.slice(base.length + 1)));
  return readdirSync(dir)
    .filter((name) => name === base || name.startsWith(`${base}.`))
    .sort((a, b) => suffix(b) - suffix(a));
}

/** Every line of a log file, parsed: a line that is not whole JSON fails the test. */
function records(file: string): Array<{ n?: number; dropped?: number; msg: string }> {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n') || text === '').toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { n?: number; msg: string });
}

describe('a log file rotated by size', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-rotation-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps at most `files` files of at most maxBytes, whole records, the newest ones without a gap', () => {
    const file = path.join(dir, 'feedfold.log');
    const notices: string[] = [];
    const dest = new SafeDestination(file, (l) => notices.push(l), { maxBytes: 1024, files: 3 });
    for (let n = 0; n < 500; n += 1) dest.write(record(n));
    dest.close();
    expect(logFiles(dir)).toEqual(['feedfold.log.2', 'feedfold.log.1', 'feedfold.log']);
    const sizes = logFiles(dir).map((name) => statSync(path.join(dir, name)).size);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(1024);
    // A rotated file was filled as far as a whole record allowed.
    expect(sizes.slice(0, 2).every((size) => size > 1024 - record(0).length)).toBe(true);
    const numbers = logFiles(dir).flatMap((name) => records(path.join(dir, name)).map((r) => r.n));
    expect(numbers.at(-1)).toBe(499);
    expect(numbers).toEqual(numbers.map((_, i) => 500 - numbers.length + i));
    expect(dest.dropped).toBe(0);
    expect(notices).toEqual([]);
  });

  it('appends to an existing file and rotates it when a record would take it past maxBytes', () => {
    const file = path.join(dir, 'feedfold.log');
    const first = new SafeDestination(file, undefined, { maxBytes: 1024, files: 2 });
    for (let n = 0; n < 9; n += 1) first.write(record(n));
    first.close();
    const second = new SafeDestination(file, undefined, { maxBytes: 1024, files: 2 });
    for (let n = 9; n < 12; n += 1) second.write(record(n));
    second.close();
    expect(records(path.join(dir, 'feedfold.log.1')).map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(records(file).map((r) => r.n)).toEqual([10, 11]);
  });

  it('with files: 1 keeps only the current file; a record longer than maxBytes gets a file of its own', () => {
    const file = path.join(dir, 'feedfold.log');
    const dest = new SafeDestination(file, undefined, { maxBytes: 1024, files: 1 });
    for (let n = 0; n < 25; n += 1) dest.write(record(n));
    expect(logFiles(dir)).toEqual(['feedfold.log']);
    expect(records(file).map((r) => r.n)).toEqual([20, 21, 22, 23, 24]);
    const long = `${JSON.stringify({ level: 30, n: 25, msg: 'y'.repeat(3000) })}\n`;
    dest.write(long);
    expect(readFileSync(file, 'utf8')).toBe(long);
    dest.write(record(26));
    dest.close();
    expect(records(file).map((r) => r.n)).toEqual([26]);
  });

  it('a rotation that cannot rename drops and counts records without growing the file, then recovers', () => {
    const file = path.join(dir, 'feedfold.log');
    const notices: string[] = [];
    const dest = new SafeDestination(file, (l) => notices.push(l), { maxBytes: 1024, files: 2 });
    for (let n = 0; n < 10; n += 1) dest.write(record(n));
    // A folder where the oldest kept file goes cannot be deleted: every rotation fails (EISDIR).
    mkdirSync(path.join(dir, 'feedfold.log.1', 'busy'), { recursive: true });
    for (let n = 10; n < 20; n += 1) dest.write(record(n));
    expect(dest.dropped).toBe(10);
    expect(statSync(file).size).toBeLessThanOrEqual(1024);
    expect(records(file).map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    rmSync(path.join(dir, 'feedfold.log.1'), { recursive: true });
    dest.write(record(20));
    dest.close();
    expect(records(path.join(dir, 'feedfold.log.1')).map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(records(file)).toEqual([expect.objectContaining({ dropped: 10, msg: 'log: 10 records were lost' }), expect.objectContaining({ n: 20 })]);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/^feedfold: cannot write the log file .* \(EISDIR\); log records are dropped until it is writable again$/);
    expect(notices[1]).toMatch(/is writable again; 10 log records were lost \(EISDIR\)$/);
  });

  it.skipIf(!existsSync('/dev/full'))('never rotates a device: /dev/full still drops and counts every record', () => {
    const notices: string[] = [];
    const dest = new SafeDestination('/dev/full', (l) => notices.push(l), { maxBytes: 1024, files: 3 });
    for (let n = 0; n < 100; n += 1) dest.write(record(n));
    dest.close();
    expect(dest.dropped).toBe(100);
    expect(notices).toEqual(['feedfold: cannot write the log file /dev/full (ENOSPC); log records are dropped until it is writable again']);
    expect(existsSync('/dev/full.1')).toBe(false);
  });
});

describe('runs logging past log.maxBytes', () => {
  let project: TempProject | undefined;
  afterEach(() => project?.cleanup());

  it('rotate the log and keep log.files files of whole records', () => {
    project = tempProject();
    const seeds = project.copySeeds();
    project.writeConfig({ sources: [{ id: 'seeds', dir: seeds }], log: { level: 'debug', maxBytes: 2048, files: 3 } });
    for (const now of ['2025-03-05T12:00:00Z', '2025-03-06T12:00:00Z', '2025-03-07T12:00:00Z']) {
      const result = runCli(['run', '-q', '-c', project.configFile, '--now', now], { cwd: project.dir });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    const outDir = project.outDir;
    expect(logFiles(outDir)).toEqual(['feedfold.log.2', 'feedfold.log.1', 'feedfold.log']);
    for (const name of logFiles(outDir)) {
      const file = path.join(outDir, name);
      const lines = records(file);
      // Each file within maxBytes, unless it holds a single record longer than that.
      if (lines.length > 1) expect(statSync(file).size).toBeLessThanOrEqual(2048);
    }
    expect(records(path.join(outDir, 'feedfold.log')).at(-1)?.msg).toMatch(/run/);
  });
});

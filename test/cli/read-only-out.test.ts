import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/cli.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { cli, feedfold, type CliResult } from './cli-harness.js';

/**
 * `serve` and `sources` (and `explain`) with a read-only `out/`: they open the store read-only,
 * write no log, lock, -wal or -shm file there, and work whether or not a writer has the store open
 * (its -wal and -shm present) or not (absent: SQLite cannot read a WAL store in a read-only
 * folder then, and feedfold reads a private copy).
 *
 * Root ignores file permissions, and CI runs the tests as root: there the commands run as the
 * unprivileged user `nobody`, for whom the folder really is read-only (a probe checks that a write
 * fails). Otherwise they run as the current user with `out/` made read-only (mode 0555). Either
 * way the folder's listing, sizes and times are compared before and after.
 */

const NOW = '2025-03-05T12:00:00.000Z';
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
const reader = IS_ROOT ? { uid: NOBODY, gid: NOBODY } : {};
const WAIT_LIMIT_MS = 60_000;

/** Root can only test this if it may start a process as another user (a container may forbid it). */
const canDropPrivileges = !IS_ROOT || spawnSync(process.execPath, ['-e', ''], reader).status === 0;

/** Runs the CLI as the reader (nobody under root) to completion. */
const asReader = (args: string[]): Promise<CliResult> => cli(args, reader);

/** Every entry under a folder with its size and modification time, and the folder's own. */
function snapshot(dir: string): string[] {
  const lines = [`. ${statSync(dir).mtimeMs}`];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const s = statSync(path.join(dir, name));
    lines.push(`${name} ${s.isDirectory() ? 'dir' : s.size} ${s.mtimeMs}`);
  }
  return lines.sort();
}

describe.skipIf(!canDropPrivileges)(`commands that only read, with a read-only out/ ${canDropPrivileges ? '' : '(skipped: this root may not start a process as nobody)'}`, () => {
  let project: TempProject;
  const readOnly = (): void => chmodSync(project.outDir, 0o555);
  const writable = (): void => chmodSync(project.outDir, 0o755);

  beforeAll(async () => {
    project = tempProject();
    project.writeConfig({ sources: [{ id: 'seeds', dir: project.copySeeds() }] });
    expect((await feedfold(['run', '--config', project.configFile, '--now', NOW, '--quiet'])).code).toBe(0);
    // mkdtemp makes the project 0700; the reader must be able to reach the config and out/.
    chmodSync(project.dir, 0o755);
    readOnly();
  });
  afterAll(() => {
    writable();
    project?.cleanup();
  });

  it('really is read-only for the reader: a write there fails', () => {
    const probe = spawnSync(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(path.join(project.outDir, 'probe'))}, 'x')`], { ...reader, encoding: 'utf8' });
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toMatch(/EACCES|EPERM|EROFS/);
  });

  it('sources and explain read a store whose -wal and -shm are absent, and write nothing', async () => {
    const before = snapshot(project.outDir);
    expect(before.some((l) => l.startsWith('feedfold.db-'))).toBe(false);
    const sources = await asReader(['sources', '--json', '--config', project.configFile]);
    expect(sources.code, sources.stderr).toBe(0);
    // The folder was read by the run that made the store.
    expect(JSON.parse(sources.stdout)).toMatchObject([{ id: 'seeds', status: 'ok' }]);
    const storyId = parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries?.[0]?.id ?? '';
    const explain = await asReader(['explain', storyId, '--config', project.configFile]);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toContain(`story ${storyId}`);
    expect(snapshot(project.outDir)).toEqual(before);
  });

  it('sources reads what a writer holding the store open has in its -wal, and writes nothing', async () => {
    writable();
    const writer = new Database(path.join(project.outDir, 'feedfold.db'));
    try {
      writer.pragma('journal_mode = WAL');
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare("UPDATE sources SET error_count = 3, last_error = 'held in the write-ahead log' WHERE id = 'seeds'").run();
      readOnly();
      const before = snapshot(project.outDir);
      expect(before.filter((l) => /^feedfold\.db-(wal|shm) /.test(l))).toHaveLength(2);
      const sources = await asReader(['sources', '--json', '--config', project.configFile]);
      expect(sources.code, sources.stderr).toBe(0);
      expect(JSON.parse(sources.stdout)).toMatchObject([{ id: 'seeds', status: 'failing', errorCount: 3, lastError: 'held in the write-ahead log' }]);
      expect(snapshot(project.outDir)).toEqual(before);
    } finally {
      writable();
      writer.close();
      readOnly();
    }
  });

  it('serve answers the feed and the health check, logs to stderr only, and writes nothing', async () => {
    const before = snapshot(project.outDir);
    const child = spawnCli(['serve', '--port', '0', '--config', project.configFile], { env: { FEEDFOLD_OUT: '', FEEDFOLD_CONFIG: '' }, ...reader });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${stdout} ${stderr}`)), WAIT_LIMIT_MS);
        child.stdout.setEncoding('utf8').on('data', (s: string) => {
          stdout += s;
          const match = /serving (http:\/\/127\.0\.0\.1:\d+)\/feed\.atom/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      const feed = await fetch(`${base}/feed.atom`);
      expect(feed.status).toBe(200);
      expect(await feed.text()).toBe(readFileSync(project.feedFile, 'utf8'));
      // The health check reads the run's status from the read-only folder: that run's --now is long past, so stale.
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { status: string; lastRun: { outcome: string } }).lastRun.outcome).toBe('ok');
      expect((await fetch(`${base}/report`)).status).toBe(200);
      expect(stderr).toContain(`cannot write the log file ${path.join(project.outDir, 'feedfold.log')}`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    expect(snapshot(project.outDir)).toEqual(before);
  }, 120_000);
});

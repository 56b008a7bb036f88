import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followLines } from '../helpers/child-lines.js';
import { ROOT } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';

// The installed `feedfold` command is bin/feedfold.js: run as a command, its first lines (shell) set glibc's allocator
// and exec node on it with one V8 flag; node sets two of V8's tiering flags and runs the CLI over dist/ (built by `npm ci`'s prepare
// script). These tests run it as npm links it, and as node runs it. V8 reports a flag it does not know on stderr at
// every start (and carries on): an empty stderr from `--version` says this node knows both.
const LAUNCHER = path.join(ROOT, 'bin', 'feedfold.js');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string>; scripts: Record<string, string> };
const OURS = 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=4194304:glibc.malloc.trim_threshold=33554432';

describe('the feedfold command (bin/feedfold.js)', () => {
  let linkDir = '';
  let link = '';
  beforeAll(() => {
    expect(existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')), 'dist/ is built by `npm ci` (the prepare script) or `npm run build`').toBe(true);
    // As npm links a package's bin: node_modules/.bin/feedfold, a relative symlink, run from elsewhere.
    linkDir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-bin-'));
    link = path.join(linkDir, 'feedfold');
    symlinkSync(path.relative(linkDir, LAUNCHER), link);
  });
  afterAll(() => rmSync(linkDir, { recursive: true, force: true }));

  it('is what package.json installs and `npm start` runs, and is executable', () => {
    expect(PACKAGE.bin.feedfold).toBe('bin/feedfold.js');
    expect(PACKAGE.scripts.start).toBe('bin/feedfold.js run');
    expect(statSync(LAUNCHER).mode & 0o111).toBe(0o111);
    expect(readlinkSync(link)).not.toMatch(/^\//);
  });

  it('runs the CLI through a symlink from another folder and passes its exit status on', () => {
    const version = spawnSync(link, ['--version'], { cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, NODE: process.execPath } });
    expect(version.stderr, 'V8 knows the flags bin/feedfold.js sets').toBe('');
    expect(version.stdout.trim()).toBe(PACKAGE.version);
    expect(version.status).toBe(0);
    const unknown = spawnSync(link, ['no-such-command', 'with two words'], { cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, NODE: process.execPath } });
    expect(unknown.stderr).toContain("unknown command 'no-such-command'");
    expect(unknown.status).toBe(1);
  });

  it('is also a script node runs as it is (`node bin/feedfold.js`), with glibc\'s defaults', () => {
    const version = spawnSync(process.execPath, [LAUNCHER, '--version'], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(version.stderr, 'V8 knows the flags bin/feedfold.js sets').toBe('');
    expect(version.stdout.trim()).toBe(PACKAGE.version);
    expect(version.status).toBe(0);
  });

  describe.skipIf(process.platform !== 'linux')('a long-running command started through it (Linux: /proc)', () => {
    let project: TempProject;
    beforeAll(() => {
      project = tempProject();
    });
    afterAll(() => project?.cleanup());

    // The caller's own settings come after the command's, so they win; without any, the command's alone.
    it.each([
      { caller: 'glibc.malloc.trim_threshold=1048576', expected: `${OURS}:glibc.malloc.trim_threshold=1048576` },
      { caller: undefined, expected: OURS },
    ])('is node itself under the pid it started with, has the allocator settings ($caller from the caller), and stops on SIGTERM', async ({ caller, expected }) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE: process.execPath, GLIBC_TUNABLES: caller };
      if (caller === undefined) delete env.GLIBC_TUNABLES;
      const child = spawn(link, ['serve', '-c', project.configFile, '--port', '0'], { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines = followLines(child);
      try {
        await lines.waitFor(/serving http:\/\/127\.0\.0\.1:\d+\/feed\.atom/);
        const pid = child.pid as number;
        // The shell exec'd node: a supervisor's signal reaches the server, not a shell waiting on it.
        expect(readlinkSync(`/proc/${pid}/exe`)).toBe(readlinkSync('/proc/self/exe'));
        // V8's optimizing compiler runs on the thread that asks for it: the flag is on node's own command line, before
        // the script (V8 reads it only as it starts).
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        expect(argv.slice(1, 3)).toEqual(['--no-concurrent-recompilation', link]);
        // glibc reads GLIBC_TUNABLES in place, a NUL where each ':' was: join its settings up again.
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').replace(/\0(?=glibc\.)/g, ':').split('\0');
        expect(environ.filter((v) => v.startsWith('GLIBC_TUNABLES='))).toEqual([`GLIBC_TUNABLES=${expected}`]);
      } finally {
        child.kill('SIGTERM');
      }
      const end = await lines.ended;
      expect({ status: end.status, signal: end.signal }, end.stderr).toEqual({ status: 0, signal: null });
    });
  });
});

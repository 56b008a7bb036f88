import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, truncateSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SafeDestination } from '../../src/log/safe-destination.js';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { send } from '../serve/raw-http.js';

/**
 * A log that cannot be written never takes the process down. /dev/full (Linux) answers every
 * write with ENOSPC, as a full disk does; a file size limit (RLIMIT_FSIZE) answers EFBIG until the
 * file is truncated, as a rotated log would be.
 */
const HAS_DEV_FULL = existsSync('/dev/full');
const WAIT_LIMIT_MS = 60_000;
const NOTICE = 'feedfold: cannot write the log file /dev/full (ENOSPC); log records are dropped until it is writable again';

/** Collects a child's output and resolves the first stdout match. */
function watch(child: ChildProcess): { stdout: () => string; stderr: () => string; line: (re: RegExp) => Promise<RegExpExecArray>; exit: Promise<number | null> } {
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = async (re: RegExp): Promise<RegExpExecArray> => {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const m = re.exec(out);
      if (m) return m;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${re} in stdout; stderr: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { stdout: () => out, stderr: () => err, line, exit };
}

describe.skipIf(!HAS_DEV_FULL)('a log on a full disk (/dev/full)', () => {
  let project: TempProject | undefined;
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    project?.cleanup();
  });

  it('drops and counts records, tells once, and never throws', () => {
    const notices: string[] = [];
    const dest = new SafeDestination('/dev/full', (line) => notices.push(line));
    for (let i = 0; i < 100; i += 1) expect(() => dest.write(`{"msg":"record ${i}"}\n`)).not.toThrow();
    expect(dest.dropped).toBe(100);
    expect(notices).toEqual([NOTICE]);
    dest.close();
  });

  it('`serve` keeps answering through failing requests, impossible names and a log it cannot write', async () => {
    project = tempProject({ log: { file: '/dev/full' } });
    mkdirSync(project.outDir, { recursive: true });
    // A feed the server cannot read (a link to itself): every request for it fails and is warned about.
    symlinkSync('feed.atom', project.feedFile);
    child = spawnCli(['serve', '-c', project.configFile, '--port', '0'], { cwd: project.dir });
    const io = watch(child);
    const [, url] = await io.line(/serving (http:\/\/127\.0\.0\.1:\d+)\/feed\.atom/);
    const base = url ?? '';
    for (let i = 0; i < 50; i += 1) expect((await send(base, '/feed.atom')).status).toBe(500);
    expect((await send(base, `/articles/${'a'.repeat(14_000)}.html`)).status).toBe(404);
    expect((await send(base, '/')).status).toBe(200);
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(await io.exit).toBe(0);
    const lines = io.stderr().split('\n').filter((l) => l !== '');
    const warnings = lines.filter((l) => l.startsWith('feedfold: warning: '));
    expect(lines.filter((l) => !warnings.includes(l))).toEqual([NOTICE]);
    // Warnings still reach stderr, rate-limited: 10 of the 50 failures, then the summary at shutdown.
    expect(warnings.filter((w) => w === 'feedfold: warning: serve: request failed')).toHaveLength(10);
    expect(warnings).toContain('feedfold: warning: suppressed 40 similar warnings ("serve: request failed") in 60 s');
  });

  it('`daemon --serve` completes its run and answers /healthz with every log record lost', async () => {
    project = tempProject({ log: { file: '/dev/full' }, schedule: { cron: '0 0 1 1 *' } });
    const seeds = project.copySeeds();
    project.writeConfig({ sources: [{ id: 'seeds', dir: seeds }], log: { file: '/dev/full' }, schedule: { cron: '0 0 1 1 *' } });
    child = spawnCli(['daemon', '--serve', '-c', project.configFile, '--port', '0'], { cwd: project.dir });
    const io = watch(child);
    const [, url] = await io.line(/serving (http:\/\/127\.0\.0\.1:\d+)\/feed\.atom/);
    await io.line(/run 1: .*feed written/);
    const health = await send(url ?? '', '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toMatchObject({ status: 'ok', feed: { exists: true } });
    child.kill('SIGTERM');
    expect(await io.exit).toBe(0);
    expect(io.stderr().split('\n').filter((l) => l.startsWith('feedfold: '))).toEqual([NOTICE]);
  });
});

describe.skipIf(process.platform !== 'linux')('a log file that hits its size limit and is then truncated', () => {
  let project: TempProject | undefined;
  afterEach(() => project?.cleanup());

  it('loses the records in between, says how many in the log and once on stderr, and carries on', async () => {
    project = tempProject();
    const logFile = path.join(project.dir, 'limited.log');
    const module = path.join(ROOT, '.test-dist', 'log', 'safe-destination.js');
    // One record per stdin line, acknowledged on stdout; the file may not grow past 512 bytes.
    const script = `
      const { SafeDestination, reportOnStderr } = await import(${JSON.stringify(module)});
      const dest = new SafeDestination(${JSON.stringify(logFile)}, reportOnStderr);
      let n = 0;
      process.stdin.setEncoding('utf8').on('data', (s) => {
        for (const cmd of s.split('\\n').filter(Boolean)) {
          dest.write(JSON.stringify({ level: 30, n: n++, msg: 'x'.repeat(70) }) + '\\n');
          process.stdout.write('ok ' + dest.dropped + '\\n');
        }
      });`;
    const child = spawn('sh', ['-c', `ulimit -f 1 && exec "${process.execPath}" --input-type=module -e "$0"`, script], { stdio: ['pipe', 'pipe', 'pipe'] });
    const io = watch(child);
    const acks = async (count: number): Promise<void> => {
      await io.line(new RegExp(`(?:ok \\d+\\n){${count}}`));
    };
    // 100-byte records: five fit in 512 bytes, the sixth is cut short, the rest fail (EFBIG).
    for (let i = 0; i < 8; i += 1) child.stdin?.write('w\n');
    await acks(8);
    expect(io.stdout().trim().split('\n').at(-1)).toBe('ok 3');
    truncateSync(logFile, 0);
    child.stdin?.write('w\n');
    await acks(9);
    expect(io.stdout().trim().split('\n').at(-1)).toBe('ok 0');
    child.stdin?.end();
    expect(await io.exit).toBe(0);
    const records = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { n?: number; dropped?: number; reason?: string; msg: string });
    expect(records).toEqual([{ level: 40, time: expect.any(String), name: 'feedfold', stage: 'log', dropped: 3, reason: 'EFBIG', msg: 'log: 3 records were lost' }, expect.objectContaining({ n: 8 })]);
    expect(io.stderr().trim().split('\n')).toEqual([
      `feedfold: cannot write the log file ${logFile} (EFBIG); log records are dropped until it is writable again`,
      `feedfold: the log file ${logFile} is writable again; 3 log records were lost (EFBIG)`,
    ]);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseOpml as feedsmithParseOpml } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpml } from '../../src/parse/opml.js';
import { cliArgs, runCliAsync, spawnCli } from '../helpers/cli.js';
import { run as runProgram } from '../helpers/external-tools.js';
import { waitFor } from '../helpers/log-records.js';
import { feedfold } from './cli-harness.js';

const NOW = '2025-03-05T12:00:00Z';
const ARTICLE = 'date 2025-03-01\nHarbor ferry resumes service\n\nThe harbor ferry resumed its route on Saturday after repairs.\n';

describe('a reader that closes stdout early (`feedfold sources | head -1`)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-epipe-'));
    // Far more than a pipe's 64 KiB buffer, so the command is still writing when the reader goes.
    const sources = Array.from({ length: 5000 }, (_, i) => `  - url: https://feed${i}.example/rss\n    title: Feed number ${i}\n`).join('');
    writeFileSync(path.join(dir, 'feedfold.yaml'), `out: out\nsources:\n${sources}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of [['sources'], ['sources', '--json']]) {
    it(`ends \`${args.join(' ')}\` with exit 0 and no stack trace`, async () => {
      const child = spawnCli([...args, '--config', path.join(dir, 'feedfold.yaml')]);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      // Read the first chunk, then close the pipe as `head` does.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    });
  }
});

describe('export-opml on the bundled default config (folders only, no feed URLs)', () => {
  it('writes an empty subscription list that OPML readers accept', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'feedfold-opml-default-'));
    try {
      const result = await feedfold(['export-opml', '--out', out, '--now', NOW]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<opml version="2\.0">/);
      expect(result.stdout).toContain('<dateCreated>Wed, 05 Mar 2025 12:00:00 GMT</dateCreated>');
      expect(parseOpml(result.stdout)).toEqual({ title: 'feedfold: merged news subscriptions', feeds: [] });
      expect(feedsmithParseOpml(result.stdout).head?.title).toBe('feedfold: merged news subscriptions');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('where `feedfold run` finds its config', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-lookup-'));
    writeFileSync(path.join(dir, 'a.txt'), ARTICLE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads ./config/feedfold.yaml when there is no ./feedfold.yaml, and says so', async () => {
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config', 'feedfold.yaml'), 'out: ../out-config\nsources:\n  - dir: ..\n');
    const run = await runCliAsync(['run', '--now', NOW], { cwd: dir, env: { FEEDFOLD_CONFIG: '', FEEDFOLD_OUT: '' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`config: ${path.join(dir, 'config', 'feedfold.yaml')} (working folder)\n`);
    expect(existsSync(path.join(dir, 'out-config', 'feed.atom'))).toBe(true);
  });

  it('prefers ./feedfold.yaml in the working folder to ./config/feedfold.yaml and to the bundled one', async () => {
    writeFileSync(path.join(dir, 'feedfold.yaml'), 'out: out-here\nsources:\n  - dir: .\n');
    const run = await runCliAsync(['run', '--now', NOW], { cwd: dir, env: { FEEDFOLD_CONFIG: '', FEEDFOLD_OUT: '' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`config: ${path.join(dir, 'feedfold.yaml')} (working folder)\n`);
    expect(run.stdout).toMatch(/1 source\(s\) ok/);
    expect(existsSync(path.join(dir, 'out-here', 'feed.atom'))).toBe(true);
  });

  it('says when --config named it, and prints nothing of it with -q', async () => {
    const file = path.join(dir, 'feedfold.yaml');
    const named = await runCliAsync(['run', '--config', file, '--now', NOW], { cwd: os.tmpdir() });
    expect(named.stdout).toContain(`config: ${file} (flag)\n`);
    const quiet = await runCliAsync(['run', '--config', file, '--now', NOW, '-q'], { cwd: os.tmpdir() });
    expect(quiet).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });
});

describe('what a run with failing sources prints', () => {
  let dir = '';
  let closed = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-failing-'));
    mkdirSync(path.join(dir, 'articles'));
    writeFileSync(path.join(dir, 'articles', 'a.txt'), ARTICLE);
    // A port nothing listens on: every fetch is refused at once.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closed = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = (name: string, sources: string): string => {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(file, `out: out-${name}\nfetch:\n  allowPrivateNetworks: true\nsources:\n${sources}`);
    return file;
  };
  const failing = (): string => `  - url: ${closed}/gazette.xml\n    title: Harbor Gazette\n  - url: ${closed}/untitled.xml\n`;

  it('with -q and every source failing: only the failures, one readable line each, and a non-zero exit', async () => {
    const run = await runCliAsync(['run', '-q', '--config', config('all-failing', failing()), '--now', NOW]);
    expect(run.status).toBe(69);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter((l) => l !== '')).toEqual([
      `feedfold: warning: Harbor Gazette [fetch.network]: source failed: fetch: ECONNREFUSED connect ECONNREFUSED ${closed.slice(7)} for ${closed}/gazette.xml`,
      `feedfold: warning: ${closed}/untitled.xml [fetch.network]: source failed: fetch: ECONNREFUSED connect ECONNREFUSED ${closed.slice(7)} for ${closed}/untitled.xml`,
      'feedfold: all 2 source(s) read in this run failed; nothing new was read',
    ]);
  });

  it('warns once per failure: a source failing again the same way is logged, not warned about again', async () => {
    const file = path.join(dir, 'all-failing.yaml');
    const again = await runCliAsync(['run', '-q', '--config', file, '--now', '2025-03-06T12:00:00Z']);
    expect(again.status).toBe(69);
    expect(again.stderr).toBe('feedfold: all 2 source(s) read in this run failed; nothing new was read\n');
    const records = readFileSync(path.join(dir, 'out-all-failing', 'feedfold.log'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { level: number; msg: string; errorCount?: number });
    const still = records.filter((r) => r.msg.startsWith('source still failing: '));
    expect(still.map((r) => [r.level, r.errorCount])).toEqual([
      [30, 2],
      [30, 2],
    ]);
  });

  it('with one source read: exit 0, the failures still warned about, the whole records in the log file', async () => {
    const file = config('some-failing', `${failing()}  - dir: articles\n`);
    const run = await runCliAsync(['run', '--config', file, '--now', NOW]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/1 source\(s\) ok, 2 failed/);
    expect(run.stderr).toContain('feedfold: warning: Harbor Gazette [fetch.network]: source failed: ');
    const records = readFileSync(path.join(dir, 'out-some-failing', 'feedfold.log'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { msg: string; title?: string; err?: { kind: string } });
    expect(records.filter((r) => r.msg.startsWith('source failed: ')).map((r) => [r.title, r.err?.kind])).toEqual([
      ['Harbor Gazette', 'fetch.network'],
      [undefined, 'fetch.network'],
    ]);
  });
});

describe('Ctrl-C during `feedfold run`', () => {
  let dir = '';
  let hanging: Server;
  let requests = 0;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-interrupt-'));
    mkdirSync(path.join(dir, 'articles'));
    writeFileSync(path.join(dir, 'articles', 'a.txt'), ARTICLE);
    // A feed server that takes the request and never answers.
    hanging = createServer(() => {
      requests += 1;
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the fetch in flight, keeps and publishes what was read, says so and exits 130', async () => {
    const file = path.join(dir, 'feedfold.yaml');
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/slow.xml`;
    writeFileSync(file, `out: out\nfetch:\n  allowPrivateNetworks: true\n  timeoutMs: 120000\nsources:\n  - dir: articles\n  - url: ${url}\n    title: Slow Wire\n`);
    const child = spawnCli(['run', '--config', file, '--now', NOW]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    await waitFor('the run to ask the hanging server', () => requests > 0);
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^feedfold: interrupted \(SIGINT\): the sources not read by then are left for the next run; what was read is stored and published \(run 1: 1 source\(s\) ok, 0 failed, 1 skipped; 1 new article\(s\); 1 new and 0 updated stories; feed written: /);
    expect(readFileSync(path.join(dir, 'out', 'feed.atom'), 'utf8')).toContain('Harbor ferry resumes service');
    // The interrupted source is not held against it.
    const sources = await runCliAsync(['sources', '--json', '--config', file]);
    const slow = (JSON.parse(sources.stdout) as { location: string; errorCount: number; status: string }[]).find((s) => s.location === url);
    expect(slow).toMatchObject({ errorCount: 0, status: 'new' });
  });
});

describe('progress of a run on a terminal', () => {
  const SCRIPT = '/usr/bin/script';
  let dir = '';
  let slow: Server;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-progress-'));
    mkdirSync(path.join(dir, 'articles'));
    writeFileSync(path.join(dir, 'articles', 'a.txt'), ARTICLE);
    // A feed that answers 404 after a while, so the run is seen reading.
    slow = createServer((_req, res) => void setTimeout(() => res.writeHead(404).end(), 300));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/late.xml`;
    writeFileSync(path.join(dir, 'feedfold.yaml'), `out: out\nfetch:\n  allowPrivateNetworks: true\nsources:\n  - dir: articles\n  - url: ${url}\n    title: Late Wire\n`);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => slow.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI under a pseudo-terminal (util-linux `script`), returning all it wrote there. */
  const onTerminal = async (args: string[]): Promise<{ status: number | null; output: string }> => {
    const quoted = [process.execPath, ...cliArgs(args)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const run = await runProgram(SCRIPT, ['-qefc', quoted, '/dev/null'], { cwd: dir });
    return { status: run.code, output: run.stdout };
  };

  it.skipIf(!existsSync(SCRIPT))('redraws one line with sources done, articles and elapsed time, then erases it', async () => {
    const { status, output } = await onTerminal(['run', '--config', path.join(dir, 'feedfold.yaml'), '--now', NOW]);
    expect(status).toBe(0);
    expect(output).toMatch(/\r\x1b\[Kfeedfold: reading 0\/2 sources, 0 articles, \d+ s/);
    expect(output).toMatch(/\r\x1b\[Kfeedfold: clustering \(2\/2 sources, 1 articles\), \d+ s/);
    expect(output).toMatch(/\r\x1b\[Kfeedfold: publishing \(2\/2 sources, 1 articles\), \d+ s/);
    // The source's failure lands on a line of its own, then the summary after the erased progress line.
    expect(output).toMatch(/\r\x1b\[Kfeedfold: warning: Late Wire \[fetch\.[a-z-]+\]: source failed: [^\r]*\r\n/);
    expect(output).toMatch(/\r\x1b\[K(?:\r\n)?config: .*\(flag\)\r\nrun 1: 1 source\(s\) ok, 1 failed/);
  });

  it.skipIf(!existsSync(SCRIPT))('draws nothing with -q, nor when stderr is not a terminal', async () => {
    const quiet = await onTerminal(['run', '-q', '--config', path.join(dir, 'feedfold.yaml'), '--now', NOW]);
    expect(quiet.output).not.toContain('feedfold: reading');
    const piped = await runCliAsync(['run', '--config', path.join(dir, 'feedfold.yaml'), '--now', NOW]);
    expect(piped.stderr).not.toContain('feedfold: reading');
    expect(piped.stderr).not.toContain('\x1b[K');
  });
});

describe('feedfold sources: --retry and the state of local sources', () => {
  let dir = '';
  let file = '';
  let closed = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-retry-'));
    mkdirSync(path.join(dir, 'articles'));
    writeFileSync(path.join(dir, 'articles', 'a.txt'), ARTICLE);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closed = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wire.xml`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    file = path.join(dir, 'feedfold.yaml');
    writeFileSync(file, `out: out\nfetch:\n  allowPrivateNetworks: true\nsources:\n  - id: wire\n    url: ${closed}\n  - id: local\n    dir: articles\n  - id: gone\n    dir: no-such-folder\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rows = async (): Promise<Record<string, { status: string; errorCount: number; nextFetchAt: string | null }>> => {
    const listed = await runCliAsync(['sources', '--json', '--config', file]);
    return Object.fromEntries((JSON.parse(listed.stdout) as { id: string; status: string; errorCount: number; nextFetchAt: string | null }[]).map((r) => [r.id, r]));
  };

  it('shows a folder as new before any run, ok once read, and missing when its path is gone', async () => {
    expect(Object.fromEntries(Object.entries(await rows()).map(([id, r]) => [id, r.status]))).toEqual({ wire: 'new', local: 'new', gone: 'missing' });
    expect((await runCliAsync(['run', '-q', '--config', file, '--now', NOW])).status).toBe(0);
    expect(Object.fromEntries(Object.entries(await rows()).map(([id, r]) => [id, r.status]))).toEqual({ wire: 'failing', local: 'ok', gone: 'missing' });
  });

  it('--retry clears a failing feed\'s back-off, so the next run reads it at once', async () => {
    expect((await rows()).wire).toMatchObject({ errorCount: 1, nextFetchAt: expect.any(String) });
    const inBackoff = await runCliAsync(['run', '--config', file, '--now', '2025-03-05T12:01:00Z']);
    // The missing folder fails on every run; the feed waits out its back-off.
    expect(inBackoff.stdout).toMatch(/1 source\(s\) ok, 1 failed, 1 skipped/);
    const retry = await runCliAsync(['sources', '--retry', 'wire', '--config', file]);
    expect(retry).toMatchObject({ status: 0, stdout: 'wire: read on the next run\nback-off cleared for 1 source(s)\n' });
    expect((await rows()).wire).toMatchObject({ errorCount: 0, nextFetchAt: null });
    const retried = await runCliAsync(['run', '--config', file, '--now', '2025-03-05T12:02:00Z']);
    expect(retried.stdout).toMatch(/1 source\(s\) ok, 2 failed, 0 skipped/);
    // The failure after a retry warns again: the operator asked.
    expect(retried.stderr).toContain(`feedfold: warning: ${closed} [fetch.network]: source failed: `);
  });

  it('--retry all, and an unknown id named in a clear error', async () => {
    expect(await runCliAsync(['sources', '--retry', 'all', '--config', file])).toMatchObject({ status: 0, stdout: 'wire: read on the next run\nback-off cleared for 1 source(s)\n' });
    const unknown = await runCliAsync(['sources', '--retry', 'nope', '--config', file]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('feedfold: sources: no source with id "nope" (feedfold sources lists them)\n');
  });
});

describe('a run reading many feeds at once', () => {
  let dir = '';
  let server: Server | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-many-'));
    // Each answer waits a moment, so that all sixteen fetches are in flight together.
    server = createServer((req, res) => {
      setTimeout(() => {
        const n = /\/feed\/(\d+)/.exec(req.url ?? '')?.[1] ?? '0';
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${n}</title><link>http://feed${n}.example/</link><item><title>Story ${n}</title><link>http://feed${n}.example/${n}</link><description>Only feed ${n} tells this story of number ${n}.</description></item></channel></rss>`);
      }, 200);
    });
    await new Promise<void>((resolve) => (server as Server).listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sources = Array.from({ length: 16 }, (_, i) => `  - url: ${base}/feed/${i}\n`).join('');
    writeFileSync(path.join(dir, 'feedfold.yaml'), `out: out\nfetch:\n  concurrency: 16\n  perHost: 16\n  allowPrivateNetworks: true\nsources:\n${sources}`);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing on stderr: the fetches in flight share the run\'s stop signal without a listener warning', async () => {
    const run = await runCliAsync(['run', '--config', path.join(dir, 'feedfold.yaml'), '--now', NOW]);
    expect(run.stdout).toMatch(/16 source\(s\) ok, 0 failed/);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

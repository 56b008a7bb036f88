import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/cli.js';
import { bigValidFeed, HOSTILE_FEEDS } from '../helpers/hostile-feeds.js';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore } from '../helpers/run-pipeline.js';
import { readLogRecords, waitFor } from '../helpers/log-records.js';

/**
 * A served daemon while a feed is being parsed: the real `feedfold daemon --serve --port 0` reads
 * three loopback sources, one ordinary, one valid but far too long to read within its budget
 * (parse.timeoutMs 300), one nested 100,000 deep. The test asks /healthz one request after another
 * for the whole run. Asserted by order, never by duration: /healthz answered requests sent after
 * the long parse started and before it was stopped; the run records both limits and publishes the
 * ordinary source.
 */

const WAIT_LIMIT_MS = 90_000;
/** Pause between two /healthz requests, so that the test does not flood the daemon it watches. */
const HEALTHZ_PAUSE_MS = 20;

interface LogRecord {
  time: string;
  msg: string;
  source?: string;
  err?: { kind?: string; message?: string };
  run?: { sourcesOk: number; sourcesFailed: number };
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('feedfold daemon --serve while a feed is being parsed', () => {
  const bodies: Record<string, string> = {
    '/good.xml': readFileSync(path.join(FIXTURES, 'schedule', 'gazette-rss20-undated.xml'), 'utf8'),
    // About 15 MB, under the parser's 16 MB limit (the fetch's body cap is raised for it below): about a second of
    // work to read, well past the 0.3 s budget.
    '/big.xml': bigValidFeed(3300),
    '/nested.xml': HOSTILE_FEEDS.find(([name]) => name === 'nested-100k')?.[1] as string,
  };
  const feeds = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
  });
  let project: TempProject | undefined;
  let daemon: ChildProcess | undefined;

  afterAll(async () => {
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    await new Promise<void>((resolve) => {
      feeds.close(() => resolve());
      feeds.closeAllConnections();
    });
    project?.cleanup();
  });

  it('answers /healthz during the parse, stops the parse at its budget and publishes the other sources', async () => {
    await new Promise<void>((resolve) => feeds.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
    project = tempProject();
    project.writeConfig({
      schedule: { cron: '0 0 1 1 *' },
      parse: { timeoutMs: 300 },
      fetch: { maxBodyBytes: 64 * 1024 * 1024 },
      log: { level: 'debug' },
      sources: [
        { id: 'good', url: `${base}/good.xml`, title: 'Harbor Gazette' },
        { id: 'big', url: `${base}/big.xml` },
        { id: 'nested', url: `${base}/nested.xml` },
      ],
    });
    const logFile = path.join(project.outDir, 'feedfold.log');
    const child = spawnCli(['daemon', '--serve', '--port', '0', '--config', project.configFile]);
    daemon = child;
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const feedUrl = await waitFor(`the served URL (stderr: ${stderr})`, () => /serving (http:\/\/127\.0\.0\.1:\d+)\/feed\.atom/.exec(stdout)?.[1], { limitMs: WAIT_LIMIT_MS });
    const finished = (): LogRecord | undefined => readLogRecords<LogRecord>(logFile).find((r) => r.msg === 'run finished');

    // /healthz, one request after another, until the run has finished.
    const answers: { sent: number; answered: number; status: number }[] = [];
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (finished() === undefined && Date.now() < deadline) {
      const sent = Date.now();
      const res = await fetch(`${feedUrl}/healthz`);
      await res.text();
      answers.push({ sent, answered: Date.now(), status: res.status });
      await pause(HEALTHZ_PAUSE_MS);
    }
    const summary = await waitFor('the run to finish', finished, { limitMs: WAIT_LIMIT_MS });
    child.kill('SIGTERM');
    expect(await exit, stderr).toBe(0);

    const records = readLogRecords<LogRecord>(logFile);
    const at = (r: LogRecord | undefined): number => Date.parse(r?.time ?? '');
    const started = records.find((r) => r.msg === 'parse started' && r.source === 'big');
    const stopped = records.find((r) => r.msg === 'parse finished' && r.source === 'big');
    expect(stopped?.err?.kind).toBe('timeout');
    // Liveness by order: requests sent after the parse began were answered before it was stopped.
    const during = answers.filter((a) => a.sent >= at(started) && a.answered <= at(stopped));
    expect(during.length, `answers ${JSON.stringify(answers.slice(0, 5))}… parse ${started?.time} → ${stopped?.time}`).toBeGreaterThan(0);
    expect(during.every((a) => a.status === 200)).toBe(true);

    // The run went on: both limits recorded and named, the ordinary source published.
    const failures = Object.fromEntries(records.filter((r) => r.msg.startsWith('source failed')).map((r) => [r.source, r.err]));
    expect(failures['big']).toMatchObject({ kind: 'parse.timeout', message: `parse: ${bodiesUrl(base, 'big')} took longer than 0.3 s to parse; the feed was skipped (limit parse.timeoutMs)` });
    expect(failures['nested']?.kind).toBe('parse.too-deep');
    expect(failures['nested']?.message).toContain('nesting deeper than 1024 elements');
    expect(summary.run).toMatchObject({ sourcesOk: 1, sourcesFailed: 2 });
    const entries = parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries ?? [];
    expect(entries.flatMap((e) => (e.links ?? []).map((l) => l.href)).filter((h) => h?.startsWith('http://gazette.test/news/')).sort()).toEqual(['http://gazette.test/news/bakery-prize', 'http://gazette.test/news/bike-lanes']);
    const store = await openStore(project.configFile);
    try {
      expect((await store.sources.getSource('big'))?.state.lastError).toContain('(limit parse.timeoutMs)');
      expect((await store.sources.getSource('big'))?.state.errorCount).toBe(1);
    } finally {
      await store.close();
    }
  }, 180_000);
});

function bodiesUrl(base: string, id: string): string {
  return `${base}/${id}.xml`;
}

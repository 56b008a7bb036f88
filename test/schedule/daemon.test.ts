import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore } from '../helpers/run-pipeline.js';
import { readLogRecords, waitFor } from '../helpers/log-records.js';

/**
 * The daemon end to end (DESIGN.md "Schedule"): the real `feedfold daemon --serve --port 0` on a
 * one-second cron schedule against a loopback feed server slower than the schedule. The server
 * can also hold its responses, which pins a run mid-flight (holding the run lock) while the test
 * starts a competing `feedfold run` or sends SIGTERM; assertions are on log records, their order
 * and the published feed, never on durations.
 */

const FEEDS = path.join(FIXTURES, 'schedule');
/** Longer than the one-second cron interval, so without the guard cycles would overlap. */
const RESPONSE_DELAY_MS = 1200;
/** Safety net for waits: a hung daemon fails the test instead of hanging it. */
const EXIT_BUSY = 75;
/** What the daemon logs when SIGTERM arrives. */
const STOPPING = 'SIGTERM received: stopping; fetches in flight are aborted and the run in flight keeps what it read';

const GAZETTE_BIKE = 'http://gazette.test/news/bike-lanes';
const GAZETTE_BAKERY = 'http://gazette.test/news/bakery-prize';
const METRO_BIKE = 'http://metro.test/city/main-street-bike-lanes';
const METRO_CORAL = 'http://metro.test/science/coral-reefs';

interface LogRecord {
  level: number;
  time: string;
  msg: string;
  run?: { runId: number; startedAt: string };
  [key: string]: unknown;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

interface Entry {
  id?: string;
  links?: { href?: string; rel?: string }[];
}

const hrefs = (e: Entry, rel: string): string[] => (e.links ?? []).filter((l) => (l.rel ?? 'alternate') === rel).map((l) => l.href ?? '');

/** Finds the entry that links to `href` as its alternate or a related version. */
function entryFor(entries: Entry[], href: string): Entry | undefined {
  return entries.find((e) => [...hrefs(e, 'alternate'), ...hrefs(e, 'related')].includes(href));
}

async function fetchEntries(url: string): Promise<Entry[]> {
  const res = await fetch(url);
  if (res.status !== 200) return [];
  return parseAtomFeed(await res.text()).entries ?? [];
}

/** A loopback feed server: slow, with metro's content switchable and every response holdable. */
class FeedServer {
  server = createServer((req, res) => void this.answer(req.url ?? '/', res));
  base = '';
  metroPhase: 1 | 2 = 1;
  /** Requests received so far that had to wait at the gate. */
  heldCount = 0;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  private async answer(url: string, res: ServerResponse): Promise<void> {
    if (this.gate) {
      this.heldCount++;
      await this.gate;
    }
    await new Promise((r) => setTimeout(r, RESPONSE_DELAY_MS));
    const name =
      url === '/gazette.xml' ? 'gazette-rss20-undated.xml'
      : url === '/metro.xml' ? (this.metroPhase === 1 ? 'metro-atom-no-entries.xml' : 'metro-atom-undated.xml')
      : undefined;
    if (!name) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml' }).end(readFileSync(path.join(FEEDS, name)));
  }

  close(): Promise<void> {
    this.release();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

describe('feedfold daemon: scheduled cycles, no overlap, the run lock and SIGTERM', () => {
  const feeds = new FeedServer();
  let project: TempProject;
  let daemon: ChildProcess | undefined;

  beforeAll(() => feeds.start());
  afterAll(async () => {
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    await feeds.close();
    project?.cleanup();
  });

  it('runs cycle after cycle without overlap, keeps entry ids, refuses a concurrent run (75) and finishes the run in flight on SIGTERM', async () => {
    project = tempProject();
    project.writeConfig({
      schedule: { cron: '* * * * * *' },
      sources: [
        { id: 'gazette', url: `${feeds.base}/gazette.xml`, title: 'Harbor Gazette' },
        { id: 'metro', url: `${feeds.base}/metro.xml`, title: 'Metro Daily' },
      ],
    });
    const logFile = path.join(project.outDir, 'feedfold.log');
    const finishedRuns = (): LogRecord[] => readLogRecords<LogRecord>(logFile).filter((r) => r.msg === 'run finished');

    // --no-run-at-start: every cycle comes from a cron tick, so every overlap is one node-cron saw.
    const child = spawnCli(['daemon', '--serve', '--port', '0', '--no-run-at-start', '--config', project.configFile]);
    daemon = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = exited(child);

    // --port 0: the daemon prints the URL it actually bound.
    const feedUrl = await waitFor(`the served URL on stdout (stderr: ${stderr})`, () => /serving (http:\/\/127\.0\.0\.1:\d+\/feed\.atom)/.exec(stdout)?.[1]);

    // Cycle 1: two stories.
    await waitFor('the first run', () => finishedRuns().length >= 1);
    const first = await fetchEntries(feedUrl);
    expect(first).toHaveLength(2);
    const bikeId = entryFor(first, GAZETTE_BIKE)?.id;
    const bakeryId = entryFor(first, GAZETTE_BAKERY)?.id;
    expect(bikeId).toBeDefined();
    expect(bakeryId).toBeDefined();
    expect(bikeId).not.toBe(bakeryId);

    // Later cycles: metro publishes a new version of story 1 and a new story 3.
    feeds.metroPhase = 2;
    const second = await waitFor('a cycle with the new metro items', async () => {
      const entries = await fetchEntries(feedUrl);
      return entries.length === 3 ? entries : undefined;
    });
    const bike = entryFor(second, GAZETTE_BIKE);
    expect(bike?.id).toBe(bikeId);
    expect(entryFor(second, METRO_BIKE)?.id).toBe(bikeId);
    expect([...hrefs(bike!, 'alternate'), ...hrefs(bike!, 'related')].sort()).toEqual([GAZETTE_BIKE, METRO_BIKE].sort());
    expect(hrefs(bike!, 'related')).toHaveLength(1);
    expect(entryFor(second, GAZETTE_BAKERY)?.id).toBe(bakeryId);
    const coralId = entryFor(second, METRO_CORAL)?.id;
    expect(coralId).toBeDefined();
    expect([bikeId, bakeryId]).not.toContain(coralId);

    // A system-cron `feedfold run` while the daemon is mid-run (its fetches held): lock busy, 75.
    feeds.hold();
    let heldBefore = feeds.heldCount;
    await waitFor('a daemon run waiting on the feed server', () => feeds.heldCount > heldBefore);
    const rival = spawnCli(['run', '--config', project.configFile]);
    let rivalErr = '';
    rival.stderr.on('data', (d: Buffer) => (rivalErr += d.toString()));
    const rivalExit = await exited(rival);
    expect(rivalExit.code, rivalErr).toBe(EXIT_BUSY);
    expect(rivalErr).toContain(`another run is in progress (pid ${child.pid} `);
    const runsBeforeRelease = finishedRuns().length;
    feeds.release();
    await waitFor('the held run to finish', () => finishedRuns().length > runsBeforeRelease);

    // SIGTERM while a run is in flight: the run finishes, then the daemon exits 0.
    feeds.hold();
    heldBefore = feeds.heldCount;
    await waitFor('another daemon run waiting on the feed server', () => feeds.heldCount > heldBefore);
    const runsAtSignal = finishedRuns().length;
    // SIGTERM while the feed server hangs (it is never released): the fetches in flight are aborted, the run
    // finishes with what it had, and the daemon exits 0 within 10 s (systemd's stop timeout is 90 s).
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const { code, signal } = await exit;
    const stopSeconds = (Date.now() - signalledAt) / 1000;
    expect({ code, signal }, stderr).toEqual({ code: 0, signal: null });
    expect(stopSeconds).toBeLessThan(10);
    feeds.release();

    const records = readLogRecords<LogRecord>(logFile);
    const stopAt = records.findIndex((r) => r.msg === STOPPING);
    const runs = records.filter((r) => r.msg === 'run finished');
    expect(runs.length).toBe(runsAtSignal + 1);
    const last = records.lastIndexOf(runs.at(-1)!);
    expect(last).toBeGreaterThan(stopAt);
    expect(runs.at(-1)!.run!.startedAt < records[stopAt]!.time).toBe(true);
    expect(records.findIndex((r) => r.msg === 'daemon stopped on SIGTERM')).toBeGreaterThan(last);
    // The sources whose fetches were aborted are not held against them: no error, no back-off.
    expect(records.slice(stopAt).filter((r) => r.msg.startsWith('source failed'))).toEqual([]);
    expect(records.filter((r) => r.msg === 'run failed' || r.msg === 'run skipped: another run holds the lock')).toEqual([]);

    // Several scheduled cycles, never two at once, and the skipped ticks were logged.
    expect(runs.length).toBeGreaterThanOrEqual(4);
    const spans = runs.map((r) => ({ start: r.run!.startedAt, end: r.time })).sort((a, b) => a.start.localeCompare(b.start));
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start >= spans[i - 1]!.end, `run ${i} starts before run ${i - 1} ended`).toBe(true);
    expect(records.filter((r) => r.msg === 'previous run still in progress; tick skipped').length).toBeGreaterThanOrEqual(1);

    // Nothing was corrupted: every run is recorded and finished, the lock is free, the feed is whole.
    const check = new Database(path.join(project.outDir, 'feedfold.db'), { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
    const store = await openStore(project.configFile);
    try {
      const state = await store.snapshot();
      expect(state.runs.map((r) => r.finished)).toEqual(runs.map(() => true));
      expect(state.locks).toEqual([]);
    } finally {
      await store.close();
    }
    const final: Entry[] = parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries ?? [];
    expect(final.map((e) => e.id).sort()).toEqual([bikeId, bakeryId, coralId].sort());
  }, 120_000);
});

describe('run lock left behind', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  it('takes over a lock row whose process is dead, and refuses one whose process is alive', async () => {
    project = tempProject();
    project.writeConfig({ sources: [{ id: 'seeds', dir: project.copySeeds(['000_168ea976ff7458c6.txt']) }] });
    const now = '2025-03-05T12:00:00.000Z';
    const dead = spawnSync(process.execPath, ['-e', '']);
    expect(dead.status).toBe(0);

    // A live holder (this test process, its lease current) blocks `feedfold run`.
    const lease = (pid: number) => ({ pid, host: os.hostname(), acquiredAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() });
    let store = await openStore(project.configFile);
    expect((await store.locks.acquireLock('run', lease(process.pid), () => false))).toEqual({ ok: true });
    await store.close();
    const blocked = runCli(['run', '--config', project.configFile, '--now', now, '--quiet']);
    expect(blocked.status, blocked.stderr).toBe(EXIT_BUSY);
    expect(blocked.stderr).toContain(`pid ${process.pid}`);
    expect(existsSync(project.feedFile)).toBe(false);

    // The same row left by a process that has exited is stale: the run takes it over and completes.
    store = await openStore(project.configFile);
    (await store.locks.releaseLock('run', process.pid, os.hostname()));
    expect((await store.locks.acquireLock('run', lease(dead.pid), () => false))).toEqual({ ok: true });
    await store.close();
    const ran = runCli(['run', '--config', project.configFile, '--now', now, '--quiet']);
    expect(ran.status, ran.stderr).toBe(0);
    expect(parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries).toHaveLength(1);
    store = await openStore(project.configFile);
    try {
      const state = await store.snapshot();
      expect(state.locks).toEqual([]);
      expect(state.runs.filter((r) => r.finished)).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 120_000);
});

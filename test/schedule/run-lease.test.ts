import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterEach, describe, expect, it } from 'vitest';
import type { LockHolder } from '../../src/model/run.js';
import { DEFAULT_LEASE_MS, leaseMsFromEnv, takeOverReason } from '../../src/schedule/run-lock.js';
import Database from 'better-sqlite3';
import { openStoreReadOnly } from '../../src/store/open-store.js';
import { feedfold } from '../cli/cli-harness.js';
import { runCliAsync, spawnCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore } from '../helpers/run-pipeline.js';
import { readLogRecords, waitFor } from '../helpers/log-records.js';

/**
 * The run lock as a lease (README "Running it on a schedule"): a lock row left by a run that was
 * killed under another hostname (a container restarted under a new name) is taken over once its
 * lease has lapsed; a live lease keeps every other run out (75); `feedfold unlock` clears it; a
 * daemon renews its lease through a run longer than the lease. Real CLI processes, a real store.
 */

const EXIT_BUSY = 75;
const NOW = '2025-03-05T12:00:00.000Z';
const MINUTE_MS = 60_000;

interface LogRecord {
  msg: string;
  holder?: LockHolder;
  reason?: string;
  [key: string]: unknown;
}

/** Writes a run-lock row as another process would have left it. */
async function plantLock(configFile: string, holder: LockHolder): Promise<void> {
  const store = await openStore(configFile);
  try {
    expect((await store.locks.acquireLock('run', holder, () => true)).ok).toBe(true);
  } finally {
    await store.close();
  }
}

async function lockRow(configFile: string): Promise<LockHolder | undefined> {
  const store = await openStore(configFile);
  try {
    return (await store.locks.lockHolder('run'));
  } finally {
    await store.close();
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('takeOverReason: when another run’s lock may be taken', () => {
  const self = { pid: 100, host: 'web-2' };
  const nowMs = Date.parse(NOW);
  const alive = (): boolean => true;
  const dead = (): boolean => false;
  const row = (over: Partial<LockHolder>): LockHolder => ({ pid: 7, host: 'web-1', acquiredAt: iso(nowMs - 5 * MINUTE_MS), expiresAt: iso(nowMs + MINUTE_MS), ...over });

  it.each([
    ['a live lease on another host', row({}), alive, undefined],
    ['a lapsed lease on another host', row({ expiresAt: iso(nowMs - 1) }), alive, 'lease-lapsed'],
    ['a lease ending this very millisecond', row({ expiresAt: iso(nowMs) }), alive, 'lease-lapsed'],
    ['a live lease on this host, process alive', row({ host: 'web-2' }), alive, undefined],
    ['a live lease on this host, process gone', row({ host: 'web-2' }), dead, 'process-gone'],
    ['a lapsed lease on this host, process alive (a reused pid, a stuck run)', row({ host: 'web-2', expiresAt: iso(nowMs - 1) }), alive, 'lease-lapsed'],
    ['this very process', row({ host: 'web-2', pid: 100 }), alive, 'own'],
    ['a row from before leases, another host', row({ expiresAt: undefined }), alive, 'lease-lapsed'],
    ['a row from before leases, this host, process alive', row({ host: 'web-2', expiresAt: undefined }), alive, undefined],
    ['an unreadable expiry', row({ expiresAt: 'soon' }), alive, 'lease-lapsed'],
  ] as const)('%s', (_name, holder, isAlive, expected) => {
    const h: LockHolder = { ...holder };
    if (h.expiresAt === undefined) delete h.expiresAt;
    expect(takeOverReason(h, self, nowMs, isAlive)).toBe(expected);
  });

  it('reads the lease length from FEEDFOLD_LOCK_LEASE_MS and refuses nonsense', () => {
    expect(leaseMsFromEnv({})).toBe(DEFAULT_LEASE_MS);
    expect(leaseMsFromEnv({ FEEDFOLD_LOCK_LEASE_MS: '5000' })).toBe(5000);
    expect(() => leaseMsFromEnv({ FEEDFOLD_LOCK_LEASE_MS: '2 min' })).toThrow(/FEEDFOLD_LOCK_LEASE_MS/);
    expect(() => leaseMsFromEnv({ FEEDFOLD_LOCK_LEASE_MS: '10' })).toThrow(/at least 1000/);
  });
});

describe('a lock left behind on another host', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  function seedsProject(): TempProject {
    const p = tempProject();
    p.writeConfig({ sources: [{ id: 'seeds', dir: p.copySeeds(['000_168ea976ff7458c6.txt']) }] });
    return p;
  }

  it('takes over a lapsed lease left by a run killed under another hostname, and logs whose it was', async () => {
    project = seedsProject();
    const logFile = path.join(project.outDir, 'feedfold.log');
    // A container that was killed mid-run and came back under a new hostname never frees its row.
    const killed: LockHolder = { pid: 4242, host: 'feedfold-7c9d2f', acquiredAt: iso(Date.now() - 30 * MINUTE_MS), expiresAt: iso(Date.now() - 28 * MINUTE_MS) };
    await plantLock(project.configFile, killed);

    const run = await feedfold(['run', '--config', project.configFile, '--now', NOW, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries).toHaveLength(1);
    const takeOver = readLogRecords<LogRecord>(logFile).find((r) => r.msg.startsWith('run lock taken over'));
    expect(takeOver?.msg).toBe(`run lock taken over from pid 4242 on feedfold-7c9d2f: its lease lapsed at ${killed.expiresAt}`);
    expect(takeOver).toMatchObject({ holder: killed, reason: 'lease-lapsed' });
    expect(await lockRow(project.configFile)).toBeUndefined();
  });

  it('refuses a live lease on another host with 75, naming holder and expiry; `feedfold unlock` clears it', async () => {
    project = seedsProject();
    const live: LockHolder = { pid: 4242, host: 'feedfold-other', acquiredAt: iso(Date.now() - MINUTE_MS), expiresAt: iso(Date.now() + 30 * MINUTE_MS) };
    await plantLock(project.configFile, live);

    // The exit code is the process's own: a real child.
    const blocked = await runCliAsync(['run', '--config', project.configFile, '--now', NOW, '--quiet']);
    expect(blocked.status, blocked.stderr).toBe(EXIT_BUSY);
    expect(blocked.stderr).toContain(`another run is in progress (pid 4242 on feedfold-other since ${live.acquiredAt}, lease until ${live.expiresAt})`);
    expect(blocked.stderr).toContain('feedfold unlock');
    expect(existsSync(project.feedFile)).toBe(false);

    const unlock = await feedfold(['unlock', '--config', project.configFile]);
    expect(unlock.code, unlock.stderr).toBe(0);
    expect(unlock.stdout).toContain(`removed the run lock held by pid 4242 on feedfold-other since ${live.acquiredAt}, lease until ${live.expiresAt}`);
    expect(unlock.stdout).toContain('its lease had not lapsed');
    expect(await lockRow(project.configFile)).toBeUndefined();

    const ran = await feedfold(['run', '--config', project.configFile, '--now', NOW, '--quiet']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries).toHaveLength(1);
    const again = await feedfold(['unlock', '--config', project.configFile]);
    expect(again).toMatchObject({ code: 0, stdout: 'the run lock is free; nothing to remove\n' });
  });
});

describe('a run that finds the database held for writing', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  it('exits 75 (busy), not 1, when another process keeps its write transaction open past the busy timeout', async () => {
    project = tempProject();
    project.writeConfig({ sources: [{ id: 'seeds', dir: project.copySeeds(['000_168ea976ff7458c6.txt']) }] });
    await (await openStore(project.configFile)).close();
    const holder = new Database(path.join(project.outDir, 'feedfold.db'));
    try {
      // Another run in its store transaction: SQLite's write lock, held.
      holder.exec('BEGIN IMMEDIATE');
      const blocked = await runCliAsync(['run', '--config', project.configFile, '--now', NOW, '--quiet']);
      expect(blocked.status, blocked.stderr).toBe(EXIT_BUSY);
      expect(blocked.stderr).toContain('another run is in progress (it holds the database for writing)');
      holder.exec('ROLLBACK');
    } finally {
      holder.close();
    }
  }, 60_000);
});

/** A loopback feed server whose answers wait until released. */
async function heldFeedServer(): Promise<{ base: string; waiting: () => number; release: () => void; close: () => Promise<void> }> {
  const feed = readFileSync(path.join(FIXTURES, 'schedule', 'gazette-rss20-undated.xml'));
  let open = false;
  const held: ServerResponse[] = [];
  const answer = (res: ServerResponse): void => void res.writeHead(200, { 'content-type': 'application/xml' }).end(feed);
  const server = createServer((_req, res) => {
    if (open) answer(res);
    else held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    waiting: () => held.length,
    release: () => {
      open = true;
      for (const res of held.splice(0)) answer(res);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('a daemon in a run longer than its lease', () => {
  let project: TempProject;
  let daemon: ChildProcess | undefined;
  afterEach(() => {
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    project?.cleanup();
  });

  it('renews its lease, so a run started after the first lease would have lapsed still gets 75', async () => {
    const feeds = await heldFeedServer();
    try {
      project = tempProject();
      // One run at start, none scheduled after it (1 January).
      project.writeConfig({ schedule: { cron: '0 0 1 1 *' }, sources: [{ id: 'gazette', url: `${feeds.base}/gazette.xml` }] });
      const leaseMs = 3000;
      const env = { FEEDFOLD_LOCK_LEASE_MS: String(leaseMs) };
      const child = spawnCli(['daemon', '--config', project.configFile], { env });
      daemon = child;
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

      await waitFor(`the daemon's run to wait on the feed (stderr: ${stderr})`, () => feeds.waiting() > 0);
      const first = await waitFor('the lock row', () => lockRow(project.configFile));
      expect(first.pid).toBe(child.pid);
      const firstExpiry = Date.parse(first.expiresAt!);
      // Past the first lease's end, the row carries a later expiry: the daemon renewed it.
      const renewed = await waitFor('a renewed lease past the first one', async () => {
        const row = await lockRow(project.configFile);
        return Date.now() > firstExpiry + leaseMs / 2 && row !== undefined && Date.parse(row.expiresAt!) > firstExpiry ? row : undefined;
      });
      expect(renewed.pid).toBe(child.pid);
      expect(renewed.acquiredAt).toBe(first.acquiredAt);

      const rival = await runCliAsync(['run', '--config', project.configFile, '--quiet'], { env });
      expect(rival.status, rival.stderr).toBe(EXIT_BUSY);
      expect(rival.stderr).toContain(`another run is in progress (pid ${child.pid} on ${os.hostname()} since ${first.acquiredAt}, lease until `);

      const logFile = path.join(project.outDir, 'feedfold.log');
      feeds.release();
      await waitFor('the daemon run to finish', () => readLogRecords<LogRecord>(logFile).some((r) => r.msg === 'run finished'));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      const records = readLogRecords<LogRecord>(logFile);
      expect(records.filter((r) => r.msg.startsWith('run lock'))).toEqual([]);
      expect(await lockRow(project.configFile)).toBeUndefined();
      const store = (await openStoreReadOnly({ storeFile: path.join(project.outDir, 'feedfold.db') }))!;
      try {
        expect((await store.runs.recentRuns(5))).toHaveLength(1);
      } finally {
        await store.close();
      }
    } finally {
      await feeds.close();
    }
  }, 120_000);
});

import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, spawnCli } from '../helpers/cli.js';
import { followLines } from '../helpers/child-lines.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { createTestDatabase, postgresMissing, type TestDatabase } from '../helpers/postgres.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore } from '../helpers/run-pipeline.js';

/**
 * Workers and one clustering leader per feed (issue 13, acceptance 4): a worker SIGKILLed while a
 * feed keeps it waiting loses nothing (its lease lapses and another worker reads the source); a
 * leader SIGKILLed at a batch checkpoint leaves committed batches and pending articles that the
 * next leader assigns; of two leaders, one assigns and the other stands by until the first dies.
 * After each, every article is stored once and the feed equals the one an uninterrupted
 * `feedfold run` on SQLite publishes from the same feeds and --now, byte for byte.
 */

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const NOW = '2025-03-05T18:00:00.000Z';
/** Two articles per clustering batch: a leader's cycle commits several batches. */
const BATCH_ARTICLES = 2;
/** A standby tries the leadership this often. */
const POLL_ENV = { FEEDFOLD_LEADER_POLL_MS: '50' };
/** The shortest lease a worker takes on a source: a killed worker's lapses soon. */
const LEASE_ENV = { FEEDFOLD_LOCK_LEASE_MS: '1000' };
/** The feed the slow server holds until told to answer. */
const SLOW_FEED = 'metro-atom.xml';

const pgMissing = await postgresMissing();
if (pgMissing) console.warn(`feedfold worker and leader on PostgreSQL: skipped: ${pgMissing}`);

/** A store's articles, story partition and decisions, in a fixed order. */
async function stateOf(configFile: string): Promise<{ articles: string[]; members: string[]; decisions: string[] }> {
  const store = await openStore(configFile);
  try {
    const s = await store.snapshot();
    return {
      articles: s.articles.map((a) => `${a.id} pending=${a.pending}`),
      members: s.members.map((m) => `${m.articleId} ${m.storyId}`),
      decisions: s.decisions.map((d) => `${d.articleId} ${d.storyId} ${d.action}`),
    };
  } finally {
    await store.close();
  }
}

/** Runs SQL on a database. */
async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Resolves once `check` does (tried again after each short pause): a wait for a state the test can observe. */
async function until(check: () => Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('feedfold worker and leader, killed', () => {
  const onPostgres = it.skipIf(pgMissing !== undefined);
  const skipped = pgMissing ? ` (skipped: ${pgMissing})` : '';
  let server: Server;
  let base = '';
  /** While set, requests for SLOW_FEED wait here (the worker is mid-job). */
  let held: ServerResponse[] | undefined;
  let slowRequested: () => void = () => undefined;
  const databases: TestDatabase[] = [];
  const projects: TempProject[] = [];
  let reference: { feed: string; state: Awaited<ReturnType<typeof stateOf>> };

  const sources = (): Record<string, unknown>[] => [
    { id: 'gazette', url: `${base}/wire-rss20.xml` },
    { id: 'metro', url: `${base}/${SLOW_FEED}` },
    { id: 'coast', url: `${base}/coast-jsonfeed.json` },
    { id: 'seeds', dir: path.join(ROOT, 'seeds') },
  ];
  const project = (store?: { url: string }): TempProject => {
    const p = tempProject();
    projects.push(p);
    p.writeConfig({ sources: sources(), cluster: { batchArticles: BATCH_ARTICLES }, schedule: { cron: '* * * * * *' }, ...(store ? { store } : {}) });
    return p;
  };
  const database = async (template?: string): Promise<TestDatabase> => {
    const db = await createTestDatabase(template);
    databases.push(db);
    return db;
  };
  const worker = (p: TempProject, env: NodeJS.ProcessEnv = {}) => runCliAsync(['worker', '--once', '--config', p.configFile, '--now', NOW, '--quiet'], { env: { ...LEASE_ENV, ...env } });
  const leaderOnce = (p: TempProject, env: NodeJS.ProcessEnv = {}) => runCliAsync(['leader', '--once', '--config', p.configFile, '--now', NOW, '--quiet'], { env: { ...POLL_ENV, ...env } });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = path.basename(req.url ?? '/');
      if (name === SLOW_FEED && held) {
        held.push(res);
        slowRequested();
        return;
      }
      try {
        res.writeHead(200, { 'content-type': 'application/xml' }).end(readFileSync(path.join(FEEDS, name)));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The uninterrupted history: one run on SQLite.
    const single = project();
    const ran = await runCliAsync(['run', '--config', single.configFile, '--now', NOW, '--quiet']);
    expect(ran.status, ran.stderr).toBe(0);
    reference = { feed: readFileSync(single.feedFile, 'utf8'), state: await stateOf(single.configFile) };
    expect(reference.state.articles.length).toBeGreaterThan(3 * BATCH_ARTICLES);
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const p of projects) p.cleanup();
    for (const db of databases) await db.drop();
  });

  /** Checks that a store and its feed are those of the uninterrupted run: every article once, assigned, same stories. */
  const expectUninterrupted = async (p: TempProject): Promise<void> => {
    const state = await stateOf(p.configFile);
    expect(state.articles).toEqual(reference.state.articles);
    expect(state.members).toEqual(reference.state.members);
    // Each article decided once (a killed batch's decisions were rolled back with it).
    expect(state.decisions).toEqual(reference.state.decisions);
    expect(readFileSync(p.feedFile, 'utf8')).toBe(reference.feed);
  };

  onPostgres(`loses nothing when a worker is SIGKILLed mid-job: the source is read by another once its lease lapses${skipped}`, async () => {
    const db = await database();
    const p = project({ url: db.url });
    held = [];
    const requested = new Promise<void>((resolve) => (slowRequested = resolve));
    const child = spawnCli(['worker', '--once', '--config', p.configFile, '--now', NOW, '--quiet'], { env: LEASE_ENV });
    const lines = followLines(child);
    await requested;
    child.kill('SIGKILL');
    expect((await lines.ended).signal).toBe('SIGKILL');
    for (const res of held) res.destroy();
    held = undefined;
    // The killed worker's lease on the source it was reading lapses; nothing else frees it.
    await until(async () => (await sql(db.url, "SELECT 1 FROM sources WHERE id = 'metro' AND lease_until > now()")).length === 0, "the killed worker's lease to lapse");
    const second = await worker(p);
    expect(second.status, second.stderr).toBe(0);
    const led = await leaderOnce(p);
    expect(led.status, led.stderr).toBe(0);
    await expectUninterrupted(p);
  }, 60_000);

  /** Kills a `leader --once` at each point (each from a copy of the workers' commits), runs the next, and checks the outcome. */
  const killLeaderAt = async (points: string[], copies: TempProject[]): Promise<void> => {
    // Two at a time: each kill point is a pair of processes.
    const lanes = [0, 1].map(async (lane) => {
      for (let i = lane; i < points.length; i += 2) {
        const [point, p] = [points[i] as string, copies[i] as TempProject];
        const killed = await leaderOnce(p, { FEEDFOLD_KILL_AT: point });
        expect(killed.signal, `${point}: ${killed.stderr}`).toBe('SIGKILL');
        const next = await leaderOnce(p);
        expect(next.status, `${point}: ${next.stderr}`).toBe(0);
        await expectUninterrupted(p);
      }
    });
    await Promise.all(lanes);
  };
  const killPoints = (): string[] => {
    const batches = Math.ceil(reference.state.articles.length / BATCH_ARTICLES);
    return ['decision:1', 'batch-committed:1', `batch-committed:${batches - 1}`, 'before-commit:1', 'publish-feed:1'];
  };

  onPostgres(`loses nothing when the leader is SIGKILLed at a batch checkpoint: the next leader assigns the rest${skipped}`, async () => {
    // The workers' commits, made once; every kill point starts from a copy of them.
    const fetched = await database();
    const read = await worker(project({ url: fetched.url }));
    expect(read.status, read.stderr).toBe(0);
    const points = killPoints();
    const copies: TempProject[] = [];
    for (const _ of points) copies.push(project({ url: (await database(fetched.name)).url }));
    await killLeaderAt(points, copies);
  }, 120_000);

  it('loses nothing when the leader is SIGKILLed at a batch checkpoint on SQLite, where the run lock keeps runs apart', async () => {
    const fetched = project();
    const read = await worker(fetched);
    expect(read.status, read.stderr).toBe(0);
    const points = killPoints().slice(0, 3);
    const copies = points.map(() => {
      const p = project();
      cpSync(fetched.outDir, p.outDir, { recursive: true });
      return p;
    });
    await killLeaderAt(points, copies);
  }, 120_000);

  onPostgres(`elects one leader of two: the other stands by, assigns nothing, and takes over when the first is SIGKILLed${skipped}`, async () => {
    const db = await database();
    const p = project({ url: db.url });
    const read = await worker(p);
    expect(read.status, read.stderr).toBe(0);
    // Two leaders of one feed, each publishing into an out folder of its own.
    const outA = path.join(p.dir, 'out-a');
    const outB = path.join(p.dir, 'out-b');
    const start = (out: string) => {
      const child = spawnCli(['leader', '--config', p.configFile, '--out', out, '--now', NOW], { env: POLL_ENV });
      return { child, lines: followLines(child) };
    };
    const a = start(outA);
    try {
      await a.lines.waitFor(/leading feed/);
      await a.lines.waitFor(/^run \d+:/);
      const b = start(outB);
      try {
        await b.lines.waitFor(/standby for feed/);
        // A second cycle of the leader after the standby started: the standby still has not assigned or published.
        const runsBefore = a.lines.lines.filter((l) => /^run \d+:/.test(l)).length;
        await until(async () => a.lines.lines.filter((l) => /^run \d+:/.test(l)).length > runsBefore, "the leader's next cycle");
        expect(b.lines.lines.filter((l) => /leading|^run /.test(l))).toEqual([]);
        expect(existsSync(path.join(outB, 'feed.atom'))).toBe(false);
        expect(readFileSync(path.join(outA, 'feed.atom'), 'utf8')).toBe(reference.feed);

        a.child.kill('SIGKILL');
        expect((await a.lines.ended).signal).toBe('SIGKILL');
        await b.lines.waitFor(/leading feed/);
        await b.lines.waitFor(/^run \d+:/);
        expect(readFileSync(path.join(outB, 'feed.atom'), 'utf8')).toBe(reference.feed);
        b.child.kill('SIGTERM');
        expect((await b.lines.ended).status).toBe(0);
      } finally {
        b.child.kill('SIGKILL');
      }
    } finally {
      a.child.kill('SIGKILL');
    }
    cpSync(path.join(outB, 'feed.atom'), p.feedFile);
    await expectUninterrupted(p);
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSources } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config/load-config.js';
import { openStore } from '../../src/store/open-store.js';
import { runCliAsync } from '../helpers/cli.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { createTestDatabase, postgresMissing, type TestDatabase } from '../helpers/postgres.js';
import { tempProject, type TempProject } from '../helpers/project.js';

/**
 * Fetch workers on PostgreSQL: two `feedfold worker --once` at the same time read every source
 * once between them (each leases its own), and `feedfold run --no-fetch` then publishes the feed
 * that one `feedfold run` on SQLite publishes from the same fixtures and --now, byte for byte.
 */

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const NOW = '2025-03-05T18:00:00.000Z';
/** Each answer waits this long, so the two workers are reading at the same time. */
const ANSWER_DELAY_MS = 200;
/** Far longer than a worker takes to start and stop. */
const HELD_UP_MS = 30_000;

const pgMissing = await postgresMissing();
if (pgMissing) console.warn(`feedfold worker: skipped: ${pgMissing}`);

describe.skipIf(pgMissing !== undefined)(`feedfold worker on PostgreSQL${pgMissing ? ` (skipped: ${pgMissing})` : ''}`, () => {
  let server: Server;
  let base = '';
  let db: TestDatabase;
  const requests = new Map<string, number>();
  const projects: TempProject[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = path.basename(req.url ?? '/');
      requests.set(name, (requests.get(name) ?? 0) + 1);
      setTimeout(() => {
        try {
          res.writeHead(200, { 'content-type': 'application/xml' }).end(readFileSync(path.join(FEEDS, name)));
        } catch {
          res.writeHead(404).end();
        }
      }, ANSWER_DELAY_MS);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const p of projects) p.cleanup();
    await db?.drop();
  });

  it('read each source once between them, and the feed equals a single run on SQLite', async () => {
    const sources = [
      { id: 'gazette', url: `${base}/wire-rss20.xml` },
      { id: 'metro', url: `${base}/metro-atom.xml` },
      { id: 'coast', url: `${base}/coast-jsonfeed.json` },
      { id: 'seeds', dir: path.join(ROOT, 'seeds') },
    ];
    const sqlite = tempProject();
    const postgres = tempProject();
    projects.push(sqlite, postgres);
    sqlite.writeConfig({ sources });
    postgres.writeConfig({ sources, store: { url: db.url } });
    const single = await runCliAsync(['run', '--config', sqlite.configFile, '--now', NOW, '--quiet']);
    expect(single.status, single.stderr).toBe(0);
    requests.clear();

    const worker = () => runCliAsync(['worker', '--once', '--limit', '1', '--config', postgres.configFile, '--now', NOW]);
    const workers = await Promise.all([worker(), worker()]);
    for (const w of workers) expect(w.status, w.stderr).toBe(0);
    // Every feed once, whichever worker leased it (how the sources split between the two depends on when each started).
    expect(Object.fromEntries(requests)).toEqual({ 'wire-rss20.xml': 1, 'metro-atom.xml': 1, 'coast-jsonfeed.json': 1 });

    const leader = await runCliAsync(['run', '--no-fetch', '--config', postgres.configFile, '--now', NOW, '--quiet']);
    expect(leader.status, leader.stderr).toBe(0);
    expect(requests.size).toBe(3);
    expect(readFileSync(postgres.feedFile, 'utf8')).toBe(readFileSync(sqlite.feedFile, 'utf8'));
  }, 120_000);

  it('start on an unchanged config without writing its sources, so others leasing them are not held up', async () => {
    const own = await createTestDatabase();
    const project = tempProject();
    projects.push(project);
    project.writeConfig({ sources: [{ id: 'gazette', url: `${base}/wire-rss20.xml` }, { id: 'metro', url: `${base}/metro-atom.xml` }], store: { url: own.url } });
    const worker = () => runCliAsync(['worker', '--once', '--config', project.configFile, '--now', NOW, '--quiet']);
    const holder = new pg.Client({ connectionString: own.url });
    let second: ReturnType<typeof worker> | undefined;
    try {
      const first = await worker();
      expect(first.status, first.stderr).toBe(0);
      // Another transaction holds every source row, as a worker leasing or committing them does.
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM sources FOR UPDATE');
      second = worker();
      // Writing the sources again would wait for that transaction; a worker with nothing to lease stops at once.
      const outcome = await Promise.race([second, new Promise<'held up'>((resolve) => setTimeout(() => resolve('held up'), HELD_UP_MS))]);
      expect(outcome === 'held up' ? outcome : outcome.status).toBe(0);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await second;
      await own.drop();
    }
  }, 120_000);

  it('with --once, wait for due sources whose rows another transaction holds for a moment, not stop with them unread', async () => {
    const own = await createTestDatabase();
    const project = tempProject();
    projects.push(project);
    project.writeConfig({ sources: [{ id: 'gazette', url: `${base}/wire-rss20.xml` }, { id: 'metro', url: `${base}/metro-atom.xml` }], store: { url: own.url } });
    const config = loadConfig(project.configFile);
    const store = await openStore(config);
    const holder = new pg.Client({ connectionString: own.url });
    const watcher = new pg.Client({ connectionString: own.url });
    let worker: ReturnType<typeof runCliAsync> | undefined;
    try {
      // The sources are stored and due, as after a worker starting first wrote them; a second worker starting on the
      // new store is writing them again, holding their rows until it commits.
      const specs = await runSources(config, undefined);
      await store.unitOfWork(() => store.sources.upsertSources(specs.map((spec) => ({ spec, origin: 'config' }))));
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM sources FOR UPDATE');
      const before = { wire: requests.get('wire-rss20.xml') ?? 0, metro: requests.get('metro-atom.xml') ?? 0 };
      worker = runCliAsync(['worker', '--once', '--config', project.configFile, '--now', NOW, '--quiet']);
      let exited = false;
      void worker.then(() => {
        exited = true;
      });
      // The worker has tried to lease and found every due row held once it counts the due sources nobody leases (or
      // it has stopped, leaving them unread).
      await watcher.connect();
      for (let waited = 0; !exited && waited < HELD_UP_MS; waited += 50) {
        const counting = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT count(*) AS n FROM sources%'`);
        if ((counting.rowCount ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await store.sources.countClaimable(NOW, new Date().toISOString())).toBe(2);
      await holder.query('COMMIT');
      const done = await worker;
      expect(done.status, done.stderr).toBe(0);
      expect({ wire: (requests.get('wire-rss20.xml') ?? 0) - before.wire, metro: (requests.get('metro-atom.xml') ?? 0) - before.metro }).toEqual({ wire: 1, metro: 1 });
      expect(await store.sources.countClaimable(NOW, new Date().toISOString())).toBe(0);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await watcher.end();
      await worker;
      await store.close();
      await own.drop();
    }
  }, 120_000);
});

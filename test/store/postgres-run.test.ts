import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { createTestDatabase, postgresMissing, type TestDatabase } from '../helpers/postgres.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { serveFeedFolder } from '../helpers/feed-folder-server.js';

/**
 * `feedfold run` on PostgreSQL publishes the very feed it publishes on SQLite: same loopback
 * fixtures, same --now, byte for byte (same entry ids), over a first run and a later one that
 * brings more sources. PostgreSQL is chosen by store.url in the config for the first run and by
 * FEEDFOLD_DATABASE_URL for the second.
 */

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const NOW_1 = '2025-03-05T12:00:00.000Z';
const NOW_2 = '2025-03-05T18:00:00.000Z';

const pgMissing = await postgresMissing();
if (pgMissing) console.warn(`feedfold run on PostgreSQL: skipped: ${pgMissing}`);

describe.skipIf(pgMissing !== undefined)(`feedfold run on PostgreSQL and on SQLite${pgMissing ? ` (skipped: ${pgMissing})` : ''}`, () => {
  let server: Server;
  let base = '';
  let work = '';
  let db: TestDatabase;
  let sqlite: TempProject;
  let postgres: TempProject;

  beforeAll(async () => {
    ({ server, base } = await serveFeedFolder(FEEDS));
    work = mkdtempSync(path.join(os.tmpdir(), 'feedfold-pgrun-'));
    db = await createTestDatabase();
    sqlite = tempProject();
    postgres = tempProject();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    sqlite?.cleanup();
    postgres?.cleanup();
    rmSync(work, { recursive: true, force: true });
    await db?.drop();
  });

  it('publishes byte-identical feeds, the same entry ids, run after run', async () => {
    const phase1 = [
      { id: 'gazette', url: `${base}/wire-rss20.xml` },
      { id: 'metro', url: `${base}/metro-atom.xml` },
    ];
    // One seeds folder for both, so the local articles' locations are the same.
    const phase2 = [...phase1, { id: 'coast', url: `${base}/coast-jsonfeed.json` }, { id: 'seeds', dir: path.join(ROOT, 'seeds') }];
    const run = async (project: TempProject, now: string, env: NodeJS.ProcessEnv = {}) => {
      const result = await runCliAsync(['run', '--config', project.configFile, '--now', now, '--quiet'], { env: { FEEDFOLD_DATABASE_URL: '', ...env } });
      expect(result.status, result.stderr).toBe(0);
      return readFileSync(project.feedFile);
    };

    sqlite.writeConfig({ sources: phase1 });
    postgres.writeConfig({ sources: phase1, store: { url: db.url } });
    const first = await run(sqlite, NOW_1);
    expect((await run(postgres, NOW_1)).equals(first)).toBe(true);

    sqlite.writeConfig({ sources: phase2 });
    postgres.writeConfig({ sources: phase2 });
    const second = await run(sqlite, NOW_2);
    const secondPg = await run(postgres, NOW_2, { FEEDFOLD_DATABASE_URL: db.url });
    expect(secondPg.toString('utf8')).toBe(second.toString('utf8'));
    expect(existsSync(path.join(postgres.outDir, 'feedfold.db'))).toBe(false);

    const ids = (xml: Buffer) => (parseAtomFeed(xml.toString('utf8')).entries ?? []).map((e) => e.id);
    expect(ids(second).length).toBeGreaterThan(ids(first).length);
    expect(ids(secondPg)).toEqual(ids(second));
  }, 120_000);
});

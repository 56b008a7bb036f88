import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';

/**
 * Crash safety (DESIGN.md "State"): a run killed with SIGKILL at any point leaves a store the next
 * run completes from, and a published feed that is the old one or the new one, never half. Kill
 * points are the run's named checkpoints (FEEDFOLD_KILL_AT=label:n), reached in a real child
 * process that SIGKILLs itself there: between sources, inside the store transaction after each
 * article and decision, before the commit, and around each atomic file write.
 */

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const SEEDS = path.join(ROOT, 'seeds');
const NOW_1 = '2025-03-05T12:00:00.000Z';
const NOW_2 = '2025-03-05T18:00:00.000Z';

/** Checkpoints a run passes, with how many times, for a run that reads `sources` sources and `articles` new articles. */
function killPoints(sources: number, articles: number): string[] {
  const points: string[] = [];
  for (let i = 1; i <= sources; i++) points.push(`source-read:${i}`);
  points.push('fetched:1');
  for (let i = 1; i <= articles; i++) points.push(`insert-article:${i}`, `decision:${i}`);
  points.push('before-commit:1', 'committed:1', 'publish-feed:1', 'published:1', 'finished:1', 'publish-report:1');
  return points;
}

interface Snapshot {
  articles: string[];
  /** Story id → sorted member article ids. */
  partition: Map<string, string[]>;
  entryIds: string[];
}

function snapshot(project: TempProject): Snapshot {
  const store = openStore(project.configFile);
  try {
    const rows = store.db.prepare('SELECT article_id, story_id FROM story_members ORDER BY article_id').all() as { article_id: string; story_id: string }[];
    const partition = new Map<string, string[]>();
    for (const r of rows) partition.set(r.story_id, [...(partition.get(r.story_id) ?? []), r.article_id]);
    const articles = (store.db.prepare('SELECT id FROM articles ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const feed = parseAtomFeed(readFileSync(project.feedFile, 'utf8'));
    return { articles, partition, entryIds: (feed.entries ?? []).map((e) => e.id as string).sort() };
  } finally {
    store.close();
  }
}

describe('crash safety: SIGKILL at every checkpoint of a run', () => {
  let server: Server;
  let base: string;
  let work: string;
  const phase1Sources = (): Record<string, unknown>[] => [
    { id: 'gazette', url: `${base}/wire-rss20.xml` },
    { id: 'metro', url: `${base}/metro-atom.xml` },
  ];
  const phase2Sources = (seedsDir: string): Record<string, unknown>[] => [
    ...phase1Sources(),
    { id: 'coast', url: `${base}/coast-jsonfeed.json` },
    { id: 'seeds', dir: seedsDir },
  ];
  let reference: Snapshot;
  let phase1Dir: string;
  let phase2Dir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      try {
        res.writeHead(200, { 'content-type': 'application/xml' }).end(readFileSync(path.join(FEEDS, path.basename(req.url ?? '/'))));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    work = mkdtempSync(path.join(os.tmpdir(), 'feedfold-crash-'));

    // Phase 1 state, copied before each phase-2 kill; and the uninterrupted reference run.
    const p1 = tempProject();
    p1.writeConfig({ sources: phase1Sources() });
    await runPipeline(p1.configFile, NOW_1);
    phase1Dir = path.join(work, 'phase1');
    cpSync(p1.dir, phase1Dir, { recursive: true });
    p1.cleanup();

    const ref = tempProject();
    ref.writeConfig({ sources: phase1Sources() });
    await runPipeline(ref.configFile, NOW_1);
    ref.writeConfig({ sources: phase2Sources(SEEDS) });
    await runPipeline(ref.configFile, NOW_2);
    reference = snapshot(ref);
    phase2Dir = path.join(work, 'phase2');
    cpSync(ref.dir, phase2Dir, { recursive: true });
    ref.cleanup();
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Kills a run at `point`, checks the feed on disk, finishes with a clean run, compares with the reference. */
  async function crashAndRecover(phase: 1 | 2 | 3, point: string, index: number): Promise<void> {
    const dir = path.join(work, `p${phase}-${index}`);
    let project: TempProject;
    if (phase === 1) {
      project = tempProject();
      project.writeConfig({ sources: phase1Sources() });
    } else {
      cpSync(phase === 2 ? phase1Dir : phase2Dir, dir, { recursive: true });
      project = tempProject({}, dir);
      project.writeConfig({ sources: phase2Sources(SEEDS) });
    }
    const before = existsSync(project.feedFile) ? readFileSync(project.feedFile) : undefined;
    const killed = await runCliAsync(['run', '--config', project.configFile, '--now', phase === 1 ? NOW_1 : NOW_2, '--quiet'], { env: { FEEDFOLD_KILL_AT: point } });
    expect(killed.signal, `${point}: the run should have been killed there (stderr: ${killed.stderr})`).toBe('SIGKILL');

    // The feed on disk is whole: the old bytes, or a complete new document.
    if (existsSync(project.feedFile)) {
      const now = readFileSync(project.feedFile);
      if (!before || !now.equals(before)) {
        const feed = parseAtomFeed(now.toString('utf8'));
        const ids = (feed.entries ?? []).map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(now.toString('utf8').trimEnd().endsWith('</feed>')).toBe(true);
      }
    } else {
      expect(before).toBeUndefined();
    }

    // The next run (phase 1 state is finished by a second phase-1 run first) completes the work.
    if (phase === 1) {
      await runPipeline(project.configFile, NOW_1);
      project.writeConfig({ sources: phase2Sources(SEEDS) });
    }
    await runPipeline(project.configFile, NOW_2);
    const after = snapshot(project);
    expect(after.articles, `articles after a kill at ${point}`).toEqual(reference.articles);
    expect(after.entryIds, `feed entries after a kill at ${point}`).toEqual(reference.entryIds);
    expect([...after.partition.entries()].sort(), `stories after a kill at ${point}`).toEqual([...reference.partition.entries()].sort());
    expect(readdirSync(project.outDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    rmSync(project.dir, { recursive: true, force: true });
  }

  it('recovers from kills in a first run (2 feeds, 4 articles), a later run (4 sources, 7 new articles) and a run with nothing new', async () => {
    const phase1 = killPoints(2, 4);
    const phase2 = killPoints(4, 7);
    const phase3 = killPoints(4, 0);
    expect(phase1.length + phase2.length + phase3.length).toBeGreaterThanOrEqual(50);
    let i = 0;
    for (const point of phase1) await crashAndRecover(1, point, i++);
    for (const point of phase2) await crashAndRecover(2, point, i++);
    for (const point of phase3) await crashAndRecover(3, point, i++);
  }, 600_000);
});

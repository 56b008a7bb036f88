import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { loadOverrides } from '../../src/config/overrides.js';
import { createLogger } from '../../src/log/create-logger.js';
import { runOnce } from '../../src/pipeline.js';
import { applyWorkerEdits } from '../../src/pipeline/apply-edits.js';
import { buildIndex, IndexKeeper } from '../../src/pipeline/kept-index.js';
import { createParsePool } from '../../src/pipeline/parse-pool.js';
import { runSources } from '../../src/cli/context.js';
import { openStore as openConfiguredStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import { serveSlidingNews, SLIDING_FEEDS, type SlidingNews, type SlidingNewsServer } from '../helpers/sliding-news.js';

/**
 * A daemon keeps its story index between cycles instead of reading the window from the store each
 * run: it lets go of what left the window and adds what it assigns. Its decisions must be those of
 * a fresh rebuild. One store is run cycle after cycle with a kept index, another with one fresh run
 * per cycle, over news that slides with time (new stories each cycle, versions of one story from
 * several feeds, a window of two hours passed several times over, a quiet stretch, a worker's edit between two
 * cycles, another process's run on the kept store): after every cycle both feeds
 * are byte-identical and both stores hold the same stories and decisions.
 */

const NEWS: SlidingNews = { startMs: Date.parse('2025-03-01T00:00:00Z'), cycleStepMs: 10 * 60_000, windowStories: 18, newStoriesPerCycle: 3 };
const CYCLES = 28;
const WINDOW_HOURS = 2;

/**
 * The news a cycle serves: it stands still from cycle 12 to 19 (80 minutes without a new item), then goes on where it
 * stopped, its items dated 80 minutes before the runs that read them. An index that let go of articles by their own
 * dates only would then still hold articles first seen before the store's window (the newest article is old).
 */
const newsCycle = (c: number): number => (c < 12 ? c : c < 20 ? 11 : c - 8);
/** The cycle run by another process on the kept index's store. */
const OTHER_PROCESS_CYCLE = 8;
/** The cycle after which a worker applies an edit (a source re-sent an item with a new title) to both stores. */
const EDIT_CYCLE = 4;

/** Applies, as a fetch worker would, an edit of the oldest article in the window (its title changed). */
async function editOldest(store: Store, now: string, windowSince: string): Promise<string> {
  const [oldest] = await store.articles.windowArticles(windowSince);
  if (!oldest) throw new Error('nothing in the window to edit');
  const edited = { ...oldest.article, title: `${oldest.article.title}, updated`, sourceHash: 'edited' };
  const logger = createLogger({ level: 'silent' });
  expect(await applyWorkerEdits(store, [edited], { overrides: { merge: [], split: [], pin: [] }, policy: { policy: 'earliest-complete', completeRatio: 0.8 }, now, logger })).toBe(1);
  return oldest.article.id;
}

async function partitionOf(store: Store): Promise<{ members: string[]; decisions: string[] }> {
  const state = await store.snapshot();
  return {
    members: state.members.map((m) => `${m.articleId} ${m.storyId}`),
    decisions: state.decisions.map((d) => `${d.articleId} ${d.storyId} ${d.action}`),
  };
}

describe('a kept story index', () => {
  let server: SlidingNewsServer;
  const projects: TempProject[] = [];
  beforeAll(async () => {
    server = await serveSlidingNews(NEWS);
  });
  afterAll(async () => {
    for (const p of projects) p.cleanup();
    await server.close();
  });

  it('gives the feed and decisions of a fresh rebuild, cycle after cycle, as the window slides', async () => {
    const config = { sources: SLIDING_FEEDS.map((id) => ({ id, url: `${server.base}/${id}.xml` })), cluster: { windowHours: WINDOW_HOURS } };
    const kept = tempProject(config);
    const fresh = tempProject(config);
    projects.push(kept, fresh);
    const keptConfig = loadConfig(kept.configFile);
    const store = await openConfiguredStore(keptConfig);
    const logger = createLogger({ level: 'info', file: keptConfig.logFile });
    const parsePool = createParsePool();
    const keeper = new IndexKeeper();
    const held: number[] = [];
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        server.setCycle(newsCycle(cycle));
        const now = new Date(NEWS.startMs + cycle * NEWS.cycleStepMs).toISOString();
        const deps = { config: keptConfig, store, logger, now, sources: await runSources(keptConfig, store), overrides: loadOverrides(keptConfig.overridesFile), version: '0.0.0-test', parsePool, keeper };
        // Once, another process runs on the daemon's store (a `feedfold run` from cron): the next cycle must read the window again.
        const ran = cycle === OTHER_PROCESS_CYCLE ? await runPipeline(kept.configFile, now) : await runOnce(deps);
        expect(ran.articlesNew > 0, `cycle ${cycle}`).toBe(newsCycle(cycle) !== newsCycle(cycle - 1));
        // It holds what an index rebuilt from the store now would hold: what left the window is gone.
        if (cycle !== OTHER_PROCESS_CYCLE) expect(keeper.size(), `held after cycle ${cycle}`).toBe((await buildIndex(deps, new Map())).size());
        held.push(keeper.size());
        await runPipeline(fresh.configFile, now);
        expect(readFileSync(kept.feedFile, 'utf8'), `feed after cycle ${cycle}`).toBe(readFileSync(fresh.feedFile, 'utf8'));
        if (cycle === EDIT_CYCLE) {
          // Between two cycles a worker applies an edit: the next cycle must read the window again, as a fresh run does.
          const since = new Date(Date.parse(now) - WINDOW_HOURS * 3_600_000).toISOString();
          const other = await openStore(fresh.configFile);
          try {
            expect(await editOldest(other, now, since)).toBe(await editOldest(store, now, since));
          } finally {
            await other.close();
          }
        }
      }
      const other = await openStore(fresh.configFile);
      try {
        expect(await partitionOf(store)).toEqual(await partitionOf(other));
      } finally {
        await other.close();
      }
    } finally {
      await parsePool.close();
      await store.close();
    }
    // The index was read from the store at the first cycle, after the worker's edit and after the other process's run,
    // else kept (20 cycles brought articles, one of them to the other process); the window slid past its first articles.
    expect({ rebuilds: keeper.rebuilds, reuses: keeper.reuses }).toEqual({ rebuilds: 3, reuses: 16 });
    expect(held.at(-1)).toBeLessThan(Math.max(...held));
  }, 120_000);

  it('lets go of the articles it was built from', async () => {
    const project = tempProject({ sources: SLIDING_FEEDS.map((id) => ({ id, url: `${server.base}/${id}.xml` })) });
    projects.push(project);
    for (let cycle = 0; cycle < 3; cycle++) {
      server.setCycle(cycle);
      await runPipeline(project.configFile, new Date(NEWS.startMs + cycle * NEWS.cycleStepMs).toISOString());
    }
    const config = loadConfig(project.configFile);
    const store = await openConfiguredStore(config);
    try {
      // The store's own window, watched: each article it gives is held weakly here.
      const read = store.articles.windowArticles.bind(store.articles);
      const watched: WeakRef<object>[] = [];
      store.articles.windowArticles = async (since) => {
        const window = await read(since);
        for (const { article } of window) watched.push(new WeakRef(article));
        return window;
      };
      const now = new Date(NEWS.startMs + 2 * NEWS.cycleStepMs).toISOString();
      const index = await buildIndex({ config, store, now, overrides: loadOverrides(config.overridesFile) }, new Map());
      // A weak reference holds its target to the end of the task that made it: collect in a later one.
      await sleep(0);
      v8.setFlagsFromString('--expose-gc');
      (vm.runInNewContext('gc') as () => void)();
      expect(watched.length).toBeGreaterThan(0);
      expect(index.size()).toBe(watched.length);
      expect(watched.filter((ref) => ref.deref() !== undefined).length, 'articles still alive beside the index').toBe(0);
    } finally {
      await store.close();
    }
  });
});

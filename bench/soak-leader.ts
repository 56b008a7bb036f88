/**
 * Soak benchmark of a long-lived clustering process (the daemon, `feedfold leader`): cycles in one process with the
 * story index kept between them, on SQLite and on PostgreSQL, while the clustering window fills (72 hours at 10
 * minutes per cycle: full after 432 cycles) and then slides. The sliding news of bench/soak.ts is served on loopback.
 *
 * Each store prints one line, `bench-soak-leader: store=… cycles=N first_ms=… last_ms=… flat=yes|no
 * held_bytes_per_article=…`: first_ms and last_ms are the median wall time of a cycle over the first and the last
 * tenth of the cycles (the very first cycle, a first read, left out); flat=yes when last_ms is at most 1.5 × first_ms
 * (a cycle that read the window again would grow with it: rebuild_ms is what one read of the full window costs).
 * held_bytes_per_article is what the kept index holds per article it holds, as bench/cluster/held-bytes.ts's
 * indexHeldBytes measures it (memory freed when it is dropped), and, for comparison, what an index rebuilt from the
 * store's window at the end holds, measured the same way. PostgreSQL is skipped, said so, when none
 * answers at FEEDFOLD_TEST_DATABASE_URL (default postgres://feedfold@127.0.0.1:5432/feedfold).
 *
 *   npm run bench:soak-leader [-- --cycles 500]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringifyYaml as stringify } from '../src/config/yaml-text.js';
import { runSources } from '../src/cli/context.js';
import { loadConfig } from '../src/config/load-config.js';
import { loadOverrides } from '../src/config/overrides.js';
import { createLogger } from '../src/log/create-logger.js';
import { runOnce } from '../src/pipeline.js';
import type { StoryIndex } from '../src/model/story.js';
import { buildIndex, IndexKeeper } from '../src/pipeline/kept-index.js';
import { createParsePool } from '../src/pipeline/parse-pool.js';
import { openStore } from '../src/store/open-store.js';
import { createTestDatabase, postgresMissing } from '../test/helpers/postgres.js';
import { serveSlidingNews, SLIDING_FEEDS, type SlidingNews, type SlidingNewsServer } from '../test/helpers/sliding-news.js';
import { HELD_BYTES_MEANING, indexHeldBytes } from './cluster/held-bytes.js';
import { cyclesArg } from './cycles-arg.js';

const DEFAULT_CYCLES = 500;
const NEWS: SlidingNews = { startMs: Date.parse('2025-03-01T00:00:00Z'), cycleStepMs: 10 * 60_000, windowStories: 50, newStoriesPerCycle: 3 };
/**
 * Entries of the published feed: few, so the feed is full after a few cycles and its growth (rendering more entries,
 * a longer report) does not hide what the window's does.
 */
const FEED_ENTRIES = 20;
/** A cycle is flat when the last ones take at most this many times the first ones. */
const FLAT_RATIO = 1.5;
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Runs the soak on one store and prints its line. */
async function soak(kind: 'sqlite' | 'postgres', cycles: number, server: SlidingNewsServer, storeUrl?: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-soak-leader-'));
  const configFile = path.join(dir, 'feedfold.yaml');
  writeFileSync(
    configFile,
    stringify({ out: 'out', feed: { maxEntries: FEED_ENTRIES }, fetch: { allowPrivateNetworks: true }, sources: SLIDING_FEEDS.map((id) => ({ id, url: `${server.base}/${id}.xml` })), ...(storeUrl ? { store: { url: storeUrl } } : {}) }),
  );
  const config = loadConfig(configFile);
  const store = await openStore(config);
  const logger = createLogger({ level: 'info', file: config.logFile });
  const overrides = loadOverrides(config.overridesFile);
  const parsePool = createParsePool();
  const keeper = new IndexKeeper();
  const wall: number[] = [];
  const held: number[] = [];
  try {
    for (let c = 0; c < cycles; c++) {
      server.setCycle(c);
      const now = new Date(NEWS.startMs + c * NEWS.cycleStepMs).toISOString();
      const started = performance.now();
      await runOnce({ config, store, logger, now, overrides, sources: await runSources(config, store), version: '0.0.0-soak', parsePool, keeper });
      wall.push(performance.now() - started);
      held.push(keeper.size());
    }
    const tenth = Math.max(2, Math.floor(cycles / 10));
    const first = median(wall.slice(1, 1 + tenth));
    const last = median(wall.slice(-tenth));
    const window = keeper.size();
    const kept = await indexHeldBytes({ size: () => keeper.size(), drop: () => keeper.drop() });
    const now = new Date(NEWS.startMs + (cycles - 1) * NEWS.cycleStepMs).toISOString();
    const rebuildStarted = performance.now();
    let rebuilt: StoryIndex | undefined = await buildIndex({ config, store, now, overrides }, new Map());
    const rebuildMs = performance.now() - rebuildStarted;
    // The same window read back from the store into a new index, measured the same way, for comparison.
    const fromStore = await indexHeldBytes({
      size: () => (rebuilt as StoryIndex).size(),
      drop: () => {
        rebuilt = undefined;
      },
    });
    out(
      `${kind}: ${cycles} cycles, ${await store.articles.countArticles()} articles stored; index ${held[tenth] ?? 0} articles after ${tenth + 1} cycles, ${window} at the end ` +
        `(rebuilt from the store: ${fromStore.window}, in ${rebuildMs.toFixed(0)} ms, holding ${fromStore.bytesPerArticle.toFixed(0)} bytes per article); index rebuilt ${keeper.rebuilds} time(s), kept ${keeper.reuses} time(s)`,
    );
    out(
      `bench-soak-leader: store=${kind} cycles=${cycles} first_ms=${first.toFixed(1)} last_ms=${last.toFixed(1)} flat=${last <= FLAT_RATIO * first ? 'yes' : 'no'} ` +
        `held_bytes_per_article=${kept.bytesPerArticle.toFixed(0)} window_articles=${window} rebuild_ms=${rebuildMs.toFixed(0)}`,
    );
  } finally {
    await parsePool.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if ((globalThis as { gc?: unknown }).gc === undefined) throw new Error('soak-leader: run node with --expose-gc (npm run bench:soak-leader does)');
  const cycles = cyclesArg(process.argv.slice(2), DEFAULT_CYCLES, 20);
  const server = await serveSlidingNews(NEWS);
  out(`== soak-leader: ${cycles} cycles, 3 loopback feeds, ${NEWS.newStoriesPerCycle} new stories per cycle, now += 10 min per cycle, the index kept between cycles`);
  out(`   ${HELD_BYTES_MEANING}`);
  try {
    await soak('sqlite', cycles, server);
    const missing = await postgresMissing();
    if (missing) {
      out(`bench-soak-leader: store=postgres skipped: ${missing}`);
      return;
    }
    const db = await createTestDatabase();
    try {
      await soak('postgres', cycles, server, db.url);
    } finally {
      await db.drop();
    }
  } finally {
    await server.close();
  }
}

await main();

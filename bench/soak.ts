/**
 * Soak benchmark: many pipeline cycles in one process, as a long-lived daemon would run them, to
 * show memory does not grow with history (DESIGN.md "Scale": memory is bounded by the time window).
 * A loopback server serves 3 feeds whose content slides every cycle (a window of ~50 stories, a
 * few new each cycle, versions of the same story across feeds); it answers If-None-Match with 304
 * (RFC 9110 §13.1.2), and the third feed only changes every third cycle, so some cycles are 304s.
 * `runOnce` is called in-process with `now` advancing 10 minutes per cycle. After each cycle the
 * heap is collected and RSS and heapUsed are sampled.
 *
 *   npx tsx bench/soak.ts [--cycles 500]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { stringifyYaml as stringify } from '../src/config/yaml-text.js';
import { cyclesArg } from './cycles-arg.js';
import { runSources } from '../src/cli/context.js';
import { loadConfig } from '../src/config/load-config.js';
import { loadOverrides } from '../src/config/overrides.js';
import { createLogger } from '../src/log/create-logger.js';
import { runOnce } from '../src/pipeline.js';
import { IndexKeeper } from '../src/pipeline/kept-index.js';
import { openStore } from '../src/store/open-store.js';
import { slope } from '../test/helpers/generated-news.js';
import { SLIDING_FEEDS, serveSlidingNews, type SlidingNews } from '../test/helpers/sliding-news.js';

const DEFAULT_CYCLES = 500;
const CYCLE_STEP_MS = 10 * 60_000;
const START_MS = Date.parse('2025-03-01T00:00:00Z');
/** Stories visible in the main feed at once, and how many new ones each cycle brings. */
const WINDOW_STORIES = 50;
const NEW_STORIES_PER_CYCLE = 3;
/** Heap regression covers the last cycles only: the first ones fill the cluster window and caches. */
const REGRESSION_CYCLES = 400;
const BYTES_PER_MB = 1024 * 1024;
const FEEDS: readonly string[] = SLIDING_FEEDS;
const NEWS: SlidingNews = { startMs: START_MS, cycleStepMs: CYCLE_STEP_MS, windowStories: WINDOW_STORIES, newStoriesPerCycle: NEW_STORIES_PER_CYCLE };
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Returns a full collector: `global.gc` under --expose-gc, else one unlocked through V8 flags. */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// --- the soak ---------------------------------------------------------------------------------


async function main(): Promise<void> {
  const cycles = cyclesArg(process.argv.slice(2), DEFAULT_CYCLES, 2);
  const gc = collector();
  const server = await serveSlidingNews(NEWS);
  const base = server.base;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-soak-'));
  const configFile = path.join(dir, 'feedfold.yaml');
  // The feeds are served from loopback, which a run refuses unless private networks are allowed.
  writeFileSync(configFile, stringify({ out: 'out', fetch: { allowPrivateNetworks: true }, sources: FEEDS.map((id) => ({ id, url: `${base}/${id}.xml` })) }));
  const config = loadConfig(configFile);
  const store = await openStore(config);
  const logger = createLogger({ level: 'info', file: config.logFile });
  const overrides = loadOverrides(config.overridesFile);
  // The daemon keeps its story index between cycles.
  const keeper = new IndexKeeper();

  out(`== soak: ${cycles} cycles, 3 loopback feeds, window ${WINDOW_STORIES} stories, ${NEW_STORIES_PER_CYCLE} new per cycle, now += 10 min per cycle`);
  const heap: number[] = [];
  let peakRss = 0;
  let totalMs = 0;
  let totalCpuUs = 0;
  let articlesNew = 0;
  const every = Math.max(1, Math.round(cycles / 10));
  try {
    for (let c = 0; c < cycles; c++) {
      server.setCycle(c);
      const now = new Date(START_MS + c * CYCLE_STEP_MS).toISOString();
      const started = performance.now();
      const cpu = process.cpuUsage();
      const summary = await runOnce({ config, store, logger, now, overrides, sources: await runSources(config, store), version: '0.0.0-soak', keeper });
      totalMs += performance.now() - started;
      const used = process.cpuUsage(cpu);
      totalCpuUs += used.user + used.system;
      articlesNew += summary.articlesNew;
      gc();
      const mem = process.memoryUsage();
      peakRss = Math.max(peakRss, mem.rss);
      heap.push(mem.heapUsed);
      if ((c + 1) % every === 0 || c + 1 === cycles) {
        out(
          `cycle ${String(c + 1).padStart(4)}: rss ${(mem.rss / BYTES_PER_MB).toFixed(1)} MB, heapUsed ${(mem.heapUsed / BYTES_PER_MB).toFixed(1)} MB, ` +
            `articles ${await store.articles.countArticles()}, last run ${summary.durationMs} ms (${summary.articlesNew} new)`,
        );
      }
    }
    const tail = heap.slice(-Math.min(REGRESSION_CYCLES, Math.max(2, Math.floor(cycles * 0.8))));
    const slopeKb = slope(tail) / 1024;
    const stories = (await store.snapshot()).stories.length;
    out(`store: ${await store.articles.countArticles()} articles (${articlesNew} new over the soak), ${stories} stories`);
    out(`loopback server: ${server.served.ok} responses 200, ${server.served.notModified} responses 304`);
    // CPU time too: on a shared machine wall time also measures the neighbours.
    out(`mean cycle ${(totalMs / cycles).toFixed(1)} ms wall, ${(totalCpuUs / 1000 / cycles).toFixed(1)} ms cpu; peak rss ${(peakRss / BYTES_PER_MB).toFixed(1)} MB; heapUsed slope over the last ${tail.length} cycles ${slopeKb.toFixed(2)} KB/cycle`);
    out(`bench-soak: cycles=${cycles} peak_rss_mb=${(peakRss / BYTES_PER_MB).toFixed(1)} heap_slope_kb_per_cycle=${slopeKb.toFixed(2)}`);
  } finally {
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

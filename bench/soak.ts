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
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { stringify } from 'yaml';
import { runSources } from '../src/cli/context.js';
import { loadConfig } from '../src/config/load-config.js';
import { loadOverrides } from '../src/config/overrides.js';
import { createLogger } from '../src/log/create-logger.js';
import { runOnce } from '../src/pipeline.js';
import { openStore } from '../src/store/open-store.js';
import { escapeXml, rewrite, slope, story } from './news.js';

const DEFAULT_CYCLES = 500;
const CYCLE_STEP_MS = 10 * 60_000;
const START_MS = Date.parse('2025-03-01T00:00:00Z');
/** Stories visible in the main feed at once, and how many new ones each cycle brings. */
const WINDOW_STORIES = 50;
const NEW_STORIES_PER_CYCLE = 3;
/** Heap regression covers the last cycles only: the first ones fill the cluster window and caches. */
const REGRESSION_CYCLES = 400;
const BYTES_PER_MB = 1024 * 1024;
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function cyclesArg(argv: string[]): number {
  const i = argv.indexOf('--cycles');
  const n = i >= 0 ? Number(argv[i + 1]) : DEFAULT_CYCLES;
  if (!Number.isInteger(n) || n < 2) throw new Error(`--cycles: expected an integer >= 2, got ${argv[i + 1]}`);
  return n;
}

/** Returns a full collector: `global.gc` under --expose-gc, else one unlocked through V8 flags. */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const storyTime = (k: number): string => new Date(START_MS + Math.floor(k / NEW_STORIES_PER_CYCLE) * CYCLE_STEP_MS).toUTCString();

function rssFeed(name: string, stories: number[], outlet?: { name: string; every: number }): string {
  const items = stories
    .map((k) => {
      const s = outlet ? rewrite(story(k), outlet.name, outlet.every) : story(k);
      const html = s.paragraphs.map((p) => `<p>${p}</p>`).join('');
      return (
        `<item><title>${escapeXml(s.title)}</title><link>http://${name}.test/news/${k}?utm_source=rss</link>` +
        `<guid isPermaLink="false">${name}-${k}</guid><pubDate>${storyTime(k)}</pubDate>` +
        `<description><![CDATA[${html}<p>Share this story: Facebook | Twitter | Email</p>]]></description></item>`
      );
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${name}</title><link>http://${name}.test/</link><description>${name} news</description>\n${items}\n</channel></rss>\n`;
}

/** The stories a feed carries at a cycle: wire has all of the window; the others a share, with their own wording. */
function feedBody(name: string, cycle: number): string {
  // The third feed moves only every third cycle, so its conditional GETs are mostly 304s.
  const c = name === 'coast' ? cycle - (cycle % 3) : cycle;
  const newest = (c + 1) * NEW_STORIES_PER_CYCLE;
  const window: number[] = [];
  for (let k = Math.max(0, newest - WINDOW_STORIES); k < newest; k++) window.push(k);
  if (name === 'wire') return rssFeed(name, window);
  if (name === 'metro') return rssFeed(name, window.filter((k) => k % 2 === 0), { name: 'Metro', every: 17 });
  return rssFeed(name, window.filter((k) => k % 3 === 0), { name: 'Coast', every: 13 });
}

// --- loopback server --------------------------------------------------------------------------

const FEEDS = ['wire', 'metro', 'coast'];
const served = { ok: 0, notModified: 0 };
let currentCycle = 0;

function answer(req: IncomingMessage, res: ServerResponse): void {
  const name = (req.url ?? '/').replace(/^\//, '').replace(/\.xml$/, '');
  if (!FEEDS.includes(name)) {
    res.writeHead(404).end();
    return;
  }
  const body = feedBody(name, currentCycle);
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  if (req.headers['if-none-match'] === etag) {
    served.notModified++;
    res.writeHead(304, { etag }).end();
    return;
  }
  served.ok++;
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
}

// --- the soak ---------------------------------------------------------------------------------

async function main(): Promise<void> {
  const cycles = cyclesArg(process.argv.slice(2));
  const gc = collector();
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-soak-'));
  const configFile = path.join(dir, 'feedfold.yaml');
  // The feeds are served from loopback, which a run refuses unless private networks are allowed.
  writeFileSync(configFile, stringify({ out: 'out', fetch: { allowPrivateNetworks: true }, sources: FEEDS.map((id) => ({ id, url: `${base}/${id}.xml` })) }));
  const config = loadConfig(configFile);
  const store = await openStore(config);
  const logger = createLogger({ level: 'info', file: config.logFile });
  const overrides = loadOverrides(config.overridesFile);

  out(`== soak: ${cycles} cycles, 3 loopback feeds, window ${WINDOW_STORIES} stories, ${NEW_STORIES_PER_CYCLE} new per cycle, now += 10 min per cycle`);
  const heap: number[] = [];
  let peakRss = 0;
  let totalMs = 0;
  let totalCpuUs = 0;
  let articlesNew = 0;
  const every = Math.max(1, Math.round(cycles / 10));
  try {
    for (let c = 0; c < cycles; c++) {
      currentCycle = c;
      const now = new Date(START_MS + c * CYCLE_STEP_MS).toISOString();
      const started = performance.now();
      const cpu = process.cpuUsage();
      const summary = await runOnce({ config, store, logger, now, overrides, sources: await runSources(config, store), version: '0.0.0-soak' });
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
    out(`loopback server: ${served.ok} responses 200, ${served.notModified} responses 304`);
    // CPU time too: on a shared machine wall time also measures the neighbours.
    out(`mean cycle ${(totalMs / cycles).toFixed(1)} ms wall, ${(totalCpuUs / 1000 / cycles).toFixed(1)} ms cpu; peak rss ${(peakRss / BYTES_PER_MB).toFixed(1)} MB; heapUsed slope over the last ${tail.length} cycles ${slopeKb.toFixed(2)} KB/cycle`);
    out(`bench-soak: cycles=${cycles} peak_rss_mb=${(peakRss / BYTES_PER_MB).toFixed(1)} heap_slope_kb_per_cycle=${slopeKb.toFixed(2)}`);
  } finally {
    await store.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

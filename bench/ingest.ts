/**
 * Ingest benchmark. Section 1: parse throughput of feedfold's parseFeed (decode + parse + mapping)
 * against feedsmith's bare parseFeed on the same documents in the same run: the shared corpora
 * (gofeed and feedparser test feeds, when ../shared/corpora exists) and a few generated feeds of
 * realistic items. Prints MB/s and items/s for both and the ratio.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseFeed as feedsmithParseFeed } from 'feedsmith';
import { parseFeed } from '../src/parse/parse-feed.js';
import { listFiles } from '../scripts/conformance/suite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPORA = path.resolve(ROOT, '..', 'shared', 'corpora');
/** Minimum measuring time per implementation and document set. */
const MIN_MEASURE_MS = 1500;
const out = (line: string): void => { process.stdout.write(`${line}\n`); };

interface Doc { bytes: Buffer; text: string }
interface Figures { mbPerS: number; itemsPerS: number; failures: number }

// ---------------------------------------------------------------------------------------------
// Section 1: parse throughput
// ---------------------------------------------------------------------------------------------

const WORDS = 'government minister said the report showed prices rising across regions while analysts expected further growth in markets despite concerns over energy supply and local elections'.split(' ');

function sentence(seed: number, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) s += `${WORDS[(seed * 31 + i * 17) % WORDS.length]} `;
  return s.trim();
}

function generatedRss(items: number): string {
  let body = '';
  for (let i = 0; i < items; i++) {
    body += `<item><title>${sentence(i, 9)}</title><link>https://news.example/story/${i}?utm_source=rss&amp;x=1</link>`
      + `<guid isPermaLink="false">story-${i}</guid><pubDate>Mon, 0${(i % 9) + 1} Jan 2025 08:${String(i % 60).padStart(2, '0')}:00 +0100</pubDate>`
      + `<dc:creator>Reporter ${i % 40}</dc:creator><category>World</category><category>Economy</category>`
      + `<description>&lt;p&gt;${sentence(i + 1, 40)}&lt;/p&gt;</description>`
      + `<content:encoded><![CDATA[<p>${sentence(i + 2, 120)}</p><p>${sentence(i + 3, 120)}</p>]]></content:encoded></item>\n`;
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Generated RSS</title><link>https://news.example/</link>\n${body}</channel></rss>\n`;
}

function generatedAtom(entries: number): string {
  let body = '';
  for (let i = 0; i < entries; i++) {
    body += `<entry><title type="html">${sentence(i, 10)} &amp;amp; more</title><link rel="alternate" href="posts/${i}"/>`
      + `<id>tag:atom.example,2025:${i}</id><published>2025-02-01T10:${String(i % 60).padStart(2, '0')}:00+02:00</published><updated>2025-02-01T11:00:00Z</updated>`
      + `<author><name>Author ${i % 25}</name></author><category term="politics"/>`
      + `<summary>${sentence(i + 5, 30)}</summary><content type="html">&lt;p&gt;${sentence(i + 6, 200)}&lt;/p&gt;</content></entry>\n`;
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/"><title>Generated Atom</title><id>tag:atom.example,2025:feed</id><updated>2025-02-01T12:00:00Z</updated>\n${body}</feed>\n`;
}

function toDoc(text: string): Doc {
  return { bytes: Buffer.from(text, 'utf8'), text };
}

function corpusDocs(): Doc[] {
  const dirs = [path.join(CORPORA, 'gofeed', 'testdata', 'parser'), path.join(CORPORA, 'feedparser', 'tests')];
  const docs: Doc[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of listFiles(dir, /\.(xml|rdf|json)$/)) {
      if (/_expected\.json$/.test(file) || (file.endsWith('.json') && existsSync(file.replace(/\.json$/, '.xml')))) continue;
      const bytes = readFileSync(file);
      docs.push({ bytes, text: bytes.toString('utf8') });
    }
  }
  return docs;
}

function measure(docs: Doc[], parse: (d: Doc) => number): Figures {
  let bytes = 0;
  let items = 0;
  let failures = 0;
  const start = performance.now();
  let elapsed = 0;
  let round = 0;
  while (elapsed < MIN_MEASURE_MS || round === 0) {
    for (const d of docs) {
      try {
        items += parse(d);
      } catch {
        if (round === 0) failures++;
      }
      bytes += d.bytes.length;
    }
    round++;
    elapsed = performance.now() - start;
  }
  const seconds = elapsed / 1000;
  return { mbPerS: bytes / 1e6 / seconds, itemsPerS: items / seconds, failures };
}

function feedfold(d: Doc): number {
  return parseFeed(d.bytes).entries.length;
}

function feedsmith(d: Doc): number {
  const { feed } = feedsmithParseFeed(d.text) as { feed: { items?: unknown[]; entries?: unknown[] } };
  return feed.items?.length ?? feed.entries?.length ?? 0;
}

function report(name: string, docs: Doc[]): void {
  const size = docs.reduce((n, d) => n + d.bytes.length, 0);
  out(`${name}: ${docs.length} documents, ${(size / 1e6).toFixed(2)} MB`);
  const ours = measure(docs, feedfold);
  const theirs = measure(docs, feedsmith);
  const line = (label: string, f: Figures): string => `  ${label.padEnd(22)} ${f.mbPerS.toFixed(1).padStart(7)} MB/s ${Math.round(f.itemsPerS).toString().padStart(9)} items/s  (${f.failures} rejected)`;
  out(line('feedfold parseFeed', ours));
  out(line('feedsmith parseFeed', theirs));
  out(`  ratio feedfold/feedsmith: ${(ours.mbPerS / theirs.mbPerS).toFixed(2)}x MB/s`);
}

/** `--loopback-only` skips section 1 (for profiling and A/B runs of section 2). */
if (!process.argv.includes('--loopback-only')) {
  out('== ingest section 1: parse throughput (feedfold decode+parse+map vs feedsmith bare parse)');
  const generated = [toDoc(generatedRss(800)), toDoc(generatedAtom(800)), toDoc(generatedRss(200))];
  report('generated feeds', generated);
  const corpus = corpusDocs();
  if (corpus.length) report('shared corpora (gofeed + feedparser)', corpus);
  else out(`shared corpora: ${CORPORA} is absent; corpus part skipped`);
}

// ---------------------------------------------------------------------------------------------
// Section 2 (appended by the lead): 1,000 feeds over loopback.
// ---------------------------------------------------------------------------------------------
// Served by the loopback farm (bench/loopback-farm.ts: a server in a worker thread; each feed a small generated RSS 2.0
// or Atom 1.0 document of ~10 items, many of them other outlets' versions of the same stories; ETags
// and 304s). The real
// pipeline (`runOnce`, with the store and config APIs, compiled) runs twice on a temp project: the first run
// gets all 200s, the second all 304s. Config: fetch.concurrency 64 and fetch.perHost 64 — every
// feed is on 127.0.0.1, so the per-host limit is the real limit; the config schema caps perHost at
// 16, so 64 is set on the loaded Config object. The per-stage split comes from the run's named
// checkpoints; the first run's CPU time is that of every thread but the feed server's, and its CPU
// time per item by stage comes from a RunProfile. `--feeds N` for a smaller run; `--no-stages` runs
// without the profile (its clock reads cost a little CPU); `--loopback-only` skips section 1.

import { mkdtempSync as ingestMkdtemp, rmSync as ingestRm, writeFileSync as ingestWrite } from 'node:fs';
import { readFileSync as ingestRead } from 'node:fs';
import ingestOs from 'node:os';
import { stringifyYaml as ingestYaml } from '../src/config/yaml-text.js';
import { compiled } from './compiled.js';
import { farmBodies, startFeedFarm } from './loopback-farm.js';
import type { RunSummary as IngestSummary } from '../src/model/run.js';
import type { ProfileStage, RunProfile as IngestProfile } from '../src/pipeline/run-profile.js';

const { runSources: ingestSources } = await compiled<typeof import('../src/cli/context.js')>('cli/context.js');
const { loadConfig: ingestLoadConfig } = await compiled<typeof import('../src/config/load-config.js')>('config/load-config.js');
const { loadOverrides: ingestOverrides } = await compiled<typeof import('../src/config/overrides.js')>('config/overrides.js');
const { createLogger: ingestLogger } = await compiled<typeof import('../src/log/create-logger.js')>('log/create-logger.js');
const { runOnce: ingestRunOnce } = await compiled<typeof import('../src/pipeline.js')>('pipeline.js');
const { openStore: ingestOpenStore } = await compiled<typeof import('../src/store/open-store.js')>('store/open-store.js');

const LOOPBACK_DEFAULT_FEEDS = 1000;
const ITEMS_PER_FEED = 10;
/** Distinct stories behind the items: ~10,000 items over 6,000 stories gives many multi-outlet stories. */
const LOOPBACK_STORIES = 6000;
const LOOPBACK_CONCURRENCY = 64;
const LOOPBACK_PER_HOST = 64;
const SECOND_RUN_GOAL_MS = 5000;
const LOOPBACK_KEEP_ALIVE_MS = Number(process.env.BENCH_KEEP_ALIVE_MS ?? 65_000);
const LOOPBACK_NOW_1 = '2025-03-05T12:00:00.000Z';
const LOOPBACK_NOW_2 = '2025-03-05T12:30:00.000Z';

/** Counts the run log's failed-source records by error kind. */
function failureKinds(logFile: string | undefined): string {
  if (!logFile) return 'no log';
  const kinds = new Map<string, { n: number; sample: string }>();
  for (const line of ingestRead(logFile, 'utf8').split('\n')) {
    if (!line.includes('"source failed')) continue;
    const err = (JSON.parse(line) as { err?: { kind?: string; message?: string } }).err;
    const kind = err?.kind ?? 'unknown';
    kinds.set(kind, { n: (kinds.get(kind)?.n ?? 0) + 1, sample: kinds.get(kind)?.sample ?? err?.message ?? '' });
  }
  return kinds.size ? [...kinds].map(([k, { n, sample }]) => `${k} ${n} (e.g. ${sample})`).join(', ') : 'none';
}

function feedsArg(): number {
  const i = process.argv.indexOf('--feeds');
  const n = i >= 0 ? Number(process.argv[i + 1]) : LOOPBACK_DEFAULT_FEEDS;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--feeds: expected a positive integer, got ${process.argv[i + 1]}`);
  return n;
}

/** Times one run, splitting it at the run's named checkpoints (the last pass of each, in first-seen order). */
async function timedRun(run: (checkpoint: (label: string) => void) => Promise<IngestSummary>): Promise<{ ms: number; summary: IngestSummary; split: string }> {
  const marks = new Map<string, number>();
  const start = performance.now();
  const summary = await run((label) => {
    marks.set(label, performance.now());
  });
  const ms = performance.now() - start;
  let prev = start;
  const parts: string[] = [];
  for (const [label, t] of marks) {
    parts.push(`${label} +${Math.round(t - prev)}`);
    prev = t;
  }
  parts.push(`end +${Math.round(start + ms - prev)}`);
  return { ms, summary, split: parts.join(', ') };
}

const STAGES: ProfileStage[] = ['fetch', 'parse', 'normalize', 'cluster', 'store', 'publish'];

/**
 * The run's CPU time per item by stage: parse and normalize as measured in the worker threads,
 * the others on the main thread; "other" is the rest of the run's CPU time (thread start-up,
 * passing jobs and results between threads, garbage collection in the workers).
 */
function stageLine(profile: IngestProfile, items: number, totalUs: number): string {
  const per = (us: number): string => (us / Math.max(1, items)).toFixed(0);
  const staged = STAGES.reduce((sum, stage) => sum + profile.micros(stage), 0);
  return `${STAGES.map((stage) => `${stage} ${per(profile.micros(stage))}`).join(', ')}, other ${per(totalUs - staged)}; total ${per(totalUs)} (${items} items)`;
}

async function ingestLoopback(): Promise<void> {
  const feeds = feedsArg();
  out(`== ingest section 2: ${feeds} feeds over loopback (${ITEMS_PER_FEED} items each), concurrency ${LOOPBACK_CONCURRENCY}, perHost ${LOOPBACK_PER_HOST}, server keep-alive ${LOOPBACK_KEEP_ALIVE_MS} ms`);
  const bodies = farmBodies(feeds, { itemsPerFeed: ITEMS_PER_FEED, stories: LOOPBACK_STORIES, now: LOOPBACK_NOW_1 });
  const server = await startFeedFarm(bodies, { keepAliveMs: LOOPBACK_KEEP_ALIVE_MS });
  const base = server.base;
  const dir = ingestMkdtemp(path.join(ingestOs.tmpdir(), 'feedfold-ingest-'));
  try {
    const configFile = path.join(dir, 'feedfold.yaml');
    ingestWrite(
      configFile,
      ingestYaml({
        out: 'out',
        fetch: { concurrency: LOOPBACK_CONCURRENCY, perHost: 16, allowPrivateNetworks: true },
        sources: Array.from({ length: feeds }, (_, f) => ({ id: `outlet${f}`, url: `${base}/feed/${f}.xml` })),
      }),
    );
    const loaded = ingestLoadConfig(configFile);
    const config = { ...loaded, fetch: { ...loaded.fetch, perHost: LOOPBACK_PER_HOST } };
    const store = await ingestOpenStore(config);
    const logger = ingestLogger({ level: 'info', file: config.logFile });
    const overrides = ingestOverrides(config.overridesFile);
    try {
      const sources = await ingestSources(config, store);
      const once = (now: string, profile?: IngestProfile) => (checkpoint: (label: string) => void) =>
        ingestRunOnce({ config, store, logger, now, overrides, sources, version: '0.0.0-bench', checkpoint, ...(profile ? { profile } : {}) });
      const profile = process.argv.includes('--no-stages') ? undefined : new (await compiled<typeof import('../src/pipeline/run-profile.js')>('pipeline/run-profile.js')).RunProfile();
      const beforeFirst = await server.served();
      const cpuBefore = process.cpuUsage();
      const first = await timedRun(once(LOOPBACK_NOW_1, profile));
      const cpuFirst = process.cpuUsage(cpuBefore);
      const afterFirst = await server.served();
      // process.cpuUsage() counts every thread: the parse workers belong to the run, the feed server does not.
      const firstCpuUs = cpuFirst.user + cpuFirst.system - (afterFirst.cpuUs - beforeFirst.cpuUs);
      const second = await timedRun(once(LOOPBACK_NOW_2));
      const served = await server.served();
      const stories = (await store.snapshot()).stories.length;
      const describe = (s: IngestSummary): string => `${s.sourcesOk} ok, ${s.sourcesFailed} failed, ${s.articlesNew} new articles, ${s.storiesNew} new stories`;
      out(`  first run (200s: ${afterFirst.ok}, 304s: ${afterFirst.notModified}): ${(first.ms / 1000).toFixed(2)} s; ${describe(first.summary)}`);
      out(`    split ms: ${first.split}`);
      out(`    CPU: ${(firstCpuUs / 1e6).toFixed(2)} s (all threads but the feed server's: user ${(cpuFirst.user / 1e6).toFixed(2)} s, sys ${(cpuFirst.system / 1e6).toFixed(2)} s, server ${((afterFirst.cpuUs - beforeFirst.cpuUs) / 1e6).toFixed(2)} s)`);
      if (profile) out(`    CPU µs per item: ${stageLine(profile, first.summary.articlesNew, firstCpuUs)}`);
      out(`  second run (200s: ${served.ok - afterFirst.ok}, 304s: ${served.notModified - afterFirst.notModified}): ${(second.ms / 1000).toFixed(2)} s; ${describe(second.summary)}`);
      out(`    split ms: ${second.split}`);
      out(`  store: ${await store.articles.countArticles()} articles, ${stories} stories`);
      out(`  failed sources by error kind (both runs): ${failureKinds(config.logFile)}`);
      out(`  goal second run < ${SECOND_RUN_GOAL_MS / 1000} s: ${second.ms < SECOND_RUN_GOAL_MS ? 'met' : 'NOT met'}`);
      out(`bench-ingest-loopback: feeds=${feeds} first_run_s=${(first.ms / 1000).toFixed(2)} first_run_cpu_s=${(firstCpuUs / 1e6).toFixed(2)} second_run_s=${(second.ms / 1000).toFixed(2)}`);
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
    ingestRm(dir, { recursive: true, force: true });
  }
}

await ingestLoopback();

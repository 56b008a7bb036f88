/**
 * Scale-out benchmark (`npm run bench:scale`): a loopback farm of generated news feeds (bench/loopback-farm.ts), each
 * answer held back 200 ms as a distant server's would be, read by 1, 2 and 4 `feedfold worker` processes sharing a
 * PostgreSQL store, then clustered and published by the leader step.
 *
 * - feeds_per_s: each worker process reads WORKER_CONCURRENCY feeds at a time (fetch.concurrency and fetch.perHost in
 *   the workers' config; the farm is one host), so one process is bound by the farm's latency and adding processes
 *   adds throughput. The figure is the rate while all the workers run, from their log (see steadyRate): on a busy
 *   machine four processes can take seconds to start one after another. The rate from the farm's first request to
 *   the exit of the last worker (`--once`: a worker stops when nothing due is left) is printed beside it, with the
 *   start-up. Each count of workers gets a fresh database.
 * - identical_feed: one `feedfold run` on SQLite over the same farm and `--now` against the feed of four workers and
 *   the leader on PostgreSQL, byte for byte (and entry ids, which the diff names when they differ).
 * - held_bytes_per_article and rebuild_articles_per_s: the four-worker store's window loaded and the index built from
 *   it (as a leader starting up does), timed; the memory the index holds afterwards over the articles it holds, as
 *   bench/cluster/held-bytes.ts's indexHeldBytes measures it (freed when the index is dropped, collector forced).
 *
 * PostgreSQL: FEEDFOLD_TEST_DATABASE_URL (an administrative URL; default postgres://feedfold@127.0.0.1:5432/feedfold);
 * the bench makes a database per count of workers and drops it after. `--feeds N` sets the farm's size.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stringifyYaml as stringify } from '../src/config/yaml-text.js';
import { createTestDatabase, postgresMissing, TEST_ADMIN_URL } from '../test/helpers/postgres.js';
import { HELD_BYTES_MEANING, indexHeldBytes } from './cluster/held-bytes.js';
import { compiled } from './compiled.js';
import { farmBodies, startFeedFarm, type FeedFarm } from './loopback-farm.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'feedfold.js');
const DEFAULT_FEEDS = 320;
const ITEMS_PER_FEED = 8;
/** About three outlets per story: the leader has joins to make. */
const STORIES_PER_FEED = 3;
const ANSWER_DELAY_MS = 200;
/** Feeds one worker process reads at once (its fetch.concurrency, so also the sources it leases per round). */
const WORKER_CONCURRENCY = 2;
/** The single SQLite process reads the farm with this many at once: it is the reference feed, not a measurement. */
const SINGLE_CONCURRENCY = 32;
const WORKER_COUNTS = [1, 2, 4] as const;
const NOW = '2025-03-05T12:00:00.000Z';
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const { loadConfig } = await compiled<typeof import('../src/config/load-config.js')>('config/load-config.js');
const { loadOverrides } = await compiled<typeof import('../src/config/overrides.js')>('config/overrides.js');
const { openStore } = await compiled<typeof import('../src/store/open-store.js')>('store/open-store.js');
const { runSources } = await compiled<typeof import('../src/cli/context.js')>('cli/context.js');
const { buildIndex } = await compiled<typeof import('../src/pipeline/kept-index.js')>('pipeline/kept-index.js');

function feedsArg(): number {
  const i = process.argv.indexOf('--feeds');
  const n = i >= 0 ? Number(process.argv[i + 1]) : DEFAULT_FEEDS;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--feeds: expected a positive integer, got ${process.argv[i + 1]}`);
  return n;
}

/** Runs the CLI with `args`; resolves when it exits 0, else rejects with its stderr. */
function feedfold(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`feedfold ${args[0]} exited ${code ?? signal}: ${stderr.trim()}`))));
  });
}

/** The project folder of one store: its config subscribes the farm's feeds. */
function project(dir: string, base: string, feeds: number, fetch: { concurrency: number; perHost: number }, storeUrl?: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'feedfold.yaml');
  writeFileSync(
    file,
    stringify({
      out: 'out',
      fetch: { ...fetch, allowPrivateNetworks: true },
      ...(storeUrl !== undefined ? { store: { url: storeUrl } } : {}),
      sources: Array.from({ length: feeds }, (_, f) => ({ id: `outlet${f}`, url: `${base}/feed/${f}.xml` })),
    }),
  );
  return file;
}

/**
 * Writes the config's sources to the store before any worker starts, as an operator subscribing them does: workers
 * starting at the same time on an empty store would each write them all, and one worker's writes hold the rows the
 * others are leasing (a `--once` worker waits for them), which would put start-up in the figure.
 */
async function subscribe(configFile: string): Promise<void> {
  const config = loadConfig(configFile);
  const store = await openStore(config);
  try {
    const specs = await runSources(config, undefined);
    await store.unitOfWork(() => store.sources.upsertSources(specs.map((spec) => ({ spec, origin: 'config' as const }))));
  } finally {
    await store.close();
  }
}

/** The leader step: `feedfold leader --once` clusters what the workers committed and publishes. */
async function runLeader(configFile: string): Promise<number> {
  const started = performance.now();
  await feedfold(['leader', '--once', '--config', configFile, '--now', NOW, '--quiet']);
  return performance.now() - started;
}

/** The entry ids of an Atom document, in order (an entry's own id, not its source's). */
function entryIds(xml: string): string[] {
  return [...xml.matchAll(/<entry[\s>][\s\S]*?<\/entry>/g)].map((m) => /<id>([^<]*)<\/id>/.exec(m[0].replace(/<source>[\s\S]*?<\/source>/g, ''))?.[1] ?? '');
}

/** Where two feeds first differ, and how their entry ids compare. */
function feedDiff(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  const line = la.findIndex((l, i) => l !== lb[i]);
  const ia = entryIds(a);
  const ib = entryIds(b);
  const sameIds = ia.length === ib.length && ia.every((id, i) => id === ib[i]);
  return `first difference at line ${line + 1}: sqlite ${JSON.stringify(la[line]?.slice(0, 200))} / postgres ${JSON.stringify(lb[line]?.slice(0, 200))}; entry ids ${sameIds ? 'the same' : `differ (${ia.length} vs ${ib.length}; ${ia.filter((id) => !ib.includes(id)).length} only in sqlite)`}`;
}

/**
 * The feeds per second of the workers while all of them run, from their log's `worker round` records (each written
 * when a round's sources are committed): from the latest first round of any worker to the last round, the sources of
 * the rounds in between. Processes that start one after another on a busy machine are not counted as slow ones.
 */
function steadyRate(log: string): { feeds: number; ms: number; feedsPerS: number; perWorker: number[] } {
  const rounds = log
    .split('\n')
    .filter((line) => line.includes('"worker round"'))
    .map((line) => JSON.parse(line) as { worker: string; time: string; sources: string[] })
    .map((r) => ({ worker: r.worker, at: Date.parse(r.time), sources: r.sources.length }));
  const firstOf = new Map<string, number>();
  for (const r of rounds) firstOf.set(r.worker, Math.min(firstOf.get(r.worker) ?? Infinity, r.at));
  const start = Math.max(...firstOf.values());
  const end = Math.max(...rounds.map((r) => r.at));
  const feeds = rounds.filter((r) => r.at > start).reduce((n, r) => n + r.sources, 0);
  const perWorker = [...firstOf.keys()].map((w) => rounds.filter((r) => r.worker === w).reduce((n, r) => n + r.sources, 0));
  return { feeds, ms: end - start, feedsPerS: feeds / ((end - start) / 1000), perWorker };
}

interface Phase {
  workers: number;
  /** While all workers run (steadyRate). */
  feedsPerS: number;
  /** From the farm's first request to the last worker's exit. */
  wholeFeedsPerS: number;
  feed: string;
  configFile: string;
}

/** Reads the farm with `workers` worker processes on a fresh database, then runs the leader; `use` sees the result before the database is dropped. */
async function phase(farm: FeedFarm, dir: string, feeds: number, workers: number, use: (p: Phase) => Promise<void>): Promise<Phase> {
  const db = await createTestDatabase();
  try {
    const configFile = project(path.join(dir, `workers-${workers}`), farm.base, feeds, { concurrency: WORKER_CONCURRENCY, perHost: WORKER_CONCURRENCY }, db.url);
    await subscribe(configFile);
    const before = await farm.served();
    const spawned = performance.now();
    const spawnedAt = Date.now();
    await Promise.all(Array.from({ length: workers }, () => feedfold(['worker', '--once', '--config', configFile, '--now', NOW, '--quiet'])));
    const doneAt = Date.now();
    const wallMs = performance.now() - spawned;
    const served = await farm.served();
    const store = await openStore(loadConfig(configFile));
    let unread: string[];
    let articles: number;
    try {
      unread = (await store.sources.listSources()).filter((row) => row.state.lastSuccessAt === undefined).map((row) => `${row.spec.id} (${row.state.lastError ?? 'never leased'})`);
      articles = await store.articles.countArticles();
    } finally {
      await store.close();
    }
    if (unread.length > 0) throw new Error(`workers=${workers}: ${unread.length} of ${feeds} sources not read: ${unread.slice(0, 5).join(', ')}`);
    const firstAt = served.firstAt > 0 ? served.firstAt : spawnedAt;
    const whole = feeds / ((doneAt - firstAt) / 1000);
    const steady = steadyRate(readFileSync(loadConfig(configFile).logFile as string, 'utf8'));
    const leaderMs = await runLeader(configFile);
    const feed = readFileSync(loadConfig(configFile).feedFile, 'utf8');
    out(
      `  workers=${workers}: ${steady.feeds} feeds in ${(steady.ms / 1000).toFixed(2)} s with all ${workers} running = ${steady.feedsPerS.toFixed(1)} feeds/s (read by each: ${steady.perWorker.join(', ')});` +
        ` all ${feeds} (${served.ok - before.ok} answers) in ${((doneAt - firstAt) / 1000).toFixed(2)} s from the first request = ${whole.toFixed(1)} feeds/s` +
        ` (start-up before it ${((firstAt - spawnedAt) / 1000).toFixed(2)} s, wall ${(wallMs / 1000).toFixed(2)} s); ${articles} articles; leader ${(leaderMs / 1000).toFixed(2)} s, ${entryIds(feed).length} entries`,
    );
    const result = { workers, feedsPerS: steady.feedsPerS, wholeFeedsPerS: whole, feed, configFile };
    await use(result);
    return result;
  } finally {
    await db.drop();
  }
}

/** Times the index's rebuild from the store's window and measures what it holds per article (needs --expose-gc). */
async function rebuild(configFile: string): Promise<{ articlesPerS: number; heldBytes: number; articles: number; split: string }> {
  const config = loadConfig(configFile);
  const store = await openStore(config);
  try {
    const deps = { config, store, now: NOW, overrides: loadOverrides(config.overridesFile) };
    // A first build compiles the code on the way, so that the timed one does not pay for it.
    await buildIndex(deps, new Map());
    const cpu = process.cpuUsage();
    const started = performance.now();
    let index: Awaited<ReturnType<typeof buildIndex>> | undefined = await buildIndex(deps, new Map());
    const ms = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const held = await indexHeldBytes({
      size: () => (index as NonNullable<typeof index>).size(),
      drop: () => {
        index = undefined;
      },
    });
    const split = `${(ms / 1000).toFixed(2)} s (this process's CPU ${((user + system) / 1e6).toFixed(2)} s)`;
    return { articlesPerS: held.window / (ms / 1000), heldBytes: held.bytesPerArticle, articles: held.window, split };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const feeds = feedsArg();
  const missing = await postgresMissing();
  if (missing !== undefined) {
    out(`bench-scale: skipped: ${missing} (set FEEDFOLD_TEST_DATABASE_URL to an administrative URL)`);
    return;
  }
  out(`== bench-scale: ${feeds} loopback feeds of ${ITEMS_PER_FEED} items, answers after ${ANSWER_DELAY_MS} ms; each worker process reads ${WORKER_CONCURRENCY} feeds at once (fetch.concurrency = fetch.perHost = ${WORKER_CONCURRENCY}); PostgreSQL at ${TEST_ADMIN_URL}`);
  const farm = await startFeedFarm(farmBodies(feeds, { itemsPerFeed: ITEMS_PER_FEED, stories: Math.ceil((feeds * ITEMS_PER_FEED) / STORIES_PER_FEED), now: NOW }), { keepAliveMs: 65_000, delayMs: ANSWER_DELAY_MS });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-scale-'));
  try {
    const sqliteConfig = project(path.join(dir, 'sqlite'), farm.base, feeds, { concurrency: SINGLE_CONCURRENCY, perHost: SINGLE_CONCURRENCY });
    const started = performance.now();
    await feedfold(['run', '--config', sqliteConfig, '--now', NOW, '--quiet']);
    const sqliteFeed = readFileSync(loadConfig(sqliteConfig).feedFile, 'utf8');
    out(`  one process on SQLite (feedfold run, ${SINGLE_CONCURRENCY} at once): ${((performance.now() - started) / 1000).toFixed(2)} s, ${entryIds(sqliteFeed).length} entries`);
    const phases: Phase[] = [];
    let rebuilt: Awaited<ReturnType<typeof rebuild>> | undefined;
    for (const workers of WORKER_COUNTS) {
      phases.push(
        await phase(farm, dir, feeds, workers, async (p) => {
          if (workers === 4) rebuilt = await rebuild(p.configFile);
        }),
      );
    }
    const [a, b, c] = phases.map((p) => p.feedsPerS) as [number, number, number];
    const [wa, wb, wc] = phases.map((p) => p.wholeFeedsPerS) as [number, number, number];
    const four = phases.find((p) => p.workers === 4) as Phase;
    // Two empty feeds would be equal too: the comparison counts only when there is something in them.
    const identical = four.feed === sqliteFeed && entryIds(sqliteFeed).length > 0;
    if (!identical) out(`  identical_feed=no: ${feedDiff(sqliteFeed, four.feed)}`);
    if (rebuilt === undefined) throw new Error('bench-scale: the four-worker store was not measured');
    out(`  index rebuilt from the four-worker store's window: ${rebuilt.articles} articles in ${rebuilt.split}; ${Math.round(rebuilt.articlesPerS)} articles/s, ${Math.round(rebuilt.heldBytes)} bytes held per article (${HELD_BYTES_MEANING})`);
    out(`  scaling with all workers running: B/A = ${(b / a).toFixed(2)} (goal ≥ 1.6), C/A = ${(c / a).toFixed(2)} (goal ≥ 3.2); from the first request to the last exit: ${(wb / wa).toFixed(2)}, ${(wc / wa).toFixed(2)}`);
    out(`scale_ok=${b >= 1.6 * a && c >= 3.2 * a ? 'yes' : 'no'}`);
    out(
      `bench-scale: workers=${WORKER_COUNTS.join(',')} feeds_per_s=${[a, b, c].map((v) => v.toFixed(1)).join(',')} identical_feed=${identical ? 'yes' : 'no'}` +
        ` held_bytes_per_article=${Math.round(rebuilt.heldBytes)} rebuild_articles_per_s=${Math.round(rebuilt.articlesPerS)}`,
    );
  } finally {
    await farm.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

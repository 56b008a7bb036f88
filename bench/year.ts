/**
 * Year benchmark: 365 daily runs of the real pipeline (`runOnce` in-process, `now` advancing one
 * day per run) over generated local sources bringing 200 new articles a day, to show that retention
 * keeps the database, `out/` and the logs bounded: flat over the last 200 days.
 *
 * Five outlets: `wire` (an RSS file, 100 stories a day), three more RSS files with their own
 * wording of a quarter of them each, and `local`, a folder of article files with the last quarter
 * (its published articles get pages under out/articles/). Every source keeps listing an item for
 * LIST_DAYS days, longer than the state is kept (feed.maxAgeDays 7), so pruned items are still
 * listed for a few runs: were they taken for new ones, a day would bring more than 200.
 * The log rotates at log.maxBytes with log.files kept, as configured below.
 *
 * Flatness rule: for each of db, out and log, the largest size over the last 200 runs is at most
 * FLAT_GROWTH above the largest size before them. Peaks, not two single days: the rotated log is a
 * sawtooth (between log.files - 1 and log.files times log.maxBytes), so two days alone may fall
 * anywhere on it.
 *
 *   npx tsx bench/year.ts [--days 365] [--keep-all]
 *
 * `--keep-all` turns retention off (retention.enabled: false), for comparison: then nothing is pruned.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringifyYaml as stringify } from '../src/config/yaml-text.js';
import { runSources } from '../src/cli/context.js';
import { loadConfig } from '../src/config/load-config.js';
import { loadOverrides } from '../src/config/overrides.js';
import { createLogger } from '../src/log/create-logger.js';
import { runOnce } from '../src/pipeline.js';
import { createParsePool } from '../src/pipeline/parse-pool.js';
import { openStore } from '../src/store/open-store.js';
import { escapeXml, rewrite, slope, story, type Story } from '../test/helpers/generated-news.js';

const DEFAULT_DAYS = 365;
const STORIES_PER_DAY = 100;
const DAY_MS = 86_400_000;
const START_MS = Date.parse('2025-01-01T00:00:00Z');
/** Days each source keeps listing an item: longer than feed.maxAgeDays below. */
const LIST_DAYS = 10;
/** The runs the flatness rule looks back over. */
const FLAT_RUNS = 200;
/** Most growth, as a share, of each size over the last FLAT_RUNS runs for `flat=yes`. */
const FLAT_GROWTH = 0.1;
const MB = 1024 * 1024;
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The outlets other than wire: each carries the stories whose number is `share` modulo 4, in its own words. */
const OUTLETS = [
  { id: 'metro', name: 'Metro', every: 17, share: 0 },
  { id: 'coast', name: 'Coast', every: 13, share: 1 },
  { id: 'valley', name: 'Valley', every: 11, share: 2 },
] as const;
const LOCAL = { id: 'local', name: 'Local', every: 19, share: 3 } as const;

function daysArg(argv: string[]): number {
  const i = argv.indexOf('--days');
  const n = i >= 0 ? Number(argv[i + 1]) : DEFAULT_DAYS;
  if (!Number.isInteger(n) || n < 2) throw new Error(`--days: expected an integer >= 2, got ${argv[i + 1]}`);
  return n;
}

/** The story numbers published on `day` (its index is the minute of the day it was published). */
const storiesOf = (day: number): number[] => Array.from({ length: STORIES_PER_DAY }, (_, j) => day * STORIES_PER_DAY + j);
const publishedAt = (k: number): Date => new Date(START_MS + Math.floor(k / STORIES_PER_DAY) * DAY_MS + (k % STORIES_PER_DAY) * 60_000);
/** The stories a source lists on `day`: those of the last LIST_DAYS days. */
const listed = (day: number): number[] => Array.from({ length: Math.min(LIST_DAYS, day + 1) }, (_, i) => storiesOf(day - i)).flat();

function rssFeed(id: string, items: readonly { k: number; s: Story }[]): string {
  const body = items
    .map(({ k, s }) => {
      const html = s.paragraphs.map((p) => `<p>${p}</p>`).join('');
      return (
        `<item><title>${escapeXml(s.title)}</title><link>http://${id}.test/news/${k}</link><guid isPermaLink="false">${id}-${k}</guid>` +
        `<pubDate>${publishedAt(k).toUTCString()}</pubDate><description><![CDATA[${html}]]></description></item>`
      );
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${id}</title><link>http://${id}.test/</link><description>${id} news</description>\n${body}\n</channel></rss>\n`;
}

/** Writes what every source lists on `day`: the RSS files, and the local folder's article files (older ones removed). */
function writeSources(dir: string, day: number): void {
  const ks = listed(day);
  writeFileSync(path.join(dir, 'wire.xml'), rssFeed('wire', ks.map((k) => ({ k, s: story(k) }))));
  for (const o of OUTLETS) writeFileSync(path.join(dir, `${o.id}.xml`), rssFeed(o.id, ks.filter((k) => k % 4 === o.share).map((k) => ({ k, s: rewrite(story(k), o.name, o.every) }))));
  const local = path.join(dir, 'local');
  const keep = new Set(ks.filter((k) => k % 4 === LOCAL.share).map((k) => `local-${k}.txt`));
  for (const name of readdirSync(local)) if (!keep.has(name)) rmSync(path.join(local, name));
  for (const name of keep) {
    const k = Number(name.slice('local-'.length, -'.txt'.length));
    const s = rewrite(story(k), LOCAL.name, LOCAL.every);
    writeFileSync(path.join(local, name), `date ${publishedAt(k).toISOString().slice(0, 10)}\n${s.title}\n\n${s.paragraphs.join('\n\n')}\n`);
  }
}

/** Bytes under `dir` (recursively) of the files `include` accepts. */
function bytesUnder(dir: string, include: (name: string) => boolean): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(full, include);
    else if (include(entry.name)) total += statSync(full).size;
  }
  return total;
}

async function main(): Promise<void> {
  const days = daysArg(process.argv.slice(2));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-year-'));
  const feeds = path.join(dir, 'feeds');
  mkdirSync(path.join(feeds, 'local'), { recursive: true });
  const configFile = path.join(dir, 'feedfold.yaml');
  writeFileSync(
    configFile,
    stringify({
      out: 'out',
      feed: { maxEntries: 200, maxAgeDays: 7 },
      cluster: { windowHours: 72 },
      log: { level: 'info', maxBytes: 2 * MB, files: 3 },
      retention: { enabled: !process.argv.includes('--keep-all') },
      sources: [
        { id: 'wire', file: 'feeds/wire.xml', title: 'Wire' },
        ...OUTLETS.map((o) => ({ id: o.id, file: `feeds/${o.id}.xml`, title: o.name })),
        { id: LOCAL.id, dir: 'feeds/local', title: LOCAL.name },
      ],
    }),
  );
  const config = loadConfig(configFile);
  const store = await openStore(config);
  const logger = createLogger({ level: config.log.level, file: config.logFile, rotation: { maxBytes: config.log.maxBytes, files: config.log.files } });
  const overrides = loadOverrides(config.overridesFile);
  const parsePool = createParsePool();
  const isDb = (name: string): boolean => name.startsWith(path.basename(config.storeFile));
  const isLog = (name: string): boolean => config.logFile !== undefined && name.startsWith(path.basename(config.logFile));
  const sizes = { db: [] as number[], out: [] as number[], log: [] as number[] };
  out(
    `== bench-year: ${days} daily runs, ${2 * STORIES_PER_DAY} new articles a day from 5 local sources listing ${LIST_DAYS} days each; ` +
      `feed.maxAgeDays=${config.feed.maxAgeDays} cluster.windowHours=${config.cluster.windowHours} retention: ${config.retention.enabled ? 'on' : 'off'}, runsDays=${config.retention.runsDays} tombstoneDays=${config.retention.tombstoneDays}; ` +
      `log.maxBytes=${config.log.maxBytes} log.files=${config.log.files}`,
  );
  const started = performance.now();
  let articlesNew = 0;
  let minNew = Infinity;
  let maxNew = 0;
  let joins = 0;
  try {
    for (let day = 0; day < days; day++) {
      writeSources(feeds, day);
      const now = new Date(START_MS + day * DAY_MS + 6 * 3_600_000).toISOString();
      const summary = await runOnce({ config, store, logger, now, overrides, sources: await runSources(config, store), version: '0.0.0-bench', parsePool });
      articlesNew += summary.articlesNew;
      minNew = Math.min(minNew, summary.articlesNew);
      maxNew = Math.max(maxNew, summary.articlesNew);
      joins += summary.joins ?? 0;
      sizes.db.push(bytesUnder(config.outDir, isDb) / MB);
      sizes.out.push(bytesUnder(config.outDir, (n) => !isDb(n) && !isLog(n)) / MB);
      sizes.log.push(bytesUnder(config.outDir, isLog) / MB);
      if ((day + 1) % 30 === 0 || day + 1 === days) {
        out(
          `day ${String(day + 1).padStart(3)}: db ${sizes.db[day]?.toFixed(2)} MB (wal ${(bytesUnder(config.outDir, (n) => n.endsWith('-wal')) / MB).toFixed(2)}), out ${sizes.out[day]?.toFixed(2)} MB, log ${sizes.log[day]?.toFixed(2)} MB; ` +
            `articles ${await store.articles.countArticles()}, tombstones ${await store.retention.countPruned()}, runs kept ${(await store.snapshot()).runs.length}; ` +
            `last run ${summary.articlesNew} new, ${summary.feedEntries} entries; ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      }
    }
    const wallS = (performance.now() - started) / 1000;
    const base = Math.max(0, days - 1 - FLAT_RUNS);
    const last = days - 1;
    const tail = (ys: number[]): number[] => ys.slice(base + 1);
    const grew = (ys: number[]): number => (Math.max(...tail(ys)) - Math.max(...ys.slice(0, base + 1))) / Math.max(...ys.slice(0, base + 1), 1e-9);
    const flat = (['db', 'out', 'log'] as const).every((k) => grew(sizes[k]) <= FLAT_GROWTH);
    const kbPerDay = (ys: number[]): string => (slope(tail(ys)) * 1024).toFixed(2);
    const republished = articlesNew - days * 2 * STORIES_PER_DAY;
    out(`new articles per run: min ${minNew}, max ${maxNew} (expected ${2 * STORIES_PER_DAY}); joins ${joins}; republished after pruning ${republished}`);
    const pct = (ys: number[]): string => `${(grew(ys) * 100).toFixed(1)}%`;
    out(`slope over runs ${base + 2}..${days}: db ${kbPerDay(sizes.db)} KB/day, out ${kbPerDay(sizes.out)} KB/day, log ${kbPerDay(sizes.log)} KB/day`);
    out(
      `flat rule: the largest size over runs ${base + 2}..${days} is at most ${FLAT_GROWTH * 100}% above the largest over runs 1..${base + 1}: ` +
        `db ${pct(sizes.db)}, out ${pct(sizes.out)}, log ${pct(sizes.log)} (log bound ${((config.log.files * config.log.maxBytes) / MB).toFixed(0)} MB: log.files x log.maxBytes)`,
    );
    out(
      `bench-year: days=${days} db_mb=${sizes.db[last]?.toFixed(2)} out_mb=${sizes.out[last]?.toFixed(2)} log_mb=${sizes.log[last]?.toFixed(2)} ` +
        `db_mb_day${base + 1}=${sizes.db[base]?.toFixed(2)} db_mb_day${days}=${sizes.db[last]?.toFixed(2)} ` +
        `max_db_mb=${Math.max(...sizes.db).toFixed(2)} max_out_mb=${Math.max(...sizes.out).toFixed(2)} max_log_mb=${Math.max(...sizes.log).toFixed(2)} ` +
        `republished=${republished} flat=${flat && republished === 0 ? 'yes' : 'no'} wall_s=${wallS.toFixed(0)}`,
    );
  } finally {
    await parsePool.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/load-config.js';
import type { Overrides } from './config/overrides.js';
import { anyAddress, publicAddressesOnly, type AddressPolicy } from './fetch/address-policy.js';
import { createFetchQueue } from './fetch/fetch-queue.js';
import { DEFAULT_FETCH_OPTIONS, type FetchOptions } from './fetch/fetch-options.js';
import type { Article } from './model/article.js';
import { FeedfoldError } from './model/errors.js';
import type { FailingSource, FeedMeta, RunProgress, RunSummary } from './model/run.js';
import type { SourceSpec, SourceState } from './model/source.js';
import type { StoryIndex, StoryView } from './model/story.js';
import { applyEdits, applyWorkerEdits } from './pipeline/apply-edits.js';
import { applyOverrides, withCorrections } from './pipeline/apply-overrides.js';
import { latestDate, olderThan, publishedOf, updatedOf } from './pipeline/article-dates.js';
import { loadStoryViews } from './pipeline/build-views.js';
import { checkClock } from './pipeline/clock-check.js';
import { ingestSource, type SourceResult } from './pipeline/ingest-source.js';
import { buildIndex, type IndexKeeper } from './pipeline/kept-index.js';
import { createParsePool, type ParsePool } from './pipeline/parse-pool.js';
import { pruneState } from './pipeline/prune-state.js';
import { groupCalls } from './pipeline/group-calls.js';
import { timed, type RunProfile } from './pipeline/run-profile.js';
import { assignArticles, refreshStories, type TouchedStories } from './pipeline/update-stories.js';
import { ARTICLE_PAGES_DIR, articlePageName, renderArticlePage } from './publish/render-article-page.js';
import { renderAtomDocument } from './publish/render-atom.js';
import { renderReport } from './publish/render-report.js';
import { recordRunStatus } from './publish/run-status.js';
import { applyRetention, sortStoriesNewestFirst } from './publish/story-order.js';
import { writeFileAtomic } from './publish/write-atomic.js';
import type { SourceRow, Store } from './store/store.js';

/** Everything one run needs; nothing is read from globals. */
export interface RunDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /** The run's time, ISO 8601 UTC: stages never read the clock. */
  now: string;
  sources: SourceSpec[];
  overrides: Overrides;
  version: string;
  /** Measures wall time for the run summary (the only clock read, and never written to the feed). */
  clock?: () => number;
  /** Called at named points of the run: the run lock renews its lease there, and the crash-safety test kills the process there. */
  checkpoint?: (label: string) => void;
  /**
   * Which addresses fetches may reach; by default public ones only, or any with
   * `fetch.allowPrivateNetworks`. Tests narrow it to single loopback addresses.
   */
  addressPolicy?: AddressPolicy;
  /** Worker threads that read feed bodies; a daemon keeps one across runs. Without it the run starts its own and stops it at the end. */
  parsePool?: ParsePool;
  /** Adds up the run's CPU time by stage (benchmarks); the main thread's time outside the stages is left out. */
  profile?: RunProfile;
  /**
   * Aborted to stop the run early (a daemon's SIGTERM, Ctrl-C): fetches in flight end at once, the sources not yet read
   * are skipped with their state untouched, and the run stores, clusters and publishes what it has read.
   */
  signal?: AbortSignal;
  /** Told where the run is: after each source read, and when clustering and publishing start (a terminal's progress line). */
  progress?: (p: RunProgress) => void;
  /**
   * Keeps the story index between the runs of a long-lived process (the daemon, the clustering leader); without it
   * each run builds the index from the store's window.
   */
  keeper?: IndexKeeper;
  /** The run reads no source by design (`run --no-fetch`, a leader's cycle): workers read them. */
  clusterOnly?: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * How long a source read waits for others to come and be committed with it (the ones read while a commit is under way go
 * in the next at once): a crash loses at most that long of reading, which the next run reads again.
 */
const COMMIT_GATHER_MS = 50;

/** Base URL of the pages feedfold publishes for local article files: `articles/` beside the feed. */
export function articleBaseUrl(config: Config): string {
  return new URL(`${ARTICLE_PAGES_DIR}/`, config.feed.selfUrl).toString();
}

const isoMinus = (now: string, ms: number): string => new Date(Date.parse(now) - ms).toISOString();

/** Builds the fetch options of a run from config; Retry-After dates are measured from the run's `now`. */
function fetchOptionsOf(config: Config, now: string, addressPolicy: AddressPolicy | undefined): FetchOptions {
  return {
    ...DEFAULT_FETCH_OPTIONS,
    ...(config.fetch.userAgent ? { userAgent: config.fetch.userAgent } : {}),
    connectTimeoutMs: config.fetch.connectTimeoutMs,
    totalTimeoutMs: config.fetch.timeoutMs,
    maxBodyBytes: config.fetch.maxBodyBytes,
    maxRedirects: config.fetch.maxRedirects,
    addressPolicy: addressPolicy ?? (config.fetch.allowPrivateNetworks ? anyAddress : publicAddressesOnly),
    now: () => Date.parse(now),
  };
}

/** What one source brought, once committed: its new articles and the stored ones it sent again. */
interface SourceCommit {
  result: SourceResult;
  inserted: Article[];
  resent: Article[];
}

/**
 * Which of these article ids the store holds, and which of the others retention pruned while their feed still lists
 * them (their tombstones are marked as listed `now`). An item pruned that way stays gone: neither new again nor an edit.
 */
async function storedOrPruned(store: Store, ids: readonly string[], now: string): Promise<{ stored: Set<string>; pruned: Map<string, { sourceHash?: string }> }> {
  const stored = ids.length === 0 ? new Set<string>() : await store.articles.storedArticleIds(ids);
  return { stored, pruned: await store.retention.listedPruned(ids.filter((id) => !stored.has(id)), now) };
}

/**
 * Commits what sources brought as one unit of work: each one's fetch state, its new articles (pending for the
 * clustering batches, or, for a source read for the first time, stored but never published when older than the feed's
 * retention) and its newest date, in the order given. A run killed later keeps them; the next run assigns what is
 * still pending.
 */
async function commitSources(deps: RunDeps, results: readonly SourceResult[], firstRead: ReadonlySet<string>): Promise<SourceCommit[]> {
  const { store, now, config } = deps;
  const checkpoint = deps.checkpoint ?? (() => undefined);
  const log = deps.logger.child({ stage: 'cluster' });
  const cutoff = isoMinus(now, config.feed.maxAgeDays * DAY_MS);
  const archived = (a: Article): boolean => firstRead.has(a.sourceId) && olderThan(a, cutoff);
  // Not durable: a source read lost to a power cut is read again by the next run; the clustering batch that follows syncs it.
  return timed(deps.profile, 'store', () =>
    store.unitOfWork(async () => {
      const commits: SourceCommit[] = [];
      const uniques = results.map((r) => {
        const unique = new Map<string, Article>();
        for (const a of r.articles) if (!unique.has(a.id)) unique.set(a.id, a);
        return unique;
      });
      // An article's id is its source's (`source:…`), so when no source comes twice one look-up answers for the group:
      // two statements for the sources committed together rather than two for each.
      const once = new Set(results.map((r) => r.spec.id)).size === results.length ? await storedOrPruned(store, uniques.flatMap((u) => [...u.keys()]), now) : undefined;
      for (const [i, r] of results.entries()) {
        const unique = uniques[i] as Map<string, Article>;
        if (r.state) await store.sources.saveSourceState(r.state);
        if (r.status === 'ok') await store.sources.saveFeedInfo(r.spec.id, r.feedTitle, r.feedLink);
        const { stored, pruned } = once ?? (await storedOrPruned(store, [...unique.keys()], now));
        const inserted = [...unique.values()].filter((a) => !stored.has(a.id) && !pruned.has(a.id));
        await store.articles.insertArticles(inserted, (a) => !archived(a));
        for (const a of inserted) {
          if (archived(a)) log.debug({ article: { id: a.id, title: a.title, source: a.sourceId }, date: updatedOf(a), cutoff }, 'old item stored, not published');
          checkpoint('insert-article');
        }
        commits.push({ result: r, inserted, resent: [...unique.values()].filter((a) => stored.has(a.id)) });
      }
      // Each source's newest date, for all the sources committed together in one statement.
      await store.sources.noteSourceDates([...newestBySource(commits.flatMap((c) => c.inserted))]);
      // A source not read this time has not stopped listing its pruned items: their tombstones stay.
      await store.retention.holdPruned(results.filter((r) => r.status !== 'ok').map((r) => r.spec.id), now);
      return commits;
    }, { durable: false }),
  );
}

/**
 * Reads every source concurrently (bounded by the fetch queue) and commits each as soon as it is
 * read, with the others read by then; one failing source fails nothing else. A source read for the first time has nothing
 * stored, so its items are not looked up. `known` holds the sources' fetch state when the caller has it (a worker's
 * claim returns it); else every source's is read.
 */
async function ingestAll(deps: RunDeps, firstRead: ReadonlySet<string>, known?: ReadonlyMap<string, SourceState>): Promise<SourceCommit[]> {
  const { config, store, now, logger } = deps;
  const queue = createFetchQueue({ concurrency: config.fetch.concurrency, perHost: config.fetch.perHost });
  const fetchOptions = fetchOptionsOf(config, now, deps.addressPolicy);
  const stop = readSignal(deps.signal);
  const parsePool = deps.parsePool ?? createParsePool();
  const profile = deps.profile;
  const firstCtx = {
    now,
    fetchOptions,
    schedule: queue.run.bind(queue),
    logger: logger.child({ stage: 'fetch' }),
    articleBaseUrl: articleBaseUrl(config),
    parsePool,
    parseTimeoutMs: config.parse.timeoutMs,
    maxArticleBytes: config.limits.maxArticleBytes,
    ...(profile ? { profile } : {}),
    ...(stop.signal ? { signal: stop.signal } : {}),
  };
  const ctx = { ...firstCtx, known: (ids: readonly string[]) => timed(profile, 'store', () => knownOrPruned(store, ids, now)) };
  const checkpoint = deps.checkpoint ?? (() => undefined);
  const states = known ?? new Map((await timed(profile, 'store', () => store.sources.listSources())).map((row) => [row.spec.id, row.state]));
  // Everything this thread does while the sources are read (requests, replies, handing bodies to the workers) is fetching.
  const outer = profile?.switchTo('fetch');
  // Sources read while a commit is pending, or within COMMIT_GATHER_MS of the first one waiting, are committed together,
  // without waiting for the disk: an fsync per source made a first run of 1,000 loopback feeds cost 18% more CPU, and a
  // commit per source wrote the pages its sources share to the log again at each (the commits of 1,000 sources cost
  // 0.3 s of CPU time one at a time, 0.1 s ten at a time).
  const grouped = groupCalls((results: SourceResult[]) => commitSources(deps, results, firstRead), { waitMs: COMMIT_GATHER_MS });
  // One source whose articles the store refuses fails alone, as a broken feed does: its group is committed again one
  // source at a time, and a source refused on its own is recorded as failed (nothing of it kept, so the next run reads
  // it again in full); the others are kept.
  const commit = async (result: SourceResult): Promise<SourceCommit> => {
    try {
      return await grouped(result);
    } catch {
      try {
        return (await commitSources(deps, [result], firstRead))[0] as SourceCommit;
      } catch (err) {
        const message = `could not store what ${result.spec.location} brought: ${err instanceof Error ? err.message : String(err)}`;
        const { state: _unsaved, ...rest } = result;
        return { result: { ...rest, status: 'failed', articles: [], error: { kind: 'store.write-failed', message } }, inserted: [], resent: [] };
      }
    }
  };
  const done = { sourcesDone: 0, sourcesTotal: deps.sources.length, articles: 0 };
  deps.progress?.({ stage: 'read', ...done });
  try {
    return await Promise.all(
      deps.sources.map(async (spec) => {
        const result = await ingestSource(spec, states.get(spec.id), firstRead.has(spec.id) ? firstCtx : ctx);
        const committed = await commit(result);
        checkpoint('source-read');
        done.sourcesDone += 1;
        done.articles += result.articles.length;
        deps.progress?.({ stage: 'read', ...done });
        return committed;
      }),
    );
  } finally {
    stop.dispose();
    if (!deps.parsePool) await parsePool.close();
    profile?.switchTo(outer);
  }
}

/**
 * The signal the fetches of one read listen to: the caller's stop signal, followed by one listener. Every fetch in
 * flight (up to fetch.concurrency) adds a listener to it while it runs, more than the ten after which Node warns of a
 * leak on stderr: the read's own signal allows them, and the caller's, which may outlive many reads, gets one.
 */
function readSignal(caller: AbortSignal | undefined): { signal?: AbortSignal; dispose: () => void } {
  if (caller === undefined) return { dispose: () => undefined };
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const follow = (): void => controller.abort(caller.reason);
  if (caller.aborted) follow();
  else caller.addEventListener('abort', follow, { once: true });
  return { signal: controller.signal, dispose: () => caller.removeEventListener('abort', follow) };
}

/**
 * Returns the source hash of the stored or pruned articles among `ids`: an item re-sent unchanged is
 * left out early, whether it is stored or was pruned (its tombstone noted as still listed).
 */
async function knownOrPruned(store: Store, ids: readonly string[], now: string): Promise<Map<string, { sourceHash?: string }>> {
  const known = await store.articles.storedSourceHashes(ids);
  const pruned = await store.retention.listedPruned(ids.filter((id) => !known.has(id)), now);
  for (const [id, hash] of pruned) known.set(id, hash);
  return known;
}

/** Tells whether a source has never been read successfully (a feed never fetched, a local source with nothing stored). */
function isFirstRead(spec: SourceSpec, row: SourceRow | undefined, sourceUpdated: ReadonlyMap<string, string>): boolean {
  if (spec.kind === 'feed-url') return row?.state.lastSuccessAt === undefined;
  return !sourceUpdated.has(spec.id);
}

/** Returns the newest date of each source's articles (compared as instants, the first of equal ones). */
function newestBySource(articles: readonly Article[]): Map<string, string> {
  const newest = new Map<string, string>();
  for (const a of articles) {
    const date = updatedOf(a);
    const seen = newest.get(a.sourceId);
    newest.set(a.sourceId, seen === undefined ? date : latestDate(seen, date));
  }
  return newest;
}

/** Sorts articles by publication (else first-seen) time, then source, then id; each date is parsed once, not at every comparison. */
function inPublicationOrder(articles: Article[]): Article[] {
  const time = new Map(articles.map((a) => [a, Date.parse(publishedOf(a))]));
  return articles.sort((a, b) => (time.get(a) as number) - (time.get(b) as number) || a.sourceId.localeCompare(b.sourceId) || a.id.localeCompare(b.id));
}

/** Writes the page of every published local article (one without a web address of its own). */
async function writeArticlePages(config: Config, views: readonly StoryView[]): Promise<void> {
  const base = articleBaseUrl(config);
  const dir = path.join(config.outDir, ARTICLE_PAGES_DIR);
  for (const view of views) {
    for (const article of [view.canonical, ...view.others]) {
      const name = articlePageName(article.url, base);
      if (!name) continue;
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(path.join(dir, name), renderArticlePage(article, config.feed.title, config.limits.maxArticleBytes));
    }
  }
}

/** What publishing needs of a run's dependencies. */
type PublishDeps = Pick<RunDeps, 'config' | 'store' | 'now' | 'version' | 'logger' | 'checkpoint'>;

/**
 * Publishes the feed and the report from the stored stories without reading any source (the
 * review app's "publish now", after a correction). The caller holds the run lock.
 */
export async function publishFromStore(deps: PublishDeps): Promise<{ changed: boolean; entries: number }> {
  const { meta, views } = await publishedStories(deps);
  const published = await publishFeed(deps, meta, views);
  await writeFileAtomic(deps.config.reportFile, renderReport(meta, views, await deps.store.runs.recentRuns(20), { generatedAt: deps.now }));
  return published;
}

/** Builds the feed metadata and the stories to publish (retention applied, newest first). */
async function publishedStories(deps: PublishDeps): Promise<{ meta: FeedMeta; views: StoryView[] }> {
  const { config, store, now } = deps;
  const since = isoMinus(now, config.feed.maxAgeDays * DAY_MS);
  const views = applyRetention(sortStoriesNewestFirst(await loadStoryViews(store, since, config.feed.maxEntries)), { maxEntries: config.feed.maxEntries, maxAgeDays: config.feed.maxAgeDays }, now);
  const meta: FeedMeta = {
    id: config.feed.id,
    title: config.feed.title,
    ...(config.feed.subtitle ? { subtitle: config.feed.subtitle } : {}),
    selfUrl: config.feed.selfUrl,
    homeUrl: config.feed.homeUrl ?? new URL('/', config.feed.selfUrl).toString(),
    author: { name: config.feed.author },
    generator: { name: 'feedfold', version: deps.version, uri: 'https://github.com/feedfold/feedfold' },
    // The newest entry's `updated`, so an unchanged feed keeps its bytes from run to run.
    updated: views.map((v) => v.updated).sort().at(-1) ?? (await store.runs.firstRunStartedAt()) ?? now,
  };
  return { meta, views };
}

/** Publishes the merged Atom feed and the pages of local articles; each file is written atomically. */
async function publishFeed(deps: PublishDeps, meta: FeedMeta, views: StoryView[]): Promise<{ changed: boolean; entries: number }> {
  const checkpoint = deps.checkpoint ?? (() => undefined);
  checkpoint('publish-feed');
  const { feed } = deps.config;
  const doc = renderAtomDocument(meta, views, { maxEntryBytes: feed.maxEntryBytes, maxBytes: feed.maxBytes });
  const log = deps.logger.child({ stage: 'publish' });
  if (doc.leftOut > 0) log.warn({ entries: doc.entries, leftOut: doc.leftOut, maxBytes: feed.maxBytes }, `feed: ${doc.leftOut} older stories left out to keep the feed under feed.maxBytes`);
  if (doc.cut > 0) log.info({ cut: doc.cut, maxEntryBytes: feed.maxEntryBytes }, `feed: ${doc.cut} articles cut to feed.maxEntryBytes`);
  const changed = await writeFileAtomic(deps.config.feedFile, doc.xml);
  await writeArticlePages(deps.config, views);
  checkpoint('published');
  return { changed, entries: doc.entries };
}

/** Splits `items` into batches of at most `size`; always at least one (maybe empty) batch. */
function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length > 0 ? out : [[]];
}

/**
 * Assigns the pending articles in clustering batches, each one unit of work: its decisions, the
 * stories they touched refreshed, and (in the first) the edits of re-sent articles; the last also
 * applies the operator's overrides. A run killed between batches keeps the committed ones; the
 * next run assigns the rest.
 */
async function clusterPending(
  deps: RunDeps,
  runId: number,
  resent: readonly Article[],
  inserted: ReadonlyMap<string, Article>,
): Promise<{ created: number; updated: number; joins: number; indexArticles: number }> {
  const { config, store, now, logger, profile } = deps;
  const checkpoint = deps.checkpoint ?? (() => undefined);
  const pendingIds = await timed(profile, 'store', () => store.articles.pendingArticleIds());
  const read = await timed(profile, 'store', () => store.articles.getArticles(pendingIds.filter((id) => !inserted.has(id))));
  const pending = new Map(pendingIds.map((id) => [id, (inserted.get(id) ?? read.get(id)) as Article]));
  // Deterministic order: by publication (else first-seen) time, then source, then id.
  const toAssign = inPublicationOrder([...pending.values()]);
  const ctx = { runId, now, logger: logger.child({ stage: 'cluster' }), ...(profile ? { profile } : {}) };
  const counts = { created: 0, updated: 0, joins: 0, indexArticles: 0 };
  // By id across batches: a story made in one batch and joined in the next is new to the run, not also updated.
  const created = new Set<string>();
  const updated = new Set<string>();
  const tally = { joins: 0 };
  let index: StoryIndex | undefined;
  let generation = 0;
  let overridesMoved = false;
  const all = batches(toAssign, config.cluster.batchArticles);
  for (const [i, batch] of all.entries()) {
    const last = i === all.length - 1;
    const done = await store.unitOfWork(async () => {
      const touched: TouchedStories = new Map();
      // Edits first, so the index built next compares new articles with the edited texts.
      if (i === 0) {
        await applyEdits(store, resent, touched, ctx);
        // Read before the index is built or taken: a change to the articles committed after it moves it on, and the next run reads the window again.
        if (deps.keeper) generation = await store.articles.generation();
      }
      // The index is built from the window (or the kept one taken) only when there is something to assign, and kept across batches.
      if (batch.length > 0) {
        index ??= deps.keeper ? await deps.keeper.indexFor(deps, { runId, generation }, pending) : await buildIndex(deps, pending);
        await assignArticles(store, index, batch, { ...ctx, checkpoint, tally }, touched);
      }
      let pins = new Map<string, string>();
      if (last) {
        const applied = await timed(profile, 'cluster', () => applyOverrides(store, deps.overrides, touched, ctx));
        pins = applied.pins;
        overridesMoved = applied.moved > 0;
      }
      const counts = await refreshStories(store, touched, pins, config.canonical, now, { inserted: pending, ...(profile ? { profile } : {}) });
      if (last) checkpoint('before-commit');
      return counts;
    });
    if (!last) checkpoint('batch-committed');
    for (const id of done.created) created.add(id);
    for (const id of done.updated) updated.add(id);
    // A story emptied by a later batch (merged away) is neither, as in a run of one batch.
    for (const id of done.deleted) {
      created.delete(id);
      updated.delete(id);
    }
  }
  counts.created = created.size;
  counts.updated = [...updated].filter((id) => !created.has(id)).length;
  counts.joins = tally.joins;
  counts.indexArticles = index?.size() ?? 0;
  deps.keeper?.keep(deps, { runId, generation }, index, overridesMoved);
  return counts;
}

/** Sources by how their read ended: the status, or the error kind of a failure. */
function outcomeCounts(results: readonly SourceResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 'failed' ? (r.error?.kind ?? 'failed') : r.status;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The sources that failed in this run, named for /healthz. */
function failingSources(results: readonly SourceResult[], stored: ReadonlyMap<string, SourceRow>): FailingSource[] {
  return results.filter((r) => r.status === 'failed').map((r) => ({ source: r.spec.id, ...sourceTitle(r.spec, stored.get(r.spec.id)), kind: r.error?.kind ?? 'internal' }));
}

/** Whether a source failed in this run with the error it had already failed with in the run before. */
function failsAsBefore(r: SourceResult, before: SourceRow | undefined): boolean {
  const last = before?.state.lastError;
  return last !== undefined && (before?.state.errorCount ?? 0) > 0 && r.state?.lastError === last && r.state.lastErrorKind === before?.state.lastErrorKind;
}

/** The title a warning names a source by: the config's, else the feed's own as last stored. */
function sourceTitle(spec: SourceSpec, row: SourceRow | undefined): { title?: string } {
  const title = spec.title ?? row?.feedTitle;
  return title ? { title } : {};
}

/** What one round of a worker did: the sources it leased and read, and the edits it applied. */
export interface WorkRound {
  sources: string[];
  articlesNew: number;
  edits: number;
}

/**
 * Runs one round of a fetch worker (`feedfold worker`): leases up to `limit` due sources (others
 * running at the same time get other ones), reads and commits each like a run does (its new
 * articles pending for clustering), and applies the edits they brought. A source read rests until
 * its lease lapses (`leaseMs`); the sources of a worker killed midway are taken by another then.
 */
export async function workRound(deps: RunDeps, lease: { owner: string; leaseMs: number; limit: number; wallClock?: () => number }): Promise<WorkRound> {
  const { store, now, logger } = deps;
  const wallNow = (lease.wallClock ?? Date.now)();
  const claimed = await store.sources.claimDueSources(lease.owner, now, new Date(wallNow).toISOString(), new Date(wallNow + lease.leaseMs).toISOString(), lease.limit);
  if (claimed.length === 0) return { sources: [], articlesNew: 0, edits: 0 };
  const configured = new Map(deps.sources.map((s) => [s.id, s]));
  const specs = claimed.map((row) => configured.get(row.spec.id) ?? row.spec);
  const sourceUpdated = await store.sources.sourcesUpdated(specs.map((s) => s.id));
  const firstRead = new Set(specs.filter((spec) => isFirstRead(spec, claimed.find((r) => r.spec.id === spec.id), sourceUpdated)).map((s) => s.id));
  // The claim returned the sources' state: a round reads no other source's, however many the store holds.
  const commits = await ingestAll({ ...deps, sources: specs }, firstRead, new Map(claimed.map((row) => [row.spec.id, row.state])));
  // Edits move no article between stories: the worker applies them and refreshes their stories itself.
  // Pins made in the review app hold as the file's do.
  const overrides = withCorrections(deps.overrides, await store.overrides.activeOverrides());
  const edits = await applyWorkerEdits(store, commits.flatMap((c) => c.resent), { overrides, policy: deps.config.canonical, now, logger: logger.child({ stage: 'cluster' }) });
  return { sources: specs.map((s) => s.id), articlesNew: commits.reduce((n, c) => n + c.inserted.length, 0), edits };
}

/** Runs the pipeline once: sources → fetch → parse → normalize → cluster → canonical → publish. */
export async function runOnce(deps: RunDeps): Promise<RunSummary> {
  const { config, store, now, logger, profile } = deps;
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const outer = profile?.switchTo('store');
  const stored = new Map((await store.sources.listSources()).map((row) => [row.spec.id, row]));
  const sourceUpdated = await store.sources.sourcesUpdated(deps.sources.map((s) => s.id));
  const runId = await store.unitOfWork(async () => {
    await checkClock(store, now, logger.child({ stage: 'schedule' }));
    await store.sources.upsertSources(deps.sources.map((spec) => ({ spec, origin: stored.get(spec.id)?.origin ?? 'config' })));
    return store.runs.startRun(now);
  });
  const checkpoint = deps.checkpoint ?? (() => undefined);
  const firstRead = new Set(deps.sources.filter((spec) => isFirstRead(spec, stored.get(spec.id), sourceUpdated)).map((spec) => spec.id));
  const commits = await ingestAll(deps, firstRead);
  const results = commits.map((c) => c.result);
  checkpoint('fetched');
  const readCounts = { sourcesDone: results.length, sourcesTotal: results.length, articles: results.reduce((n, r) => n + r.articles.length, 0) };
  deps.progress?.({ stage: 'cluster', ...readCounts });
  if (deps.signal?.aborted === true) logger.child({ stage: 'fetch' }).info({ reason: String(deps.signal.reason) }, `run stopping early (${String(deps.signal.reason)}): sources not read by now are left for the next run; what was read is kept`);

  profile?.switchTo('store');
  const inserted = new Map(commits.flatMap((c) => c.inserted.map((a) => [a.id, a] as const)));
  // The corrections made through the review app apply with the file's entries; either one removed is undone.
  const overrides = withCorrections(deps.overrides, await store.overrides.activeOverrides());
  const counts = await clusterPending(
    { ...deps, overrides },
    runId,
    commits.flatMap((c) => c.resent),
    inserted,
  );
  checkpoint('committed');

  profile?.switchTo('publish');
  deps.progress?.({ stage: 'publish', ...readCounts });
  const { meta, views } = await publishedStories(deps);
  const published = await publishFeed(deps, meta, views);
  const summary: RunSummary = {
    runId,
    startedAt: now,
    durationMs: Math.round(clock() - started),
    sourcesOk: results.filter((r) => r.status === 'ok' || r.status === 'not-modified').length,
    sourcesFailed: results.filter((r) => r.status === 'failed').length,
    sourcesSkipped: results.filter((r) => r.status === 'skipped').length,
    articlesNew: inserted.size,
    storiesNew: counts.created,
    storiesUpdated: counts.updated,
    feedChanged: published.changed,
    outcomes: outcomeCounts(results),
    joins: counts.joins,
    feedEntries: published.entries,
    indexArticles: counts.indexArticles,
    ...(deps.clusterOnly === true ? { clusterOnly: true } : {}),
  };
  await store.unitOfWork(() => store.runs.finishRun(summary));
  checkpoint('finished');
  // What the stored corrections name is kept like what the file's name.
  await pruneState({ ...deps, overrides, articleBaseUrl: articleBaseUrl(config) }, views);
  await recordRunStatus(config.statusFile, summary, failingSources(results, stored));
  // The report comes last so its table of runs includes this one.
  await writeFileAtomic(config.reportFile, renderReport(meta, views, await store.runs.recentRuns(20), { generatedAt: now }));
  checkpoint('publish-report');
  const fetchLog = logger.child({ stage: 'fetch' });
  for (const r of results) {
    if (r.error) {
      const fields = { source: r.spec.id, ...sourceTitle(r.spec, stored.get(r.spec.id)), location: r.spec.location, err: { kind: r.error.kind, message: r.error.message }, errorCount: r.state?.errorCount };
      // One warning per failure, not one per run: a source failing again the same way is logged, not warned about.
      if (failsAsBefore(r, stored.get(r.spec.id))) fetchLog.info(fields, `source still failing: ${r.error.message}`);
      else fetchLog.warn(fields, `source failed: ${r.error.message}`);
    }
    for (const w of r.warnings) fetchLog.warn({ source: r.spec.id, ...sourceTitle(r.spec, stored.get(r.spec.id)), location: r.spec.location, warning: w }, w);
    for (const e of r.itemErrors) logger.child({ stage: 'normalize' }).warn({ source: r.spec.id, ...sourceTitle(r.spec, stored.get(r.spec.id)), err: { kind: e instanceof FeedfoldError ? e.kind : 'internal', message: e.message } }, 'item skipped');
  }
  logger.info({ run: summary, host: os.hostname() }, 'run finished');
  profile?.switchTo(outer);
  return summary;
}

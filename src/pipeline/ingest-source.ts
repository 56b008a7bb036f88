import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { applyFetchOutcome, clampNextFetch, DEFAULT_BACKOFF_POLICY, isDue } from '../fetch/backoff.js';
import { fetchFeed } from '../fetch/fetch-feed.js';
import type { FetchOptions } from '../fetch/fetch-options.js';
import type { Article } from '../model/article.js';
import { FeedfoldError, type FailureKind } from '../model/errors.js';
import type { FetchErrorKind, FetchOutcome } from '../model/fetch.js';
import type { RawFeed } from '../model/raw-entry.js';
import type { SourceSpec, SourceState } from '../model/source.js';
import { knownIdCandidates, normalizeFeed } from '../normalize/normalize-feed.js';
import { parseArticleFile } from '../parse/parse-article-file.js';
import { articlePageUrl } from '../publish/render-article-page.js';
import { readArticleFiles, readFeedFile } from '../sources/read-local.js';
import { clampFutureDates } from './article-dates.js';
import type { KnownIds, ParsePool } from './parse-pool.js';
import { fromRecord, type FeedJob, type FeedJobResult } from './read-feed-job.js';
import { timed, type RunProfile } from './run-profile.js';

/** What reading one source gave: new state, feed info, articles and item-level errors. */
export interface SourceResult {
  spec: SourceSpec;
  status: 'ok' | 'not-modified' | 'skipped' | 'failed';
  /** New fetch state (feed URLs only). */
  state?: SourceState;
  feedTitle?: string;
  feedLink?: string;
  articles: Article[];
  itemErrors: FeedfoldError[];
  /** Source-level failure: stable kind and message. */
  error?: { kind: FailureKind; message: string };
  /** Problems that did not stop the source (lenient parse, entries over the cap). */
  warnings: string[];
}

export interface IngestContext {
  now: string;
  fetchOptions: FetchOptions;
  /** Runs a fetch under the global and per-host limits. */
  schedule: <T>(url: string, task: () => Promise<T>) => Promise<T>;
  logger: Logger;
  /** Where pages of local article files are published (`…/articles/`); they get no link without it. */
  articleBaseUrl?: string;
  /** Returns what the store holds for article ids, so an unchanged item is not normalized again. */
  known?: KnownIds;
  /** Worker threads that parse and normalize feed bodies, each under `parseTimeoutMs`. */
  parsePool: ParsePool;
  /** CPU budget of one feed body, in milliseconds (config `parse.timeoutMs`). */
  parseTimeoutMs: number;
  /** Most UTF-8 bytes of an article's HTML, and of its text, kept in the store (`limits.maxArticleBytes`). */
  maxArticleBytes?: number;
  /** Adds up the CPU time of parsing and normalizing (measured in the worker threads), for benchmarks. */
  profile?: RunProfile;
  /** Aborted when the run must stop (SIGTERM, Ctrl-C): fetches in flight end, and their sources are left as they were. */
  signal?: AbortSignal;
}

/** Turns a fetch error outcome into the stage error it is (its message already names the stage). */
function fetchError(kind: FetchErrorKind, message: string): FeedfoldError {
  return new FeedfoldError('fetch', kind, message.replace(/^fetch: /, ''));
}

function failed(spec: SourceSpec, err: unknown, state?: SourceState): SourceResult {
  const kind: FailureKind = err instanceof FeedfoldError ? err.key : 'internal';
  const message = err instanceof Error ? err.message : String(err);
  return { spec, status: 'failed', articles: [], itemErrors: [], warnings: [], error: { kind, message }, ...(state ? { state } : {}) };
}

/**
 * Clamps dates too far in the future where articles enter, so the stored dates are the ones every
 * later run sees; each clamp is logged at debug level.
 */
function clampDates(articles: Article[], spec: SourceSpec, ctx: IngestContext): Article[] {
  return articles.map((a) => {
    const { article, clamped } = clampFutureDates(a, ctx.now);
    for (const c of clamped) ctx.logger.debug({ source: spec.id, article: { id: a.id, title: a.title }, field: c.field, given: c.given, clamped: c.clamped }, 'future date clamped');
    return article;
  });
}

async function normalized(spec: SourceSpec, feed: RawFeed, ctx: IngestContext, extra: Partial<SourceResult> = {}): Promise<SourceResult> {
  const stored = await ctx.known?.(knownIdCandidates(feed, spec));
  const options = { ...(stored ? { known: (id: string) => stored.get(id) } : {}), ...(ctx.maxArticleBytes !== undefined ? { maxArticleBytes: ctx.maxArticleBytes } : {}) };
  const { articles, errors, feedTitle } = timed(ctx.profile, 'normalize', () => normalizeFeed(feed, spec, ctx.now, options));
  return { spec, status: 'ok', articles: clampDates(articles, spec, ctx), itemErrors: errors, warnings: [], feedTitle, feedLink: feed.link, ...extra };
}

/** Parses and normalizes a feed body in the parse pool, under the run's CPU budget. */
async function readFeed(ctx: IngestContext, job: Omit<FeedJob, 'now' | 'lookupKnown' | 'maxArticleBytes'>): Promise<FeedJobResult> {
  ctx.logger.debug({ source: job.spec.id, url: job.url }, 'parse started');
  const result = await ctx.parsePool.run(
    { ...job, now: ctx.now, lookupKnown: ctx.known !== undefined, ...(ctx.maxArticleBytes === undefined ? {} : { maxArticleBytes: ctx.maxArticleBytes }), ...(ctx.profile ? { measureCpu: true } : {}) },
    { timeoutMs: ctx.parseTimeoutMs, ...(ctx.known ? { known: ctx.known } : {}) },
  );
  if (result.cpu) {
    ctx.profile?.add('parse', result.cpu.parse);
    ctx.profile?.add('normalize', result.cpu.normalize);
  }
  ctx.logger.debug({ source: job.spec.id, url: job.url, ...(result.ok ? { articles: result.articles.length } : { err: { kind: result.error.kind } }) }, 'parse finished');
  return result;
}

/** Turns a successful feed job into the source's result (dates clamped here, where they are logged). */
function fromJob(spec: SourceSpec, job: Extract<FeedJobResult, { ok: true }>, ctx: IngestContext, extra: Partial<SourceResult> = {}): SourceResult {
  return { spec, status: 'ok', articles: clampDates(job.articles, spec, ctx), itemErrors: job.itemErrors.map(fromRecord), warnings: job.warnings, feedTitle: job.feedTitle, feedLink: job.feedLink, ...extra };
}

/** Records a parse failure in the fetch state the way a fetch error is recorded (count, back-off), under its own kind. */
function parseFailureState(prev: SourceState, outcome: FetchOutcome, err: FeedfoldError, now: string): SourceState {
  // Counted and backed off as a client error would be (never retired); the kind and message stored are the parse error's.
  const next = applyFetchOutcome(prev, { kind: 'error', error: 'http-client-error', message: err.message }, now, DEFAULT_BACKOFF_POLICY);
  // Keep no validators: a 304 must not hide a feed we could not read.
  return { ...next, etag: undefined, lastModified: undefined, lastStatus: outcome.kind === 'ok' ? outcome.status : prev.lastStatus, lastError: err.message, lastErrorKind: err.key };
}

async function fetchOnce(ctx: IngestContext, url: string, state: SourceState, linkedFrom?: string): Promise<FetchOutcome> {
  const req = { url, etag: state.etag, lastModified: state.lastModified, ...(linkedFrom === undefined ? {} : { linkedFrom }) };
  return ctx.schedule(url, () => fetchFeed(req, ctx.fetchOptions, ctx.signal));
}

/** Whether the run has been told to stop (read through a call: the signal changes while a fetch awaits). */
function isStopping(ctx: IngestContext): boolean {
  return ctx.signal?.aborted === true;
}

/** A feed the run stopped reading (its signal was aborted): skipped, with its stored state untouched, so it is not held against the source. */
function stopped(spec: SourceSpec, stored: SourceState): SourceResult {
  return { spec, status: 'skipped', articles: [], itemErrors: [], warnings: [], state: stored };
}

async function ingestFeedUrl(spec: SourceSpec, stored: SourceState, ctx: IngestContext): Promise<SourceResult> {
  const prev = clampNextFetch(stored, ctx.now, DEFAULT_BACKOFF_POLICY);
  if (prev !== stored) ctx.logger.info({ source: spec.id, nextFetchAt: stored.nextFetchAt, clamped: prev.nextFetchAt }, `next fetch ${stored.nextFetchAt} is beyond any back-off from ${ctx.now}; moved to ${prev.nextFetchAt}`);
  if (prev.retired) return { spec, status: 'skipped', articles: [], itemErrors: [], warnings: [], state: prev };
  if (!isDue(prev, ctx.now)) return { spec, status: 'skipped', articles: [], itemErrors: [], warnings: [], state: prev };
  if (isStopping(ctx)) return stopped(spec, stored);
  let outcome = await fetchOnce(ctx, prev.url, prev);
  if (isStopping(ctx)) return stopped(spec, stored);
  let state = applyFetchOutcome(prev, outcome, ctx.now, DEFAULT_BACKOFF_POLICY);
  if (outcome.kind === 'error') {
    return failed(spec, fetchError(outcome.error, outcome.message), state);
  }
  if (outcome.kind === 'not-modified') return { spec, status: 'not-modified', articles: [], itemErrors: [], warnings: [], state };
  const hints = (o: Extract<FetchOutcome, { kind: 'ok' }>) => ({ body: o.body, url: o.finalUrl, ...(o.contentType === undefined ? {} : { contentType: o.contentType }), ...(o.contentLanguage === undefined ? {} : { contentLanguage: o.contentLanguage }) });
  const first = await readFeed(ctx, { ...hints(outcome), spec, discover: true });
  if (first.ok) return fromJob(spec, first, ctx, { state });
  // Auto-discovery: a page that links to its feed is followed once, and the feed URL kept.
  const err = fromRecord(first.error);
  if (first.links.length === 0) return failed(spec, err, parseFailureState(prev, outcome, err, ctx.now));
  const feedUrl = first.links[0] as string;
  // The discovered URL goes through the same address policy as any other; it is stored only once it gave a feed.
  outcome = await fetchOnce(ctx, feedUrl, { ...prev, etag: undefined, lastModified: undefined }, outcome.finalUrl);
  if (isStopping(ctx)) return stopped(spec, stored);
  if (outcome.kind !== 'ok') {
    const message = outcome.kind === 'error' ? outcome.message : 'unexpected 304';
    return failed(spec, fetchError(outcome.kind === 'error' ? outcome.error : 'network', message), applyFetchOutcome(prev, outcome, ctx.now, DEFAULT_BACKOFF_POLICY));
  }
  state = { ...applyFetchOutcome(prev, outcome, ctx.now, DEFAULT_BACKOFF_POLICY), url: outcome.permanentUrl ?? feedUrl };
  ctx.logger.info({ source: spec.id, page: prev.url, feed: feedUrl }, 'discovered feed');
  const second = await readFeed(ctx, { ...hints(outcome), spec });
  if (second.ok) return fromJob(spec, second, ctx, { state });
  const err2 = fromRecord(second.error);
  return failed(spec, err2, parseFailureState(state, outcome, err2, ctx.now));
}

/** Reads one source (feed URL, feed file or article directory) into articles; never throws. */
export async function ingestSource(spec: SourceSpec, prev: SourceState | undefined, ctx: IngestContext): Promise<SourceResult> {
  try {
    switch (spec.kind) {
      case 'feed-url':
        return await ingestFeedUrl(spec, prev ?? { sourceId: spec.id, url: spec.location, errorCount: 0, retired: false }, ctx);
      case 'feed-file': {
        const job = await readFeed(ctx, { body: await readFeedFile(spec.location), url: pathToFileURL(spec.location).href, spec });
        return job.ok ? fromJob(spec, job, ctx) : failed(spec, fromRecord(job.error), prev);
      }
      case 'article-dir': {
        const files = await readArticleFiles(spec.location);
        const base = ctx.articleBaseUrl;
        const entries = files.map((f) => {
          const entry = parseArticleFile(f.text, f.name);
          // A local file has no web address: it gets the page feedfold publishes for it.
          return { guid: f.name, ...entry, ...(entry.link === undefined && base ? { link: articlePageUrl(base, spec.id, f.name) } : {}) };
        });
        const feed: RawFeed = { format: 'articles', title: spec.title, entries };
        return await normalized(spec, feed, ctx);
      }
    }
  } catch (err) {
    return failed(spec, err, prev);
  }
}

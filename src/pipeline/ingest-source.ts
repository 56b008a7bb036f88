import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { applyFetchOutcome, clampNextFetch, DEFAULT_BACKOFF_POLICY, isDue } from '../fetch/backoff.js';
import { fetchFeed } from '../fetch/fetch-feed.js';
import type { FetchOptions } from '../fetch/fetch-options.js';
import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { FetchOutcome } from '../model/fetch.js';
import type { RawFeed } from '../model/raw-entry.js';
import type { SourceSpec, SourceState } from '../model/source.js';
import { normalizeFeed } from '../normalize/normalize-feed.js';
import { discoverFeedLinks, looksLikeHtml } from '../parse/discover.js';
import { parseArticleFile } from '../parse/parse-article-file.js';
import { decodeBody } from '../parse/decode-body.js';
import { parseFeedReport } from '../parse/parse-feed.js';
import { articlePageUrl } from '../publish/render-article-page.js';
import { readArticleFiles, readFeedFile } from '../sources/read-local.js';
import { clampFutureDates } from './article-dates.js';

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
  error?: { kind: string; message: string };
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
  /** Returns what the store holds for an article id, so an unchanged item is not normalized again. */
  known?: (articleId: string) => { sourceHash?: string } | undefined;
  /** Most UTF-8 bytes of an article's HTML, and of its text, kept in the store (`limits.maxArticleBytes`). */
  maxArticleBytes?: number;
}

/** Turns a fetch error outcome into the stage error it is (its message already names the stage). */
function fetchError(kind: string, message: string): FeedfoldError {
  return new FeedfoldError('fetch', kind, message.replace(/^fetch: /, ''));
}

function failed(spec: SourceSpec, err: unknown, state?: SourceState): SourceResult {
  const kind = err instanceof FeedfoldError ? `${err.stage}.${err.kind}` : 'internal';
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

function normalized(spec: SourceSpec, feed: RawFeed, ctx: IngestContext, extra: Partial<SourceResult> = {}): SourceResult {
  const options = { ...(ctx.known ? { known: ctx.known } : {}), ...(ctx.maxArticleBytes !== undefined ? { maxArticleBytes: ctx.maxArticleBytes } : {}) };
  const { articles, errors, feedTitle } = normalizeFeed(feed, spec, ctx.now, options);
  return { spec, status: 'ok', articles: clampDates(articles, spec, ctx), itemErrors: errors, warnings: [], feedTitle, feedLink: feed.link, ...extra };
}

/**
 * Parses a feed document. An ill-formed document is read leniently where items survive (a reader
 * would show them) and recorded as a warning; one with no whole item left is a parse error.
 */
function parseFeed(body: Buffer | string, hints: { contentType?: string; contentLanguage?: string; url?: string }, warnings: string[]): RawFeed {
  const report = parseFeedReport(body, hints);
  if (!report.wellFormed) {
    const what = report.problems.join(', ') || 'ill-formed XML';
    if (report.feed.entries.length === 0) throw new FeedfoldError('parse', 'malformed', `${hints.url ?? 'document'} is not well-formed (${what}) and has no complete item`);
    warnings.push(`parse: ${hints.url ?? 'document'} is not well-formed (${what}); read ${report.feed.entries.length} item(s) leniently`);
  }
  if (report.entriesDropped > 0) warnings.push(`parse: ${hints.url ?? 'document'} has ${report.entriesTotal} items; kept the first ${report.feed.entries.length}`);
  return report.feed;
}

/** Records a parse failure in the fetch state the way a fetch error is recorded (count, back-off). */
function parseFailureState(prev: SourceState, outcome: FetchOutcome, err: unknown, now: string): SourceState {
  const asError: FetchOutcome = { kind: 'error', error: 'http-client-error', message: err instanceof Error ? err.message : String(err) };
  const next = applyFetchOutcome(prev, asError, now, DEFAULT_BACKOFF_POLICY);
  // Keep no validators: a 304 must not hide a feed we could not read.
  return { ...next, etag: undefined, lastModified: undefined, lastStatus: outcome.kind === 'ok' ? outcome.status : prev.lastStatus, lastError: next.lastError?.replace(/^[^:]*: /, '') };
}

async function fetchOnce(ctx: IngestContext, url: string, state: SourceState, linkedFrom?: string): Promise<FetchOutcome> {
  const req = { url, etag: state.etag, lastModified: state.lastModified, ...(linkedFrom === undefined ? {} : { linkedFrom }) };
  return ctx.schedule(url, () => fetchFeed(req, ctx.fetchOptions));
}

async function ingestFeedUrl(spec: SourceSpec, stored: SourceState, ctx: IngestContext): Promise<SourceResult> {
  const prev = clampNextFetch(stored, ctx.now, DEFAULT_BACKOFF_POLICY);
  if (prev !== stored) ctx.logger.info({ source: spec.id, nextFetchAt: stored.nextFetchAt, clamped: prev.nextFetchAt }, `next fetch ${stored.nextFetchAt} is beyond any back-off from ${ctx.now}; moved to ${prev.nextFetchAt}`);
  if (prev.retired) return { spec, status: 'skipped', articles: [], itemErrors: [], warnings: [], state: prev };
  if (!isDue(prev, ctx.now)) return { spec, status: 'skipped', articles: [], itemErrors: [], warnings: [], state: prev };
  let outcome = await fetchOnce(ctx, prev.url, prev);
  let state = applyFetchOutcome(prev, outcome, ctx.now, DEFAULT_BACKOFF_POLICY);
  if (outcome.kind === 'error') {
    return failed(spec, fetchError(outcome.error, outcome.message), state);
  }
  if (outcome.kind === 'not-modified') return { spec, status: 'not-modified', articles: [], itemErrors: [], warnings: [], state };
  let body = outcome.body;
  let contentType = outcome.contentType;
  let contentLanguage = outcome.contentLanguage;
  let url = outcome.finalUrl;
  try {
    const warnings: string[] = [];
    return normalized(spec, parseFeed(body, { contentType, ...(contentLanguage === undefined ? {} : { contentLanguage }), url }, warnings), ctx, { state, warnings });
  } catch (err) {
    // Auto-discovery: a page that links to its feed is followed once, and the feed URL kept.
    const text = decodeBody(body, contentType);
    const links = looksLikeHtml(text) ? discoverFeedLinks(text, url) : [];
    if (links.length === 0) return failed(spec, err, parseFailureState(prev, outcome, err, ctx.now));
    const feedUrl = links[0] as string;
    // The discovered URL goes through the same address policy as any other; it is stored only once it gave a feed.
    outcome = await fetchOnce(ctx, feedUrl, { ...prev, etag: undefined, lastModified: undefined }, url);
    if (outcome.kind !== 'ok') {
      const message = outcome.kind === 'error' ? outcome.message : 'unexpected 304';
      return failed(spec, fetchError(outcome.kind === 'error' ? outcome.error : 'network', message), applyFetchOutcome(prev, outcome, ctx.now, DEFAULT_BACKOFF_POLICY));
    }
    state = { ...applyFetchOutcome(prev, outcome, ctx.now, DEFAULT_BACKOFF_POLICY), url: outcome.permanentUrl ?? feedUrl };
    body = outcome.body;
    contentType = outcome.contentType;
    contentLanguage = outcome.contentLanguage;
    url = outcome.finalUrl;
    ctx.logger.info({ source: spec.id, page: prev.url, feed: feedUrl }, 'discovered feed');
    try {
      const warnings: string[] = [];
      return normalized(spec, parseFeed(body, { contentType, ...(contentLanguage === undefined ? {} : { contentLanguage }), url }, warnings), ctx, { state, warnings });
    } catch (err2) {
      return failed(spec, err2, parseFailureState(state, outcome, err2, ctx.now));
    }
  }
}

/** Reads one source (feed URL, feed file or article directory) into articles; never throws. */
export async function ingestSource(spec: SourceSpec, prev: SourceState | undefined, ctx: IngestContext): Promise<SourceResult> {
  try {
    switch (spec.kind) {
      case 'feed-url':
        return await ingestFeedUrl(spec, prev ?? { sourceId: spec.id, url: spec.location, errorCount: 0, retired: false }, ctx);
      case 'feed-file': {
        const body = await readFeedFile(spec.location);
        const warnings: string[] = [];
        return normalized(spec, parseFeed(body, { url: pathToFileURL(spec.location).href }, warnings), ctx, { warnings });
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
        return normalized(spec, feed, ctx);
      }
    }
  } catch (err) {
    return failed(spec, err, prev);
  }
}

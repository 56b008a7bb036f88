import type { Article } from '../model/article.js';
import { FeedfoldError, type ErrorKind, type Stage } from '../model/errors.js';
import type { SourceSpec } from '../model/source.js';
import { knownIdCandidates, normalizeFeed } from '../normalize/normalize-feed.js';
import { decodeBody } from '../parse/decode-body.js';
import { discoverFeedLinks, looksLikeHtml } from '../parse/discover.js';
import { parseFeedReport } from '../parse/parse-feed.js';
import { threadCpuMicros } from './run-profile.js';

/**
 * One fetched or read feed body to turn into articles, as plain data so that it can cross into a
 * worker thread: the body stays bytes (or a string) until the worker decodes it.
 */
export interface FeedJob {
  body: Uint8Array | string;
  contentType?: string;
  contentLanguage?: string;
  /** The document's URL: base of relative links, and named in messages. */
  url?: string;
  spec: SourceSpec;
  now: string;
  /** When the body is not a feed, list the feeds an HTML page links to (auto-discovery). */
  discover?: boolean;
  /** Ask what the store holds for the items' ids (see KnownLookup). */
  lookupKnown?: boolean;
  /** Most UTF-8 bytes of an article's HTML, and of its text, kept (`limits.maxArticleBytes`). */
  maxArticleBytes?: number;
  /** Measure the CPU time of parsing and of normalizing in the job's thread (for a run profile). */
  measureCpu?: boolean;
}

/** A FeedfoldError as plain data (errors lose their class crossing a thread). */
export interface ErrorRecord {
  stage: Stage;
  kind: ErrorKind;
  /** The message without its `stage: ` prefix. */
  detail: string;
}

/** CPU microseconds a job spent in its thread parsing the body and normalizing its items. */
export interface JobCpu {
  parse: number;
  normalize: number;
}

/** What a feed job gives: the articles, or why there are none (and the feeds a page links to); `cpu` when the job asked for it. */
export type FeedJobResult =
  | { ok: true; articles: Article[]; itemErrors: ErrorRecord[]; warnings: string[]; feedTitle?: string; feedLink?: string; cpu?: JobCpu }
  | { ok: false; error: ErrorRecord; links: string[]; cpu?: JobCpu };

/**
 * Returns, for the ids a feed's items may have, what the store holds for each (only the stored
 * ones): asked once per job, so a stored item re-sent unchanged is skipped before the costly steps.
 */
export type KnownLookup = (ids: string[]) => Promise<ReadonlyMap<string, { sourceHash?: string }>>;

/** Turns a FeedfoldError into plain data. */
export function errorRecord(err: FeedfoldError): ErrorRecord {
  const prefix = `${err.stage}: `;
  return { stage: err.stage, kind: err.kind, detail: err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message };
}

/** Rebuilds the FeedfoldError a record was made from. */
export function fromRecord(record: ErrorRecord): FeedfoldError {
  return new FeedfoldError(record.stage, record.kind, record.detail);
}

function asRecord(err: unknown): ErrorRecord {
  if (err instanceof FeedfoldError) return errorRecord(err);
  return { stage: 'parse', kind: 'internal', detail: err instanceof Error ? err.message : String(err) };
}

/**
 * Parses a feed body and normalizes its items. An ill-formed document is read leniently where
 * items survive (a reader would show them) and recorded as a warning; one with no whole item left
 * is a parse error. Never throws: a failure is a result.
 */
export async function runFeedJob(job: FeedJob, known?: KnownLookup): Promise<FeedJobResult> {
  const where = job.url ?? 'document';
  const body = typeof job.body === 'string' ? job.body : Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
  const cpu: JobCpu = { parse: 0, normalize: 0 };
  let step: keyof JobCpu = 'parse';
  let mark = job.measureCpu ? threadCpuMicros() : 0;
  /** Charges this thread's CPU time since `mark` to the current step; returns what the result carries of it. */
  const measured = (): { cpu?: JobCpu } => {
    if (!job.measureCpu) return {};
    const now = threadCpuMicros();
    cpu[step] += now - mark;
    mark = now;
    return { cpu };
  };
  try {
    const report = parseFeedReport(body, { ...(job.contentType === undefined ? {} : { contentType: job.contentType }), ...(job.contentLanguage === undefined ? {} : { contentLanguage: job.contentLanguage }), ...(job.url === undefined ? {} : { url: job.url }) });
    const warnings: string[] = [];
    if (!report.wellFormed) {
      const what = report.problems.join(', ') || 'ill-formed XML';
      if (report.feed.entries.length === 0) throw new FeedfoldError('parse', 'malformed', `${where} is not well-formed (${what}) and has no complete item`);
      warnings.push(`parse: ${where} is not well-formed (${what}); read ${report.feed.entries.length} item(s) leniently`);
    }
    if (report.entriesDropped > 0) warnings.push(`parse: ${where} has ${report.entriesTotal} items; kept the first ${report.feed.entries.length}`);
    const feed = report.feed;
    measured();
    step = 'normalize';
    const stored = known ? await known(knownIdCandidates(feed, job.spec)) : undefined;
    const { articles, errors, feedTitle } = normalizeFeed(feed, job.spec, job.now, { ...(stored ? { known: (id: string) => stored.get(id) } : {}), ...(job.maxArticleBytes === undefined ? {} : { maxArticleBytes: job.maxArticleBytes }) });
    return { ok: true, articles, itemErrors: errors.map(errorRecord), warnings, ...(feedTitle === undefined ? {} : { feedTitle }), ...(feed.link === undefined ? {} : { feedLink: feed.link }), ...measured() };
  } catch (err) {
    const links = job.discover ? feedLinks(body, job) : [];
    return { ok: false, error: asRecord(err), links, ...measured() };
  }
}

function feedLinks(body: Buffer | string, job: FeedJob): string[] {
  try {
    const text = typeof body === 'string' ? body : decodeBody(body, job.contentType);
    return looksLikeHtml(text) && job.url !== undefined ? discoverFeedLinks(text, job.url) : [];
  } catch {
    return [];
  }
}

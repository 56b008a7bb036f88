import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FeedfoldError } from '../model/errors.js';
import { WarningLimiter } from '../log/warning-limiter.js';
import { acceptsGzip, ifNoneMatchMatches, notModifiedSince } from './conditional.js';
import { guardConnections, type ConnectionStats } from './connection-guard.js';
import type { RunStatus } from '../model/run.js';
import { parseRunStatus } from '../model/run-status.js';
import { FileCache, type ServedFile } from './file-cache.js';
import { healthAnswer } from './health.js';
import { createServerMetrics } from './metrics.js';
import { loggedError, loggedUrl } from './log-fields.js';
import { COMMON_HEADERS, INDEX_HEADERS, INDEX_HTML, PUBLISHED_PAGE_HEADERS } from './pages.js';
import type { ReviewApiOptions } from './review/review-api.js';
import { handleReview, isReviewPath } from './review/review-routes.js';

/** Timeouts and per-connection bounds of the server. */
export interface ServerLimits {
  /** Time to receive a request's headers (slow senders, "slowloris"); answered 408. */
  headersTimeoutMs: number;
  /** Time to receive a whole request. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** A connection on which nothing moves either way (a reader that stopped reading) is closed after this long. */
  idleTimeoutMs: number;
  /** How often Node checks the header and request timeouts. */
  timeoutCheckIntervalMs: number;
  /**
   * Requests of one connection answered at once; later pipelined ones wait unparsed. One, as
   * nginx does: answers must go out in order anyway (RFC 9112 §9.3.2).
   */
  maxPipelinedRequests: number;
  /** Bytes of waiting pipelined requests held per connection; beyond them the socket is not read. */
  maxHeldBytes: number;
  /** Requests served on one keep-alive connection before it is closed (Node's maxRequestsPerSocket). */
  maxRequestsPerConnection: number;
  /** Warnings of one kind written per interval; the rest are counted in one summary record. */
  warningsPerInterval: number;
  warningIntervalMs: number;
}

/** The limits `feedfold serve` runs with. */
export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  timeoutCheckIntervalMs: 1_000,
  maxPipelinedRequests: 1,
  maxHeldBytes: 64 * 1024,
  maxRequestsPerConnection: 1_000,
  warningsPerInterval: 10,
  warningIntervalMs: 60_000,
};

/** Connections open at once unless configured (`serve.maxConnections`). */
export const DEFAULT_MAX_CONNECTIONS = 1024;

/**
 * Connections the kernel queues before they are accepted (Node's default is 511): a burst of new
 * connections beyond it is dropped and retried by the clients after 1, 3, 7 s (capped by
 * net.core.somaxconn).
 */
const LISTEN_BACKLOG = 2048;

/** Options of the read-only feed server. */
export interface ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Directory holding the published files; nothing outside it is ever served. */
  outDir: string;
  /** Cache-Control max-age for the feed and report, tied to the schedule. */
  maxAgeSeconds: number;
  /** File name of the feed inside outDir (default `feed.atom`). */
  feedFile?: string;
  /** File name of the report inside outDir (default `report.html`). */
  reportFile?: string;
  /** Connections open at once (default {@link DEFAULT_MAX_CONNECTIONS}). */
  maxConnections?: number;
  /** Overrides of {@link DEFAULT_SERVER_LIMITS}. */
  limits?: Partial<ServerLimits>;
  logger?: { info: Function; warn: Function };
  /** File name of the run status inside outDir (default `status.json`), read by /healthz and /metrics. */
  statusFile?: string;
  /** /healthz answers 503 once the last successful run is older than this (default: 3 × maxAgeSeconds). */
  staleAfterSeconds?: number;
  /** The clock /healthz compares the last successful run with (default Date.now). */
  now?: () => number;
  /** The review app (`/review`, `/api/`): the store's stories and corrections; without it those paths are 404. */
  review?: ReviewApiOptions;
}

/** Schedule intervals without a successful run after which /healthz answers 503, by default. */
export const DEFAULT_STALE_AFTER_RUNS = 3;

/** A started server. */
export interface RunningServer {
  url: string;
  port: number;
  /** Connections open now and what the connection guard has done so far. */
  connections(): ConnectionStats;
  /** Stops listening, closes every connection and writes the pending warning summaries. */
  close(): Promise<void>;
}

const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * Pages of local articles: one flat folder, names of the form the publisher writes (letters,
 * digits, dot, dash, underscore; `.html`) and no longer than a file name can be (NAME_MAX, 255
 * bytes), so an impossible name is a 404 before the file system is asked.
 */
const ARTICLE_PAGE_PATH = /^\/articles\/([a-z0-9][a-z0-9._-]{0,249}\.html)$/i;
const MAX_ARTICLE_PAGE_PATH_CHARS = '/articles/'.length + 255;

function resolveInside(outDir: string, name: string): string {
  const root = path.resolve(outDir);
  const file = path.resolve(root, name);
  if (path.dirname(file) !== root) {
    throw new FeedfoldError('serve', 'invalid-config', `file ${JSON.stringify(name)} is not directly inside ${root}`);
  }
  return file;
}

function sendSimple(res: ServerResponse, head: boolean, status: number, type: string, body: string, headers: Readonly<Record<string, string>> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length, ...COMMON_HEADERS, ...headers });
  res.end(head ? undefined : bytes);
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: ServedFile, type: string, maxAgeSeconds: number, extra: Readonly<Record<string, string>>): void {
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    ETag: gzip ? file.etagGzip : file.etag,
    'Last-Modified': new Date(file.modifiedMs).toUTCString(),
    'Cache-Control': `public, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    Vary: 'Accept-Encoding',
    ...COMMON_HEADERS,
    ...extra,
  };
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  // RFC 9110 §13.2.2: If-Modified-Since is ignored when If-None-Match is present. Both tags
  // name the same content, so either one validates the cached copy.
  const notModified = inm !== undefined ? ifNoneMatchMatches(inm, [file.etag, file.etagGzip]) : ims !== undefined && notModifiedSince(ims, file.modifiedMs);
  if (notModified) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = gzip ? file.gzipped : file.body;
  if (gzip) headers['Content-Encoding'] = 'gzip';
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Starts the read-only HTTP server for the published feed (`/feed.atom`), the review report
 * (`/report`), the pages of local articles (`/articles/…`), a small index page (`/`) and a health
 * check (`/healthz`), with ETag, Last-Modified, conditional GET and gzip (RFC 9110, RFC 9111).
 * Hostile clients are bounded: connections are capped, slow senders and readers time out,
 * pipelined requests are parsed only as fast as they are answered, and the warnings they cause
 * are rate-limited.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const feedPath = resolveInside(opts.outDir, opts.feedFile ?? 'feed.atom');
  const reportPath = resolveInside(opts.outDir, opts.reportFile ?? 'report.html');
  const cache = new FileCache();
  const articlesDir = path.join(path.resolve(opts.outDir), 'articles');
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...opts.limits };
  const warnings = new WarningLimiter(opts.logger as { warn(fields: object, msg: string): void } | undefined, { perInterval: limits.warningsPerInterval, intervalMs: limits.warningIntervalMs });
  const retryAfter = { 'Retry-After': String(Math.max(1, opts.maxAgeSeconds)) };
  const statusPath = resolveInside(opts.outDir, opts.statusFile ?? 'status.json');
  const staleAfterSeconds = opts.staleAfterSeconds ?? DEFAULT_STALE_AFTER_RUNS * opts.maxAgeSeconds;
  const clock = opts.now ?? Date.now;
  const runStatus = async (): Promise<RunStatus | undefined> => {
    const file = await cache.get(statusPath);
    return file === undefined ? undefined : parseRunStatus(file.body.toString('utf8'));
  };
  const metrics = createServerMetrics(runStatus);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const head = req.method === 'HEAD';
    if (opts.review && isReviewPath((req.url ?? '/').split('?')[0] ?? '/')) {
      await handleReview(req, res, opts.review);
      return;
    }
    if (req.method !== 'GET' && !head) {
      sendSimple(res, false, 405, TEXT_TYPE, 'method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    // Routing compares the raw path with a fixed list; no part of the request ever becomes a file
    // name except an article page name of the checked form, which rules out path traversal.
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    switch (pathname) {
      case '/':
      case '/index.html':
        sendSimple(res, head, 200, HTML_TYPE, INDEX_HTML, INDEX_HEADERS);
        return;
      case '/feed.atom': {
        const feed = await cache.get(feedPath);
        if (feed === undefined) {
          sendSimple(res, head, 503, TEXT_TYPE, 'the feed has not been published yet\n', retryAfter);
          return;
        }
        sendFile(req, res, feed, ATOM_TYPE, opts.maxAgeSeconds, {});
        return;
      }
      case '/report':
      case '/report.html': {
        const report = await cache.get(reportPath);
        if (report === undefined) {
          sendSimple(res, head, 503, TEXT_TYPE, 'the report has not been written yet\n', retryAfter);
          return;
        }
        sendFile(req, res, report, HTML_TYPE, opts.maxAgeSeconds, PUBLISHED_PAGE_HEADERS);
        return;
      }
      case '/healthz': {
        const feed = await cache.get(feedPath);
        const health = healthAnswer(await runStatus(), { exists: feed !== undefined, updated: feed !== undefined ? new Date(feed.modifiedMs).toISOString() : null }, clock(), staleAfterSeconds);
        sendSimple(res, head, health.code, 'application/json; charset=utf-8', `${JSON.stringify(health.body)}\n`, { 'Cache-Control': 'no-store' });
        return;
      }
      case '/metrics':
        sendSimple(res, head, 200, metrics.contentType, await metrics.render(), { 'Cache-Control': 'no-store' });
        return;
      default: {
        const page = pathname.length <= MAX_ARTICLE_PAGE_PATH_CHARS ? ARTICLE_PAGE_PATH.exec(pathname)?.[1] : undefined;
        const file = page !== undefined && !page.includes('..') ? await cache.get(path.join(articlesDir, page)) : undefined;
        if (file) {
          sendFile(req, res, file, HTML_TYPE, opts.maxAgeSeconds, PUBLISHED_PAGE_HEADERS);
          return;
        }
        // A plain 404 is not logged: any client can ask for any name.
        sendSimple(res, head, 404, TEXT_TYPE, 'not found\n');
      }
    }
  }

  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
  });
  server.maxRequestsPerSocket = limits.maxRequestsPerConnection;
  // Inactivity on the socket either way: a reader that stopped reading stops the writes too.
  server.setTimeout(limits.idleTimeoutMs);
  const guard = guardConnections(server, {
    maxConnections: opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxPipelinedRequests: limits.maxPipelinedRequests,
    maxHeldBytes: limits.maxHeldBytes,
    warn: (kind, fields, msg) => warnings.warn(kind, fields, msg),
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!guard.admit(req, res)) return;
    handle(req, res).catch((err: unknown) => {
      warnings.warn('request-failed', { err: loggedError(err), url: loggedUrl(req.url) }, 'serve: request failed');
      try {
        if (!res.headersSent) sendSimple(res, req.method === 'HEAD', 500, TEXT_TYPE, 'internal error\n');
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new FeedfoldError('serve', 'listen-failed', `cannot listen on ${opts.host}:${opts.port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen({ port: opts.port, host: opts.host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${hostPart}:${port}`;
  opts.logger?.info({ url, outDir: path.resolve(opts.outDir) }, 'serve: listening');
  return {
    url,
    port,
    connections: () => guard.stats(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          warnings.flush();
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

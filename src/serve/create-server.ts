import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FeedfoldError } from '../model/errors.js';
import { acceptsGzip, ifNoneMatchMatches, notModifiedSince } from './conditional.js';
import { FileCache, type ServedFile } from './file-cache.js';

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
  logger?: { info: Function; warn: Function };
}

/** A started server. */
export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
// The report is static and self-contained: inline styles only, no script at all.
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; base-uri 'none'; form-action 'none'";

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>feedfold</title>
<link rel="alternate" type="application/atom+xml" href="/feed.atom" title="Merged feed">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>
</head>
<body>
<h1>feedfold</h1>
<ul>
<li><a href="/feed.atom">Merged Atom feed</a> — subscribe in your feed reader</li>
<li><a href="/report">Review report</a> — stories, versions and why they were folded together</li>
</ul>
</body>
</html>
`;

function resolveInside(outDir: string, name: string): string {
  const root = path.resolve(outDir);
  const file = path.resolve(root, name);
  if (path.dirname(file) !== root) {
    throw new FeedfoldError('serve', 'invalid-config', `file ${JSON.stringify(name)} is not directly inside ${root}`);
  }
  return file;
}

function sendSimple(res: ServerResponse, head: boolean, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(head ? undefined : bytes);
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: ServedFile, type: string, maxAgeSeconds: number, extra: Record<string, string>): void {
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    ETag: gzip ? file.etagGzip : file.etag,
    'Last-Modified': new Date(file.modifiedMs).toUTCString(),
    'Cache-Control': `public, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
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
 * (`/report`), a small index page (`/`) and a health check (`/healthz`), with ETag,
 * Last-Modified, conditional GET and gzip (RFC 9110, RFC 9111).
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const feedPath = resolveInside(opts.outDir, opts.feedFile ?? 'feed.atom');
  const reportPath = resolveInside(opts.outDir, opts.reportFile ?? 'report.html');
  const cache = new FileCache();
  const articlesDir = path.join(path.resolve(opts.outDir), 'articles');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      sendSimple(res, false, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    // Routing compares the raw path with a fixed list; no part of the request ever becomes a file
    // name, which rules out path traversal (encoded or not).
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    switch (pathname) {
      case '/':
      case '/index.html':
        sendSimple(res, head, 200, HTML_TYPE, INDEX_HTML, { 'Cache-Control': 'public, max-age=3600' });
        return;
      case '/feed.atom': {
        const feed = await cache.get(feedPath);
        if (feed === undefined) {
          sendSimple(res, head, 503, 'text/plain; charset=utf-8', 'the feed has not been published yet\n', { 'Retry-After': String(Math.max(1, opts.maxAgeSeconds)) });
          return;
        }
        sendFile(req, res, feed, ATOM_TYPE, opts.maxAgeSeconds, {});
        return;
      }
      case '/report':
      case '/report.html': {
        const report = await cache.get(reportPath);
        if (report === undefined) {
          sendSimple(res, head, 503, 'text/plain; charset=utf-8', 'the report has not been written yet\n', { 'Retry-After': String(Math.max(1, opts.maxAgeSeconds)) });
          return;
        }
        sendFile(req, res, report, HTML_TYPE, opts.maxAgeSeconds, { 'Content-Security-Policy': REPORT_CSP });
        return;
      }
      case '/healthz': {
        const feed = await cache.get(feedPath);
        const body = JSON.stringify({ status: 'ok', feed: { exists: feed !== undefined, updated: feed !== undefined ? new Date(feed.modifiedMs).toISOString() : null } });
        sendSimple(res, head, 200, 'application/json; charset=utf-8', `${body}\n`, { 'Cache-Control': 'no-store' });
        return;
      }
      default: {
        // Pages of local articles: one flat folder, names of a fixed safe form only.
        const page = /^\/articles\/([a-z0-9][a-z0-9._-]*\.html)$/i.exec(pathname);
        const file = page?.[1] && !page[1].includes('..') ? await cache.get(path.join(articlesDir, page[1])) : undefined;
        if (file) {
          sendFile(req, res, file, HTML_TYPE, opts.maxAgeSeconds, { 'Content-Security-Policy': REPORT_CSP });
          return;
        }
        sendSimple(res, head, 404, 'text/plain; charset=utf-8', 'not found\n');
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.logger?.warn({ err, url: req.url }, 'serve: request failed');
      if (!res.headersSent) sendSimple(res, req.method === 'HEAD', 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new FeedfoldError('serve', 'listen-failed', `cannot listen on ${opts.host}:${opts.port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMON_HEADERS } from '../pages.js';
import { parseStoryQuery } from './parse-request.js';
import { RequestError } from './request-guard.js';
import { handleReviewApi, type ReviewApiOptions } from './review-api.js';
import { renderAuditPage, renderSourcesPage, renderStoriesPage } from './review-pages.js';

/**
 * The app's pages run one inline script, allowed by a nonce fresh for each response; they may call
 * only this server (connect-src 'self'), submit forms only to it, and never be framed.
 */
function pageHeaders(nonce: string): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    'X-Frame-Options': 'DENY',
    ...COMMON_HEADERS,
  };
}

/** The review app's paths, answered by handleReview. */
export function isReviewPath(pathname: string): boolean {
  return pathname === '/review' || pathname.startsWith('/review/') || pathname === '/api' || pathname.startsWith('/api/');
}

/** Renders one page of the app, or undefined for an unknown path. */
async function renderPage(url: URL, opts: ReviewApiOptions, nonce: string): Promise<string | undefined> {
  const { service } = opts;
  const pageOpts = { nonce, writable: opts.adminToken !== undefined && service.writable };
  switch (url.pathname) {
    case '/review':
    case '/review/': {
      const query = parseStoryQuery(url.searchParams);
      const [page, sources] = await Promise.all([service.listStories(query), service.listSources()]);
      return renderStoriesPage(page, query, sources, pageOpts);
    }
    case '/review/sources':
      return renderSourcesPage(await service.listSources(), pageOpts);
    case '/review/audit':
      return renderAuditPage(await service.listOverrides(), pageOpts);
    default:
      return undefined;
  }
}

/** Answers a request for the review app: its pages (GET) and its JSON API under /api/. */
export async function handleReview(req: IncomingMessage, res: ServerResponse, opts: ReviewApiOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    await handleReviewApi(req, res, opts);
    return;
  }
  const head = req.method === 'HEAD';
  const plain = (status: number, text: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...COMMON_HEADERS, ...extra });
    res.end(head ? undefined : `${text}\n`);
  };
  if (req.method !== 'GET' && !head) {
    plain(405, 'method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  const nonce = randomBytes(16).toString('base64');
  let html: string | undefined;
  try {
    html = await renderPage(url, opts, nonce);
  } catch (err) {
    if (!(err instanceof RequestError)) throw err;
    plain(err.status, err.message);
    return;
  }
  if (html === undefined) {
    plain(404, 'not found');
    return;
  }
  const body = Buffer.from(html, 'utf8');
  res.writeHead(200, { ...pageHeaders(nonce), 'Content-Length': body.length });
  res.end(head ? undefined : body);
}



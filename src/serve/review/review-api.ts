import type { IncomingMessage, ServerResponse } from 'node:http';
import { FeedfoldError } from '../../model/errors.js';
import type { ReviewService } from '../../model/review.js';
import { COMMON_HEADERS } from '../pages.js';
import { parseCorrection, parseStoryQuery } from './parse-request.js';
import { checkSameOrigin, readJsonBody, RequestError, tokenMatches } from './request-guard.js';

/** How the API is reached: the service, and the token writes need (none: read-only). */
export interface ReviewApiOptions {
  service: ReviewService;
  adminToken?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends a JSON answer; API answers are never cached (they change with every correction). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const bytes = Buffer.from(`${JSON.stringify(body)}\n`, 'utf8');
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': bytes.length, 'Cache-Control': 'no-store', ...COMMON_HEADERS, ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

/** Checks that a write may be made: same origin, the server has a token, and the request bears it. */
function authorizeWrite(req: IncomingMessage, opts: ReviewApiOptions): void {
  checkSameOrigin(req);
  if (opts.adminToken === undefined || !opts.service.writable) throw new RequestError(403, 'read-only', 'the server is read-only: set serve.adminToken or FEEDFOLD_ADMIN_TOKEN to allow corrections');
  if (!tokenMatches(req.headers.authorization, opts.adminToken)) throw new RequestError(401, 'unauthorized', 'send the admin token as Authorization: Bearer <token>');
}

/** Decodes the id in a path segment (`/api/stories/urn%3Auuid%3A…`). */
function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RequestError(400, 'invalid-path', 'the path is not valid percent-encoding');
  }
}

const allow = (methods: string): never => {
  throw new RequestError(405, 'method-not-allowed', `allowed: ${methods}`);
};

/** Routes one request under /api/ and answers it. */
async function route(req: IncomingMessage, res: ServerResponse, url: URL, opts: ReviewApiOptions): Promise<void> {
  const { service } = opts;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const path = url.pathname;
  if (path === '/api/stories') {
    if (method !== 'GET') allow('GET, HEAD');
    sendJson(res, 200, await service.listStories(parseStoryQuery(url.searchParams)));
    return;
  }
  if (path.startsWith('/api/stories/')) {
    if (method !== 'GET') allow('GET, HEAD');
    const story = await service.getStory(segment(path.slice('/api/stories/'.length)));
    if (!story) throw new RequestError(404, 'not-found', 'no story matches that id');
    sendJson(res, 200, story);
    return;
  }
  if (path === '/api/sources') {
    if (method !== 'GET') allow('GET, HEAD');
    sendJson(res, 200, { sources: await service.listSources() });
    return;
  }
  if (path === '/api/overrides') {
    if (method === 'GET') {
      sendJson(res, 200, { overrides: await service.listOverrides() });
      return;
    }
    if (method !== 'POST') allow('GET, HEAD, POST');
    authorizeWrite(req, opts);
    const { correction, by } = parseCorrection(await readJsonBody(req));
    const result = await service.addCorrection(correction, by ?? 'admin');
    sendJson(res, 201, result, { Location: `/api/overrides/${result.id}` });
    return;
  }
  if (path.startsWith('/api/overrides/')) {
    if (method !== 'DELETE') allow('DELETE');
    authorizeWrite(req, opts);
    const raw = path.slice('/api/overrides/'.length);
    const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(id)) throw new RequestError(400, 'invalid-path', 'an override id is a positive whole number');
    const by = url.searchParams.get('by')?.trim().slice(0, 64) || 'admin';
    const undone = await service.undoCorrection(id, by);
    if (!undone) throw new RequestError(404, 'not-found', `no override ${id}`);
    sendJson(res, 200, undone);
    return;
  }
  if (path === '/api/publish') {
    if (method !== 'POST') allow('POST');
    authorizeWrite(req, opts);
    sendJson(res, 200, await service.publishNow());
    return;
  }
  throw new RequestError(404, 'not-found', 'no such API route');
}

/** Maps a failure to its HTTP status: the request's own (4xx), a correction naming nothing (422), a busy run lock or store (409). */
function failure(err: unknown): { status: number; code: string; message: string } | undefined {
  if (err instanceof RequestError) return { status: err.status, code: err.code, message: err.message };
  if (err instanceof FeedfoldError && err.stage === 'review') return { status: err.kind === 'unresolved' ? 422 : 409, code: err.kind, message: err.message };
  if (err instanceof FeedfoldError && err.stage === 'schedule' && err.kind === 'busy') return { status: 409, code: 'busy', message: err.message };
  // A run in another process holding the SQLite store's write lock past the busy timeout.
  if ((err as { code?: unknown }).code === 'SQLITE_BUSY') return { status: 409, code: 'busy', message: 'the store is busy (a run is writing); try again' };
  return undefined;
}

/**
 * Answers a request under /api/ (README "Review API"): JSON in, JSON out, every input validated
 * with a 4xx naming what is wrong; writes need the admin token. Unexpected errors are rethrown
 * for the server's 500.
 */
export async function handleReviewApi(req: IncomingMessage, res: ServerResponse, opts: ReviewApiOptions): Promise<void> {
  try {
    await route(req, res, new URL(req.url ?? '/', 'http://localhost'), opts);
  } catch (err) {
    const known = failure(err);
    if (!known) throw err;
    const headers: Record<string, string> = known.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="feedfold"' } : {};
    if (known.status === 405) headers.Allow = known.message.replace('allowed: ', '');
    // The rest of an unread body is dropped with the connection, never parsed.
    if (known.status === 411 || known.status === 413 || known.status === 415) headers.Connection = 'close';
    sendJson(res, known.status, { error: { code: known.code, message: known.message } }, headers);
  }
}

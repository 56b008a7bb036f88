import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../src/publish/render-article-page.js';
import { renderAtom } from '../../src/publish/render-atom.js';
import { renderReport } from '../../src/publish/render-report.js';
import { writeFileAtomic } from '../../src/publish/write-atomic.js';
import { startServer, type RunningServer } from '../../src/serve/create-server.js';
import { hasTool, noTool, parseWithPythonFeedparser, readWithNewsboat } from '../helpers/external-tools.js';
import { makeArticle, META, RUNS, SINGLE_STORY, STORIES } from '../publish/story-fixtures.js';
import { send } from './raw-http.js';

let root = '';
let outDir = '';
let server: RunningServer;
const FEED = renderAtom(META, STORIES);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'feedfold-serve-'));
  outDir = path.join(root, 'out');
  await mkdir(outDir);
  // A file beside outDir that traversal attempts would reach.
  await writeFile(path.join(root, 'secret.txt'), 'TOP SECRET');
  server = await startServer({ host: '127.0.0.1', port: 0, outDir, maxAgeSeconds: 900 });
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('server before the first run', () => {
  it('answers 503 for the feed and reports it missing in /healthz', async () => {
    const feed = await send(server.url, '/feed.atom');
    expect(feed.status).toBe(503);
    expect(feed.headers['retry-after']).toBe('900');
    const health = await send(server.url, '/healthz');
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(health.body.toString())).toEqual({ status: 'ok', feed: { exists: false, updated: null } });
  });
});

describe('server with a published feed', () => {
  beforeAll(async () => {
    await writeFileAtomic(path.join(outDir, 'feed.atom'), FEED);
    await writeFileAtomic(path.join(outDir, 'report.html'), renderReport(META, STORIES, RUNS));
  });

  it('serves the feed with type, strong ETag, Last-Modified and Cache-Control', async () => {
    const res = await send(server.url, '/feed.atom');
    const { mtimeMs } = await stat(path.join(outDir, 'feed.atom'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['last-modified']).toBe(new Date(Math.floor(mtimeMs / 1000) * 1000).toUTCString());
    expect(res.headers['cache-control']).toBe('public, max-age=900');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toBe(FEED);
  });

  it('answers 304 to a repeated conditional request (If-None-Match: exact, weak form, in a list, *)', async () => {
    const first = await send(server.url, '/feed.atom');
    const etag = String(first.headers.etag);
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const again = await send(server.url, '/feed.atom', { headers: { 'If-None-Match': inm } });
      expect(again.status, inm).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
    }
    expect((await send(server.url, '/feed.atom', { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
  });

  it('honours If-Modified-Since only without If-None-Match', async () => {
    const first = await send(server.url, '/feed.atom');
    const lm = String(first.headers['last-modified']);
    expect((await send(server.url, '/feed.atom', { headers: { 'If-Modified-Since': lm } })).status).toBe(304);
    expect((await send(server.url, '/feed.atom', { headers: { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).status).toBe(200);
    expect((await send(server.url, '/feed.atom', { headers: { 'If-Modified-Since': 'garbage' } })).status).toBe(200);
    const both = await send(server.url, '/feed.atom', { headers: { 'If-Modified-Since': lm, 'If-None-Match': '"other"' } });
    expect(both.status).toBe(200);
  });

  it('compresses with gzip when Accept-Encoding allows, with its own ETag', async () => {
    const plain = await send(server.url, '/feed.atom');
    const gz = await send(server.url, '/feed.atom', { headers: { 'Accept-Encoding': 'br;q=1, gzip;q=0.8' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(gz.body.length).toBeLessThan(plain.body.length);
    expect(gunzipSync(gz.body).toString('utf8')).toBe(FEED);
    const refused = await send(server.url, '/feed.atom', { headers: { 'Accept-Encoding': 'gzip;q=0, *;q=1' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const revalidated = await send(server.url, '/feed.atom', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': String(gz.headers.etag) } });
    expect(revalidated.status).toBe(304);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const get = await send(server.url, '/feed.atom');
    const head = await send(server.url, '/feed.atom', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-length']).toBe(String(get.body.length));
  });

  it('serves a new run\'s feed immediately, with a new ETag', async () => {
    const before = await send(server.url, '/feed.atom');
    const next = renderAtom({ ...META, updated: '2025-03-03T00:00:00Z' }, [SINGLE_STORY]);
    expect(await writeFileAtomic(path.join(outDir, 'feed.atom'), next)).toBe(true);
    const after = await send(server.url, '/feed.atom', { headers: { 'If-None-Match': String(before.headers.etag) } });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.toString('utf8')).toBe(next);
    await writeFileAtomic(path.join(outDir, 'feed.atom'), FEED);
    expect((await send(server.url, '/feed.atom', { headers: { 'If-None-Match': String(before.headers.etag) } })).status).toBe(304);
  });

  it('serves the report as HTML with validators and a script-free CSP', async () => {
    const res = await send(server.url, '/report');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body.toString()).toContain('Central bank raises rates');
    const again = await send(server.url, '/report', { headers: { 'If-None-Match': String(res.headers.etag) } });
    expect(again.status).toBe(304);
  });

  it('serves an index page that advertises the feed', async () => {
    const res = await send(server.url, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body.toString();
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" href="/feed.atom"');
    expect(html).toContain('href="/report"');
  });

  it('reports the feed in /healthz with the instant Last-Modified names', async () => {
    // An mtime just under a whole second: truncated it is 09:59:59, rounded it would be 10:00:00.
    const feedPath = path.join(outDir, 'feed.atom');
    await utimes(feedPath, 1_740_823_199.75, 1_740_823_199.75);
    const health = await send(server.url, '/healthz');
    const body = JSON.parse(health.body.toString()) as { status: string; feed: { exists: boolean; updated: string } };
    expect(body).toEqual({ status: 'ok', feed: { exists: true, updated: '2025-03-01T09:59:59.000Z' } });
    const feed = await send(server.url, '/feed.atom');
    expect(feed.headers['last-modified']).toBe('Sat, 01 Mar 2025 09:59:59 GMT');
    expect(Date.parse(String(feed.headers['last-modified']))).toBe(Date.parse(body.feed.updated));
    const current = await send(server.url, '/feed.atom', { headers: { 'If-Modified-Since': 'Sat, 01 Mar 2025 09:59:59 GMT' } });
    expect(current.status).toBe(304);
    const older = await send(server.url, '/feed.atom', { headers: { 'If-Modified-Since': 'Sat, 01 Mar 2025 09:59:58 GMT' } });
    expect(older.status).toBe(200);
  });

  it('answers 404 to unknown paths and 405 with Allow to other methods', async () => {
    expect((await send(server.url, '/nope')).status).toBe(404);
    expect((await send(server.url, '/feed.atom.bak')).status).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await send(server.url, '/feed.atom', { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });

  it('never serves a file outside outDir (raw, encoded and double-encoded traversal)', async () => {
    const attempts = ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%252e%252e%252fsecret.txt', '/feed.atom/../../secret.txt', '/report/..%5c..%5csecret.txt', '//etc/passwd', '/..\\secret.txt'];
    for (const attempt of attempts) {
      const res = await send(server.url, attempt);
      expect(res.status, attempt).toBe(404);
      expect(res.body.toString(), attempt).not.toContain('TOP SECRET');
    }
  });

  it('sends no referrer and forbids framing on every HTML page (report, article page, index)', async () => {
    // An article page with a remote image: opened from the server, the image host must not learn the page's address.
    const article = makeArticle({ id: 'seeds--harbor', title: 'Harbor ferry', html: '<p>Text.</p><img src="https://images.example/ferry.jpg" alt="">' });
    await mkdir(path.join(outDir, 'articles'), { recursive: true });
    await writeFileAtomic(path.join(outDir, 'articles', 'seeds--harbor.html'), renderArticlePage(article, META.title));
    for (const page of ['/', '/report', '/articles/seeds--harbor.html']) {
      const res = await send(server.url, page);
      expect(res.status, page).toBe(200);
      expect(res.headers['referrer-policy'], page).toBe('no-referrer');
      expect(res.headers['x-content-type-options'], page).toBe('nosniff');
      expect(res.headers['x-frame-options'], page).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp, page).toContain("frame-ancestors 'none'");
      expect(csp, page).toContain("default-src 'none'");
      expect(res.body.toString(), page).toContain('<meta name="referrer" content="no-referrer">');
    }
    // The published pages keep their image policy; the feed and health check carry the common headers.
    expect((await send(server.url, '/articles/seeds--harbor.html')).headers['content-security-policy']).toContain('img-src http: https: data:');
    for (const other of ['/feed.atom', '/healthz', '/nope']) {
      const res = await send(server.url, other);
      expect(res.headers['referrer-policy'], other).toBe('no-referrer');
      expect(res.headers['x-content-type-options'], other).toBe('nosniff');
    }
  });

  it('refuses a configured feed file outside outDir', async () => {
    await expect(startServer({ host: '127.0.0.1', port: 0, outDir, maxAgeSeconds: 60, feedFile: '../secret.txt' })).rejects.toThrow(/^serve: /);
  });
});

describe.skipIf(!hasTool('python3-feedparser'))(`served feed read by python3-feedparser ${hasTool('python3-feedparser') ? '' : noTool('python3-feedparser')}`, () => {
  it('fetches the feed over HTTP without bozo', async () => {
    await writeFileAtomic(path.join(outDir, 'feed.atom'), FEED);
    const parsed = await parseWithPythonFeedparser(`${server.url}/feed.atom`);
    expect(parsed.bozo).toBe(false);
    expect(parsed.status).toBe(200);
    expect(parsed.entries.map((e) => e.id)).toEqual(STORIES.map((s) => s.id));
  });
});

describe.skipIf(!hasTool('newsboat'))(`served feed read by newsboat ${hasTool('newsboat') ? '' : noTool('newsboat')}`, () => {
  it('reloads the served feed and stores every story', async () => {
    await writeFileAtomic(path.join(outDir, 'feed.atom'), FEED);
    const result = await readWithNewsboat(`${server.url}/feed.atom`);
    expect(result.code).toBe(0);
    expect(result.unread).toBe(STORIES.length);
    expect(result.items.map((i) => i.guid).sort()).toEqual(STORIES.map((s) => s.id).sort());
  });
});

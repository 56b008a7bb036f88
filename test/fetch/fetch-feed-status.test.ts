import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFetchOutcome, DEFAULT_BACKOFF_POLICY, isDue } from '../../src/fetch/backoff.js';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import type { SourceState } from '../../src/model/source.js';
import { LOOPBACK_FETCH_OPTIONS, startLoopback, type Loopback } from './loopback-server.js';

const NOW = '2026-01-01T00:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const OPTS = { ...LOOPBACK_FETCH_OPTIONS, now: () => NOW_MS };

const ROUTES: Record<string, [number, Record<string, string>]> = {
  '/missing': [404, {}],
  '/gone': [410, {}],
  '/forbidden': [403, {}],
  '/broken': [500, {}],
  '/slow-down-seconds': [429, { 'retry-after': '7200' }],
  '/slow-down-date': [429, { 'retry-after': 'Thu, 01 Jan 2026 00:05:00 GMT' }],
  '/unavailable-seconds': [503, { 'retry-after': '90' }],
  '/unavailable-date': [503, { 'retry-after': 'Thu, 01 Jan 2026 03:00:00 GMT' }],
};

function fresh(url: string): SourceState {
  return { sourceId: 'src', url, errorCount: 0, retired: false };
}

describe('fetchFeed: HTTP error statuses become stable kinds', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      const [status, headers] = ROUTES[req.url ?? ''] ?? [200, {}];
      res.writeHead(status, headers).end('<html>error page</html>');
    });
  });
  afterAll(() => server.close());

  it('reports 404 with a message naming the stage, status and URL', async () => {
    const url = server.url('/missing');
    expect(await fetchFeed({ url }, OPTS)).toEqual({ kind: 'error', error: 'http-not-found', status: 404, message: `fetch: http 404 for ${url}` });
  });

  it.each([
    ['/forbidden', 'http-client-error', 403],
    ['/broken', 'http-server-error', 500],
  ])('reports %s as %s', async (p, error, status) => {
    const outcome = await fetchFeed({ url: server.url(p) }, OPTS);
    expect(outcome).toMatchObject({ kind: 'error', error, status });
    expect(outcome.kind === 'error' && outcome.retryAfterMs).toBeFalsy();
  });

  it('retires a feed that answers 410 Gone', async () => {
    const outcome = await fetchFeed({ url: server.url('/gone') }, OPTS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'http-gone', status: 410 });
    const state = applyFetchOutcome(fresh(server.url('/gone')), outcome, NOW, DEFAULT_BACKOFF_POLICY);
    expect(state.retired).toBe(true);
    expect(isDue(state, '2030-01-01T00:00:00Z')).toBe(false);
  });

  it.each([
    ['/slow-down-seconds', 'http-too-many-requests', 429, 7_200_000],
    ['/slow-down-date', 'http-too-many-requests', 429, 300_000],
    ['/unavailable-seconds', 'http-server-error', 503, 90_000],
    ['/unavailable-date', 'http-server-error', 503, 10_800_000],
  ])('reads Retry-After on %s', async (p, error, status, retryAfterMs) => {
    const outcome = await fetchFeed({ url: server.url(p) }, OPTS);
    expect(outcome).toMatchObject({ kind: 'error', error, status, retryAfterMs });
    // With a 1 s base back-off, the server's longer wish decides the next fetch.
    const policy = { ...DEFAULT_BACKOFF_POLICY, baseMs: 1000 };
    const state = applyFetchOutcome(fresh(server.url(p)), outcome, NOW, policy);
    expect(Date.parse(state.nextFetchAt!) - NOW_MS).toBe(retryAfterMs);
    expect(isDue(state, new Date(NOW_MS + retryAfterMs - 1).toISOString())).toBe(false);
    expect(isDue(state, new Date(NOW_MS + retryAfterMs).toISOString())).toBe(true);
  });
});

describe('fetchFeed: URLs and connections', () => {
  it.each(['ftp://127.0.0.1/feed.xml', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', ''])(
    'refuses %j as invalid-url without throwing',
    async (url) => {
      expect(await fetchFeed({ url }, LOOPBACK_FETCH_OPTIONS)).toMatchObject({ kind: 'error', error: 'invalid-url' });
    },
  );

  it('reports a refused connection as a network error', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const outcome = await fetchFeed({ url: `http://127.0.0.1:${port}/feed` }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'network' });
    if (outcome.kind === 'error') expect(outcome.message).toMatch(/^fetch: .*ECONNREFUSED.* for http:\/\/127\.0\.0\.1:\d+\/feed$/);
  });
});

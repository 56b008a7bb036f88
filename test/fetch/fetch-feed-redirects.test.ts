import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFetchOutcome, DEFAULT_BACKOFF_POLICY } from '../../src/fetch/backoff.js';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import type { SourceState } from '../../src/model/source.js';
import { fetchFixture, LOOPBACK_FETCH_OPTIONS, startLoopback, type Loopback } from './loopback-server.js';

const FEED = fetchFixture('minimal-atom.xml');

// Each route answers with a status and a Location; '/feed' serves the fixture, '/gone' answers 410.
const ROUTES: Record<string, [number, string]> = {
  '/perm-1': [301, '/perm-2'],
  '/perm-2': [308, '/feed'],
  '/temp': [302, '/feed'],
  '/see-other': [303, '/feed'],
  '/temp-307': [307, '/feed'],
  '/mixed-1': [301, '/mixed-2'],
  '/mixed-2': [302, '/feed'],
  '/loop-a': [301, '/loop-b'],
  '/loop-b': [301, '/loop-a'],
  '/to-ftp': [301, 'ftp://127.0.0.1/feed'],
  '/moved-then-gone': [301, '/gone'],
  '/relative': [301, 'feed'],
  '/moved-then-big': [308, '/big'],
};

describe('fetchFeed: redirects (at most 5; 301/308 move the stored URL)', () => {
  let server: Loopback;
  const requested: string[] = [];

  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      const p = req.url ?? '';
      requested.push(p);
      const hop = /^\/chain\/(\d+)$/.exec(p);
      if (hop) {
        const left = Number(hop[1]);
        res.writeHead(301, { location: left === 0 ? '/feed' : `/chain/${left - 1}` }).end();
        return;
      }
      const route = ROUTES[p];
      if (route) res.writeHead(route[0], { location: route[1] }).end('moved');
      else if (p === '/feed') res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(FEED);
      else if (p === '/gone') res.writeHead(410).end();
      else if (p === '/big') res.writeHead(200).end(Buffer.alloc(2000, 'x'));
      else res.writeHead(404).end();
    });
  });
  afterAll(() => server.close());

  it('follows a chain of permanent redirects and reports the new URL, which replaces the stored one', async () => {
    const outcome = await fetchFeed({ url: server.url('/perm-1') }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'ok', finalUrl: server.url('/feed'), permanentUrl: server.url('/feed') });
    const state: SourceState = { sourceId: 's', url: server.url('/perm-1'), errorCount: 0, retired: false };
    expect(applyFetchOutcome(state, outcome, '2026-01-01T00:00:00Z', DEFAULT_BACKOFF_POLICY).url).toBe(server.url('/feed'));
  });

  it.each(['/temp', '/see-other', '/temp-307', '/mixed-1'])('follows %s but keeps the stored URL (a hop was temporary)', async (p) => {
    const outcome = await fetchFeed({ url: server.url(p) }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'ok', finalUrl: server.url('/feed') });
    expect('permanentUrl' in outcome && outcome.permanentUrl).toBeFalsy();
    const state: SourceState = { sourceId: 's', url: server.url(p), errorCount: 0, retired: false };
    expect(applyFetchOutcome(state, outcome, '2026-01-01T00:00:00Z', DEFAULT_BACKOFF_POLICY).url).toBe(server.url(p));
  });

  it('resolves a relative Location against the current URL', async () => {
    expect(await fetchFeed({ url: server.url('/relative') }, LOOPBACK_FETCH_OPTIONS)).toMatchObject({ kind: 'ok', finalUrl: server.url('/feed') });
  });

  it('accepts exactly five redirects', async () => {
    // /chain/4 → 3 → 2 → 1 → 0 → /feed is five redirects.
    expect(await fetchFeed({ url: server.url('/chain/4') }, LOOPBACK_FETCH_OPTIONS)).toMatchObject({ kind: 'ok', finalUrl: server.url('/feed') });
  });

  it('gives up on a sixth redirect without requesting its target', async () => {
    requested.length = 0;
    const outcome = await fetchFeed({ url: server.url('/chain/5') }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'too-many-redirects' });
    expect(requested).toHaveLength(6);
    expect(requested).not.toContain('/feed');
  });

  it('detects a redirect loop', async () => {
    requested.length = 0;
    const outcome = await fetchFeed({ url: server.url('/loop-a') }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'too-many-redirects' });
    expect(requested).toEqual(['/loop-a', '/loop-b']);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    expect(await fetchFeed({ url: server.url('/to-ftp') }, LOOPBACK_FETCH_OPTIONS)).toMatchObject({ kind: 'error', error: 'invalid-url' });
  });

  it('reports a feed that moved permanently and then went away as gone, with its new URL', async () => {
    const outcome = await fetchFeed({ url: server.url('/moved-then-gone') }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'http-gone', status: 410, permanentUrl: server.url('/gone') });
  });

  it('keeps the new URL when the moved feed is then refused for its size', async () => {
    const outcome = await fetchFeed({ url: server.url('/moved-then-big') }, { ...LOOPBACK_FETCH_OPTIONS, maxBodyBytes: 1000 });
    expect(outcome).toMatchObject({ kind: 'error', error: 'too-large', permanentUrl: server.url('/big') });
  });
});

describe('fetchFeed: redirect to another host', () => {
  let a: Loopback;
  let b: Loopback;
  beforeAll(async () => {
    b = await startLoopback((_req, res) => res.writeHead(200).end(FEED), '127.0.0.2');
    a = await startLoopback((_req, res) => res.writeHead(308, { location: b.url('/feed') }).end(), '127.0.0.1');
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('follows a permanent move across hosts', async () => {
    expect(await fetchFeed({ url: a.url('/old') }, LOOPBACK_FETCH_OPTIONS)).toMatchObject({ kind: 'ok', permanentUrl: b.url('/feed') });
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFetchOutcome, DEFAULT_BACKOFF_POLICY } from '../../src/fetch/backoff.js';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { DEFAULT_USER_AGENT, FEEDFOLD_VERSION } from '../../src/fetch/fetch-options.js';
import type { SourceState } from '../../src/model/source.js';
import { ROOT } from '../helpers/paths.js';
import { fetchFixture, LOOPBACK_FETCH_OPTIONS, startLoopback, type Loopback } from './loopback-server.js';

const FEED = fetchFixture('minimal-atom.xml');
const ETAG = '"v1-abc"';
const LAST_MODIFIED = 'Thu, 01 Jan 2026 00:00:00 GMT';

describe('fetchFeed: conditional GET (RFC 9110 §13.1) and request headers', () => {
  let server: Loopback;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      seen.push(req.headers);
      const matches = req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED;
      if (matches) {
        res.writeHead(304, { etag: ETAG }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/atom+xml; charset=utf-8', etag: ETAG, 'last-modified': LAST_MODIFIED });
      res.end(FEED);
    });
  });
  afterAll(() => server.close());

  it('gets the body and validators, then a 304 when sending them back', async () => {
    const url = server.url('/feed');
    const first = await fetchFeed({ url }, LOOPBACK_FETCH_OPTIONS);
    expect(first.kind).toBe('ok');
    if (first.kind !== 'ok') return;
    expect(first.body.equals(FEED)).toBe(true);
    expect(first).toMatchObject({ status: 200, finalUrl: url, etag: ETAG, lastModified: LAST_MODIFIED });
    expect(first.contentType).toContain('application/atom+xml');
    expect(first.permanentUrl).toBeUndefined();

    const initial: SourceState = { sourceId: 's1', url, errorCount: 0, retired: false };
    const state = applyFetchOutcome(initial, first, '2026-01-01T00:00:00.000Z', DEFAULT_BACKOFF_POLICY);
    const second = await fetchFeed({ url: state.url, etag: state.etag, lastModified: state.lastModified }, LOOPBACK_FETCH_OPTIONS);
    expect(second).toMatchObject({ kind: 'not-modified', finalUrl: url, etag: ETAG, lastModified: LAST_MODIFIED });
    const sent = seen.at(-1)!;
    expect(sent['if-none-match']).toBe(ETAG);
    expect(sent['if-modified-since']).toBe(LAST_MODIFIED);

    const after = applyFetchOutcome(state, second, '2026-01-01T01:00:00.000Z', DEFAULT_BACKOFF_POLICY);
    expect(after).toMatchObject({ etag: ETAG, lastModified: LAST_MODIFIED, errorCount: 0, lastStatus: 304 });
  });

  it('sends no validators on a first fetch, and asks for feeds and compressed bodies', async () => {
    await fetchFeed({ url: server.url('/fresh') }, LOOPBACK_FETCH_OPTIONS);
    const sent = seen.at(-1)!;
    expect(sent['if-none-match']).toBeUndefined();
    expect(sent['if-modified-since']).toBeUndefined();
    expect(sent.accept).toContain('application/atom+xml');
    expect(sent.accept).toContain('application/rss+xml');
    expect(sent['accept-encoding']?.split(',').map((s) => s.trim())).toEqual(expect.arrayContaining(['gzip', 'deflate', 'br']));
  });

  it('identifies itself with the default User-Agent, or the configured one', async () => {
    await fetchFeed({ url: server.url('/ua') }, LOOPBACK_FETCH_OPTIONS);
    expect(seen.at(-1)!['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(DEFAULT_USER_AGENT).toMatch(/^feedfold\/\S+ \(\+https:\/\/github\.com\/feedfold\/feedfold\)$/);
    await fetchFeed({ url: server.url('/ua') }, { ...LOOPBACK_FETCH_OPTIONS, userAgent: 'my-reader/2.0' });
    expect(seen.at(-1)!['user-agent']).toBe('my-reader/2.0');
  });

  it('keeps the User-Agent version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(FEEDFOLD_VERSION).toBe(pkg.version);
  });
});

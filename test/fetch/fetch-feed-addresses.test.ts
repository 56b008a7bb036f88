import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicAddressesOnly, type AddressPolicy } from '../../src/fetch/address-policy.js';
import { applyFetchOutcome, DEFAULT_BACKOFF_POLICY } from '../../src/fetch/backoff.js';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { DEFAULT_FETCH_OPTIONS, type FetchOptions } from '../../src/fetch/fetch-options.js';
import type { SourceState } from '../../src/model/source.js';
import { fetchFixture, LOOPBACK_FETCH_OPTIONS, startLoopback, type Loopback } from './loopback-server.js';

const SECRET = '{"items":[{"secret":"internal-api-token-5f2c"}]}';
const HINT = 'set fetch.allowPrivateNetworks to read feeds on your own network';
// Refusals never reach the network; a short connect timeout keeps a regression from hanging on 169.254.169.254.
const STRICT: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, connectTimeoutMs: 2000, totalTimeoutMs: 4000 };

/** A loopback server on `host` that counts TCP connections: a refused fetch must open none. */
const serve = (host: string, handler: http.RequestListener): Promise<Loopback> => startLoopback(handler, host);

/** The "internal API": JSON with an items array and a secret, the shape that once passed for a JSON Feed. */
const internalApi: http.RequestListener = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(SECRET);

/** Lets the fetcher reach 127.0.0.1 (where the test's front server is) and nothing else that is not public. */
const onlyFirstLoopback: AddressPolicy = (address) => (address === '127.0.0.1' ? undefined : publicAddressesOnly(address));

describe('fetchFeed refuses non-public addresses before connecting', () => {
  let internal: Loopback;
  let internal6: Loopback | undefined;

  beforeAll(async () => {
    internal = await serve('127.0.0.1', internalApi);
    // IPv6 loopback may be missing in a container; the [::1] case then checks the refusal alone.
    internal6 = await serve('::1', internalApi).catch(() => undefined);
  });
  afterAll(async () => {
    await internal.close();
    await internal6?.close();
  });

  it('refuses 127.0.0.1, naming host, address and the setting that allows it, and never connects', async () => {
    const url = `${internal.origin}/api/v1/keys`;
    const outcome = await fetchFeed({ url }, STRICT);
    expect(outcome).toEqual({ kind: 'error', error: 'blocked-address', message: `fetch: refused ${url}: 127.0.0.1 is a loopback address; ${HINT}` });
    expect(internal.connections).toBe(0);
  });

  // Every one of these reaches the internal server when allowed (see the control test below).
  const numeric: Array<[string, (port: number) => string]> = [
    ['short form 127.1', (p) => `http://127.1:${p}/api`],
    ['decimal 2130706433', (p) => `http://2130706433:${p}/api`],
    ['hex 0x7f000001', (p) => `http://0x7f000001:${p}/api`],
    ['octal 0177.0.0.1', (p) => `http://0177.0.0.1:${p}/api`],
    ['IPv4-mapped [::ffff:127.0.0.1]', (p) => `http://[::ffff:127.0.0.1]:${p}/api`],
    ['IPv4-mapped in hex [::ffff:7f00:1]', (p) => `http://[::ffff:7f00:1]:${p}/api`],
  ];
  for (const [name, urlOf] of numeric) {
    it(`refuses the ${name} form of loopback`, async () => {
      const outcome = await fetchFeed({ url: urlOf(internal.port) }, STRICT);
      expect(outcome).toMatchObject({ kind: 'error', error: 'blocked-address' });
      expect(outcome.kind === 'error' && outcome.message).toMatch(/: (127\.0\.0\.1|::ffff:7f00:1) is a loopback address; set fetch\.allowPrivateNetworks/);
      expect(internal.connections).toBe(0);
    });
  }

  it('refuses [::1]', async () => {
    const url = `http://[::1]:${internal6?.port ?? 9}/api`;
    const outcome = await fetchFeed({ url }, STRICT);
    expect(outcome).toEqual({ kind: 'error', error: 'blocked-address', message: `fetch: refused ${url}: ::1 is a loopback address; ${HINT}` });
    expect(internal6?.connections ?? 0).toBe(0);
  });

  const metadata: Array<[string, string, string]> = [
    ['169.254.169.254', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['decimal 2852039166', 'http://2852039166/latest/meta-data/', '169.254.169.254'],
    ['hex 0xA9FEA9FE', 'http://0xA9FEA9FE/latest/meta-data/', '169.254.169.254'],
    ['octal 0251.0376.0251.0376', 'http://0251.0376.0251.0376/latest/meta-data/', '169.254.169.254'],
    ['IPv4-mapped [::ffff:169.254.169.254]', 'http://[::ffff:169.254.169.254]/latest/meta-data/', '::ffff:a9fe:a9fe'],
    ['IPv4-mapped in hex [::ffff:a9fe:a9fe]', 'http://[::ffff:a9fe:a9fe]/latest/meta-data/', '::ffff:a9fe:a9fe'],
  ];
  for (const [name, url, address] of metadata) {
    it(`refuses the cloud metadata address written as ${name}`, async () => {
      const outcome = await fetchFeed({ url }, STRICT);
      expect(outcome).toMatchObject({ kind: 'error', error: 'blocked-address' });
      expect(outcome.kind === 'error' && outcome.message).toContain(`: ${address} is a link-local address; ${HINT}`);
    });
  }

  it('refuses a host name that resolves to loopback (localhost), after resolution', async () => {
    const url = `http://localhost:${internal.port}/api`;
    const outcome = await fetchFeed({ url }, STRICT);
    expect(outcome).toMatchObject({ kind: 'error', error: 'blocked-address' });
    expect(outcome.kind === 'error' && outcome.message).toMatch(
      new RegExp(`^fetch: refused ${url.replace(/[.?/]/g, '\\$&')}: localhost resolves to (127\\.0\\.0\\.1|::1), a loopback address; set fetch\\.allowPrivateNetworks`),
    );
    expect(internal.connections).toBe(0);
  });

  it('does not reuse a kept-alive connection opened while private networks were allowed', async () => {
    const url = `http://localhost:${internal.port}/reuse`;
    expect(await fetchFeed({ url }, LOOPBACK_FETCH_OPTIONS)).toMatchObject({ kind: 'ok' });
    const requests = internal.requests.length;
    expect(await fetchFeed({ url }, STRICT)).toMatchObject({ kind: 'error', error: 'blocked-address' });
    expect(internal.requests.length).toBe(requests);
  });

  it('control: with private networks allowed, the same numeric forms do reach the internal server', async () => {
    const before = internal.requests.length;
    for (const [, urlOf] of numeric.slice(0, 4)) {
      expect(await fetchFeed({ url: urlOf(internal.port) }, LOOPBACK_FETCH_OPTIONS)).toMatchObject({ kind: 'ok' });
    }
    expect(internal.requests.length).toBe(before + 4);
  });
});

describe('fetchFeed checks every redirect hop', () => {
  let front: Loopback;
  let internal: Loopback;
  let hidden: string;

  beforeAll(async () => {
    // On Linux all of 127.0.0.0/8 is loopback: 127.0.0.2 stands for a host on the private network.
    internal = await serve('127.0.0.2', internalApi);
    hidden = `${internal.origin}/api/v1/keys`;
    const feed = fetchFixture('minimal-atom.xml');
    const redirects: Record<string, [number, string]> = {
      '/moved': [301, hidden],
      '/found': [302, hidden],
      '/metadata': [302, 'http://169.254.169.254/latest/meta-data/'],
      '/metadata-decimal': [307, 'http://2852039166/latest/meta-data/'],
      '/metadata-mapped': [308, 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
      '/loopback-v6': [302, 'http://[::1]/'],
      '/chain-1': [301, '/chain-2'],
      '/chain-2': [301, hidden],
    };
    front = await serve('127.0.0.1', (req, res) => {
      const hop = redirects[req.url ?? ''];
      if (hop) res.writeHead(hop[0], { location: hop[1] }).end();
      else if (req.url === '/feed') res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(feed);
      else res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await front.close();
    await internal.close();
  });

  const opts = (): FetchOptions => ({ ...STRICT, addressPolicy: onlyFirstLoopback });

  it('the test policy reaches the front server', async () => {
    expect(await fetchFeed({ url: `${front.origin}/feed` }, opts())).toMatchObject({ kind: 'ok' });
  });

  for (const path of ['/moved', '/found']) {
    it(`refuses the second hop of ${path} to a private host, keeps the stored URL, and never connects to it`, async () => {
      const url = `${front.origin}${path}`;
      const outcome = await fetchFeed({ url }, opts());
      expect(outcome).toEqual({ kind: 'error', error: 'blocked-address', message: `fetch: refused ${hidden} (redirected from ${url}): 127.0.0.2 is a loopback address; ${HINT}` });
      expect(internal.connections).toBe(0);
      // A refused permanent redirect never becomes the source's URL.
      const prev: SourceState = { sourceId: 's', url, errorCount: 0, retired: false };
      const state = applyFetchOutcome(prev, outcome, '2025-03-05T12:00:00Z', DEFAULT_BACKOFF_POLICY);
      expect(state.url).toBe(url);
      expect(state).toMatchObject({ lastErrorKind: 'fetch.blocked-address', lastError: outcome.kind === 'error' ? outcome.message : '' });
    });
  }

  it('refuses the third hop of a chain of permanent redirects', async () => {
    const outcome = await fetchFeed({ url: `${front.origin}/chain-1` }, opts());
    expect(outcome).toMatchObject({ kind: 'error', error: 'blocked-address' });
    expect(outcome.permanentUrl).toBeUndefined();
    expect(outcome.kind === 'error' && outcome.message).toContain(`refused ${hidden} (redirected from ${front.origin}/chain-1)`);
    expect(internal.connections).toBe(0);
  });

  const toMetadata: Array<[string, string]> = [
    ['/metadata', '169.254.169.254 is a link-local address'],
    ['/metadata-decimal', '169.254.169.254 is a link-local address'],
    ['/metadata-mapped', '::ffff:a9fe:a9fe is a link-local address'],
    ['/loopback-v6', '::1 is a loopback address'],
  ];
  for (const [path, reason] of toMetadata) {
    it(`refuses a redirect ${path} → ${reason.split(' ')[0]}`, async () => {
      const outcome = await fetchFeed({ url: `${front.origin}${path}` }, opts());
      expect(outcome).toMatchObject({ kind: 'error', error: 'blocked-address' });
      expect(outcome.kind === 'error' && outcome.message).toContain(`(redirected from ${front.origin}${path}): ${reason}; ${HINT}`);
    });
  }

  it('names the page a discovered feed URL came from', async () => {
    const outcome = await fetchFeed({ url: hidden, linkedFrom: `${front.origin}/` }, opts());
    expect(outcome).toEqual({ kind: 'error', error: 'blocked-address', message: `fetch: refused ${hidden} (linked from ${front.origin}/): 127.0.0.2 is a loopback address; ${HINT}` });
  });
});

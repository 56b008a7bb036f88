import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicAddressesOnly, type AddressPolicy } from '../../src/fetch/address-policy.js';
import { tempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import { startLoopback, type Loopback } from '../fetch/loopback-server.js';

const NOW = '2025-03-05T12:00:00Z';
const TOKEN = 'internal-api-token-5f2c';
const HINT = 'set fetch.allowPrivateNetworks to read feeds on your own network';
/** An internal service's answer in the shape of a JSON Feed, so only the address check keeps it out of the feed. */
const SECRET_FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Internal',
  items: [{ id: 'k1', url: 'http://internal.invalid/k1', title: `Key ${TOKEN}`, content_text: `The deploy key is ${TOKEN}.`, date_published: '2025-03-05T10:00:00Z' }],
});
/** What an internal API typically answers: JSON with an items array and no JSON Feed version. */
const SECRET_API = JSON.stringify({ items: [{ id: 'k1', title: `Key ${TOKEN}`, secret: TOKEN }] });

/** A loopback server on `host` that counts TCP connections: a refused fetch must open none. */
const serve = (host: string, handler: http.RequestListener): Promise<Loopback> => startLoopback(handler, host);

const internalApi: http.RequestListener = (req, res) => {
  if (req.url === '/feed.json') res.writeHead(200, { 'content-type': 'application/feed+json' }).end(SECRET_FEED);
  else res.writeHead(200, { 'content-type': 'application/json' }).end(SECRET_API);
};

/** Reaches the front server on 127.0.0.1 and nothing else that is not public (127.0.0.2 stands for the private network). */
const onlyFirstLoopback: AddressPolicy = (address) => (address === '127.0.0.1' ? undefined : publicAddressesOnly(address));

interface Outcome {
  lastError: string | undefined;
  lastErrorKind: string | undefined;
  storedUrl: string | undefined;
  feed: string;
  entryTitles: string[];
  warning: string | undefined;
  failed: number;
}

/**
 * Runs a project with the given feed URL as source `victim` beside one local article (so the feed
 * is written), and returns what a user sees: the source's recorded error, the stored URL, the
 * published feed and the warning logged for the source.
 */
async function runWith(url: string, opts: { allowPrivateNetworks: boolean; addressPolicy?: AddressPolicy }): Promise<Outcome> {
  const project = tempProject();
  try {
    const seeds = project.copySeeds(['000_168ea976ff7458c6.txt']);
    project.writeConfig({ fetch: { allowPrivateNetworks: opts.allowPrivateNetworks }, feed: { maxAgeDays: 3650 }, sources: [{ id: 'victim', url }, { id: 'local', dir: seeds }] });
    const summary = await runPipeline(project.configFile, NOW, opts.addressPolicy ? { addressPolicy: opts.addressPolicy } : {});
    const store = await openStore(project.configFile);
    let state;
    try {
      state = (await store.sources.getSource('victim'))?.state;
    } finally {
      await store.close();
    }
    const feed = readFileSync(project.feedFile, 'utf8');
    const log = readFileSync(`${project.outDir}/feedfold.log`, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { msg: string; source?: string });
    return {
      lastError: state?.lastError,
      lastErrorKind: state?.lastErrorKind,
      storedUrl: state?.url,
      feed,
      entryTitles: (parseAtomFeed(feed).entries ?? []).map((e) => String(e.title ?? '')),
      warning: log.find((r) => r.source === 'victim' && r.msg.startsWith('source failed'))?.msg,
      failed: summary.sourcesFailed,
    };
  } finally {
    project.cleanup();
  }
}

/** Asserts a refused source: its error recorded and logged, nothing of the internal service published, its URL unchanged. */
function expectRefused(o: Outcome, url: string, refusal: string): void {
  expect(o.failed).toBe(1);
  expect(o.lastErrorKind).toBe('fetch.blocked-address');
  expect(o.lastError).toBe(`fetch: refused ${refusal}; ${HINT}`);
  expect(o.warning).toBe(`source failed: fetch: refused ${refusal}; ${HINT}`);
  expect(o.storedUrl).toBe(url);
  expect(o.feed).not.toContain(TOKEN);
  // The local article still made it: one hostile source fails nothing else.
  expect(o.entryTitles.length).toBe(1);
}

describe('a run refuses private addresses of a subscribed URL (fetch.allowPrivateNetworks off)', () => {
  let internal: Loopback;
  let internal6: Loopback | undefined;

  beforeAll(async () => {
    internal = await serve('127.0.0.1', internalApi);
    internal6 = await serve('::1', internalApi).catch(() => undefined);
  });
  afterAll(async () => {
    await internal.close();
    await internal6?.close();
  });

  const cases: Array<[string, (p: number) => string, (url: string) => string]> = [
    ['http://127.0.0.1', (p) => `http://127.0.0.1:${p}/feed.json`, (u) => `${u}: 127.0.0.1 is a loopback address`],
    ['the short form 127.1', (p) => `http://127.1:${p}/feed.json`, () => `http://127.0.0.1:${internal.port}/feed.json: 127.0.0.1 is a loopback address`],
    ['the decimal form 2130706433', (p) => `http://2130706433:${p}/feed.json`, () => `http://127.0.0.1:${internal.port}/feed.json: 127.0.0.1 is a loopback address`],
    ['the hex form 0x7f000001', (p) => `http://0x7f000001:${p}/feed.json`, () => `http://127.0.0.1:${internal.port}/feed.json: 127.0.0.1 is a loopback address`],
    ['IPv4-mapped [::ffff:127.0.0.1]', (p) => `http://[::ffff:127.0.0.1]:${p}/feed.json`, () => `http://[::ffff:7f00:1]:${internal.port}/feed.json: ::ffff:7f00:1 is a loopback address`],
  ];
  for (const [name, urlOf, refusalOf] of cases) {
    it(`refuses ${name}`, async () => {
      const url = urlOf(internal.port);
      expectRefused(await runWith(url, { allowPrivateNetworks: false }), url, refusalOf(url));
      expect(internal.connections).toBe(0);
    });
  }

  it('refuses [::1]', async () => {
    const url = `http://[::1]:${internal6?.port ?? 9}/feed.json`;
    expectRefused(await runWith(url, { allowPrivateNetworks: false }), url, `${url}: ::1 is a loopback address`);
    expect(internal6?.connections ?? 0).toBe(0);
  });

  it('refuses a host name that resolves to loopback (localhost)', async () => {
    const url = `http://localhost:${internal.port}/feed.json`;
    const o = await runWith(url, { allowPrivateNetworks: false });
    const address = /localhost resolves to (\S+),/.exec(o.lastError ?? '')?.[1] ?? '?';
    expect(['127.0.0.1', '::1']).toContain(address);
    expectRefused(o, url, `${url}: localhost resolves to ${address}, a loopback address`);
    expect(internal.connections).toBe(0);
  });

  it('control: with fetch.allowPrivateNetworks on, the same feed is read and published', async () => {
    const url = `http://127.0.0.1:${internal.port}/feed.json`;
    const o = await runWith(url, { allowPrivateNetworks: true });
    expect(o.lastError).toBeUndefined();
    expect(o.feed).toContain(TOKEN);
  });
});

describe('a run checks redirect hops and discovered feeds', () => {
  let front: Loopback;
  let internal: Loopback;
  let hidden: string;

  beforeAll(async () => {
    internal = await serve('127.0.0.2', internalApi);
    hidden = `${internal.origin}/feed.json`;
    const page = (href: string): string =>
      `<!doctype html><html><head><title>Harbor Gazette</title><link rel="alternate" type="application/feed+json" href="${href}"></head><body><p>News.</p></body></html>`;
    const routes: Record<string, [number, Record<string, string>, string]> = {
      '/discover': [200, { 'content-type': 'text/html' }, page(`${internal.origin}/feed.json`)],
      '/discover-metadata': [200, { 'content-type': 'text/html' }, page('http://2852039166/latest/meta-data/')],
      '/discover-mapped': [200, { 'content-type': 'text/html' }, page('http://[::ffff:a9fe:a9fe]/latest/meta-data/')],
      '/moved': [301, { location: `${internal.origin}/feed.json` }, ''],
      '/metadata': [302, { location: 'http://169.254.169.254/latest/meta-data/' }, ''],
      '/metadata-hex': [302, { location: 'http://0xA9FEA9FE/latest/meta-data/' }, ''],
      '/metadata-mapped': [308, { location: 'http://[::ffff:169.254.169.254]/latest/meta-data/' }, ''],
    };
    front = await serve('127.0.0.1', (req, res) => {
      const route = routes[req.url ?? ''];
      if (route) res.writeHead(route[0], route[1]).end(route[2]);
      else res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await front.close();
    await internal.close();
  });

  const run = (path: string): Promise<Outcome> => runWith(`${front.origin}${path}`, { allowPrivateNetworks: false, addressPolicy: onlyFirstLoopback });

  it('refuses a discovered feed link pointing at a private host, and keeps the page as the source URL', async () => {
    const o = await run('/discover');
    expectRefused(o, `${front.origin}/discover`, `${hidden} (linked from ${front.origin}/discover): 127.0.0.2 is a loopback address`);
    expect(internal.connections).toBe(0);
  });

  it('refuses a discovered feed link to the metadata address in decimal (2852039166)', async () => {
    const o = await run('/discover-metadata');
    expectRefused(o, `${front.origin}/discover-metadata`, `http://169.254.169.254/latest/meta-data/ (linked from ${front.origin}/discover-metadata): 169.254.169.254 is a link-local address`);
  });

  it('refuses a discovered feed link to [::ffff:a9fe:a9fe]', async () => {
    const o = await run('/discover-mapped');
    expectRefused(o, `${front.origin}/discover-mapped`, `http://[::ffff:a9fe:a9fe]/latest/meta-data/ (linked from ${front.origin}/discover-mapped): ::ffff:a9fe:a9fe is a link-local address`);
  });

  it('refuses a permanent redirect to a private host and keeps the subscribed URL', async () => {
    const o = await run('/moved');
    expectRefused(o, `${front.origin}/moved`, `${hidden} (redirected from ${front.origin}/moved): 127.0.0.2 is a loopback address`);
    expect(internal.connections).toBe(0);
  });

  const metadata: Array<[string, string, string]> = [
    ['/metadata', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['/metadata-hex', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['/metadata-mapped', 'http://[::ffff:a9fe:a9fe]/latest/meta-data/', '::ffff:a9fe:a9fe'],
  ];
  for (const [path, target, address] of metadata) {
    it(`refuses a redirect ${path} to the cloud metadata address`, async () => {
      const o = await run(path);
      expectRefused(o, `${front.origin}${path}`, `${target} (redirected from ${front.origin}${path}): ${address} is a link-local address`);
    });
  }

  it('control: allowed to reach 127.0.0.2, the discovered internal feed would be published', async () => {
    const o = await runWith(`${front.origin}/discover`, { allowPrivateNetworks: true });
    expect(o.feed).toContain(TOKEN);
    expect(internal.connections).toBeGreaterThan(0);
  });
});

describe('JSON that is not a JSON Feed is not read as one', () => {
  let internal: Loopback;
  beforeAll(async () => {
    internal = await serve('127.0.0.1', internalApi);
  });
  afterAll(() => internal.close());

  it('an internal API answer with an items array is "not a feed", even where private networks are allowed', async () => {
    const url = `${internal.origin}/api/v1/keys`;
    const o = await runWith(url, { allowPrivateNetworks: true });
    expect(o.failed).toBe(1);
    expect(o.lastErrorKind).toBe('parse.not-a-feed');
    expect(o.lastError).toBe(`parse: not a feed: JSON without a JSON Feed version (https://jsonfeed.org/version/1.1) (${url})`);
    expect(o.feed).not.toContain(TOKEN);
    expect(o.storedUrl).toBe(url);
  });
});

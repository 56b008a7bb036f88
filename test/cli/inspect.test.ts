import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { tempProject } from '../helpers/project.js';
import { feedfold, startLoopback, type Loopback } from './cli-harness.js';

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const NOW = '2025-03-05T12:00:00Z';

/** The fields `feedfold inspect` prints per article. */
interface Inspected {
  id: string;
  title: string;
  url: string | null;
  published: string | null;
  language: string;
  truncated: boolean;
  text: string;
}

function parseOutput(stdout: string): Inspected[] {
  const value: unknown = JSON.parse(stdout);
  expect(Array.isArray(value)).toBe(true);
  return value as Inspected[];
}

describe('feedfold inspect', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startLoopback();
    server.route('/metro.xml', { file: path.join(FEEDS, 'metro-atom.xml') });
  });
  afterAll(() => server.close());

  it('reads a seed article file: id, title, the date header, language and text', async () => {
    const result = await feedfold(['inspect', path.join(ROOT, 'seeds', '000_168ea976ff7458c6.txt'), '--now', NOW]);
    expect(result.code).toBe(0);
    const [article, ...rest] = parseOutput(result.stdout);
    expect(rest).toEqual([]);
    expect(article!.id).toMatch(/^\S+$/);
    expect(article!.title).toMatch(/^Kim Basinger is opening up about her relationship with Alec Baldwin/);
    expect(article!.published?.slice(0, 10)).toBe('2025-03-01');
    expect(article!.language).toBe('en');
    expect(article!.text.length).toBeGreaterThan(500);
    // The `date` header is metadata, not the article's first words.
    expect(article!.text.startsWith('date')).toBe(false);
    expect(article!.text).toContain('Variety');
  });

  it('reads a feed file as one element per item, with canonical URLs', async () => {
    const result = await feedfold(['inspect', path.join(FEEDS, 'wire-rss20.xml'), '--now', NOW]);
    expect(result.code).toBe(0);
    const articles = parseOutput(result.stdout);
    expect(articles.map((a) => a.title)).toEqual([
      'Council approves protected bike lanes on Main Street after two-year fight',
      'Family bakery on Pier Road wins national sourdough prize',
    ]);
    // Tracking parameters are gone from the link (utm_source / utm_medium in the fixture).
    expect(articles[0]!.url).toBe('http://gazette.test/news/bike-lanes');
    expect(articles[0]!.published).toBe('2025-03-03T09:15:00.000Z');
    expect(new Set(articles.map((a) => a.id)).size).toBe(2);
  });

  it('reads a feed URL served from loopback when private networks are allowed', async () => {
    const result = await feedfold(['inspect', `${server.base}/metro.xml`, '--allow-private-networks', '--now', NOW]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const articles = parseOutput(result.stdout);
    expect(articles.map((a) => a.url)).toEqual(['http://metro.test/city/main-street-bike-lanes', 'http://metro.test/science/coral-reefs']);
    expect(server.requests).toContain('/metro.xml');
    expect(articles.every((a) => a.language === 'en' && a.text.length > 0)).toBe(true);
  });

  it('reads an article folder as one element per file', async () => {
    const result = await feedfold(['inspect', path.join(ROOT, 'seeds'), '--now', NOW]);
    expect(result.code).toBe(0);
    const articles = parseOutput(result.stdout);
    expect(articles).toHaveLength(5);
    expect(articles.map((a) => a.language).sort()).toEqual(['de', 'en', 'en', 'en', 'en']);
  });

  it('fails on a missing file with a message naming it', async () => {
    const missing = path.join(FEEDS, 'no-such-feed.xml');
    const result = await feedfold(['inspect', missing, '--now', NOW]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(missing);
    expect(result.stderr).toMatch(/cannot read|no such file|ENOENT/i);
  });

  it('fails on a URL that answers 404, naming the status', async () => {
    const result = await feedfold(['inspect', `${server.base}/gone.xml`, '--allow-private-networks', '--now', NOW]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/404/);
  });

  it('refuses a loopback URL by default, as a run does, and fetches nothing', async () => {
    const before = server.requests.length;
    const result = await feedfold(['inspect', `${server.base}/metro.xml`, '--now', NOW]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`fetch: refused ${server.base}/metro.xml: 127.0.0.1 is a loopback address; set fetch.allowPrivateNetworks to read feeds on your own network\n`);
    expect(server.requests.length).toBe(before);
  });

  it('follows fetch.allowPrivateNetworks of the config', async () => {
    const project = tempProject({ fetch: { allowPrivateNetworks: true } });
    try {
      const result = await feedfold(['inspect', `${server.base}/metro.xml`, '--config', project.configFile, '--now', NOW]);
      expect(result.stderr).toBe('');
      expect(parseOutput(result.stdout)).toHaveLength(2);
    } finally {
      project.cleanup();
    }
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool, noTool, parseWithPythonFeedparser, readWithNewsboat, validateAtomWithJing } from '../helpers/external-tools.js';
import { HAS_CORPORA, NO_CORPORA, ROOT } from '../helpers/paths.js';
import { cli, startLoopback, type Loopback } from './cli-harness.js';

const NOW = '2025-03-05T12:00:00Z';
const SEED_COUNT = 5;

/** Reads a feedsmith text construct, which is either a string or `{ value }`. */
function textOf(text: unknown): string {
  return typeof text === 'string' ? text : String((text as { value?: unknown } | undefined)?.value ?? '');
}

/** Counts the items of an entry content's "Also reported by" list. */
function alsoReported(content: unknown): number {
  const html = textOf(content);
  const at = html.indexOf('Also reported by');
  return at < 0 ? 0 : (html.slice(at).match(/<li\b/g) ?? []).length;
}

// The `npm start` path: `feedfold run` from the repository root with the bundled config/feedfold.yaml.
describe('feedfold run with the bundled config and --out', () => {
  let out = '';
  let xml = '';
  let firstRun: Awaited<ReturnType<typeof cli>>;
  let server: Loopback;

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'feedfold-start-'));
    firstRun = await cli(['run', '--now', NOW, '--out', out], { cwd: ROOT });
    xml = readFileSync(path.join(out, 'feed.atom'), 'utf8');
    server = await startLoopback();
    server.route('/feed.atom', { file: path.join(out, 'feed.atom') });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('exits 0, says where the feed went, and publishes every seed', () => {
    expect(firstRun.stderr).toBe('');
    expect(firstRun.code).toBe(0);
    expect(firstRun.stdout).toContain(path.join(out, 'feed.atom'));
    expect(firstRun.stdout).toMatch(new RegExp(`\\b${SEED_COUNT} new article`));
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe('tag:feedfold.local,2025:feed');
    const entries = feed.entries ?? [];
    expect(entries.length).toBeGreaterThan(0);
    // Seeds have no URLs, so versions are named in the content's "Also reported by" list, not in
    // related links; whatever the clustering, every seed is one entry's canonical or one list item.
    const versions = entries.reduce((n, e) => n + 1 + alsoReported(e.content), 0);
    expect(versions).toBe(SEED_COUNT);
    // Local articles are published as pages beside the feed, so every version is also a link.
    const pages = entries.flatMap((e) => (e.links ?? []).filter((l) => l.rel === 'alternate' || l.rel === 'related').map((l) => l.href ?? ''));
    expect(pages).toHaveLength(SEED_COUNT);
    for (const href of pages) expect(href).toMatch(/^http:\/\/127\.0\.0\.1:8080\/articles\/[^/]+\.html$/);
  });

  it.skipIf(!hasTool('jing') || !HAS_CORPORA)(`is valid against the RFC 4287 RELAX NG schema ${!HAS_CORPORA ? NO_CORPORA : hasTool('jing') ? '' : noTool('jing')}`, async () => {
    const result = await validateAtomWithJing(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it.skipIf(!hasTool('python3-feedparser'))(`parses in python feedparser without bozo ${hasTool('python3-feedparser') ? '' : noTool('python3-feedparser')}`, async () => {
    const parsed = await parseWithPythonFeedparser(xml);
    expect(parsed.bozo_exception).toBeNull();
    expect(parsed.bozo).toBe(false);
    expect(parsed.version).toBe('atom10');
    expect(parsed.entries.length).toBe((parseAtomFeed(xml).entries ?? []).length);
    expect(parsed.entries.every((e) => typeof e.id === 'string' && e.id.length > 0 && (e.title ?? '') !== '')).toBe(true);
  });

  it.skipIf(!hasTool('newsboat'))(`is read by newsboat over HTTP ${hasTool('newsboat') ? '' : noTool('newsboat')}`, async () => {
    const result = await readWithNewsboat(`${server.base}/feed.atom`);
    expect(result.code).toBe(0);
    const entries = parseAtomFeed(xml).entries ?? [];
    expect(result.feedTitle).toBe('feedfold: merged news');
    expect(result.items.map((i) => i.guid).sort()).toEqual(entries.map((e) => e.id).sort());
    expect(result.items.map((i) => i.title).sort()).toEqual(entries.map((e) => textOf(e.title)).sort());
    // newsboat shows content, not link elements: the other versions must be there.
    expect(result.items.reduce((n, i) => n + 1 + alsoReported(i.content), 0)).toBe(SEED_COUNT);
  });

  it('leaves feed.atom byte-identical on a second run with the same --now', async () => {
    const before = readFileSync(path.join(out, 'feed.atom'));
    const second = await cli(['run', '--now', NOW, '--out', out], { cwd: ROOT });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/\b0 new article/);
    expect(second.stdout).toContain('feed unchanged');
    expect(readFileSync(path.join(out, 'feed.atom')).equals(before)).toBe(true);
  });
});

// `npm start` runs with the clock; the sample articles are from March 2025, and the bundled config keeps them.
describe('feedfold run with the bundled config, long after the sample articles were published', () => {
  it('publishes the five seeds as one entry dated by the earliest of them', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'feedfold-start-late-'));
    try {
      const run = await cli(['run', '--now', '2027-06-01T00:00:00Z', '--out', out], { cwd: ROOT });
      expect(run.code).toBe(0);
      const entries = parseAtomFeed(readFileSync(path.join(out, 'feed.atom'), 'utf8')).entries ?? [];
      expect(entries).toHaveLength(1);
      const entry = entries[0];
      expect((entry?.links ?? []).filter((l) => l.rel === 'alternate' || l.rel === 'related')).toHaveLength(SEED_COUNT);
      expect(entry?.published?.slice(0, 10)).toBe('2025-03-01');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the command line itself', () => {
  it('lists every command in --help and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['run', 'inspect', 'cluster', 'sources', 'import-opml', 'export-opml', 'explain', 'serve', 'daemon']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('rejects an unknown command with a non-zero exit and names it', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});

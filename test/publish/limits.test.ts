import { parseAtomFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/model/article.js';
import type { StoryView } from '../../src/model/story.js';
import { buildEntryContent, DEFAULT_MAX_ENTRY_BYTES } from '../../src/publish/entry-content.js';
import { renderArticlePage } from '../../src/publish/render-article-page.js';
import { DEFAULT_FEED_LIMITS, DEFAULT_MAX_FEED_BYTES, renderAtom, renderAtomDocument } from '../../src/publish/render-atom.js';
import { renderReport } from '../../src/publish/render-report.js';
import { META, makeArticle } from './story-fixtures.js';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
/** Room for an entry's metadata (id, title, links, dates, source) beside its content. */
const ENTRY_METADATA_BYTES = 4096;

/** About 9 MB of HTML, as a store written before the size caps may hold. */
const HUGE_HTML = '<p>Dock workers at the <b>port</b> returned &amp; the ships left; Grüße — 😀.</p>\n'.repeat(120_000);

function hugeStory(i: number): StoryView {
  const canonical = makeArticle({
    id: `huge:${i}`,
    title: `Huge story ${i}`,
    url: `https://big.example/story/${i}`,
    html: HUGE_HTML,
    text: 'Dock workers returned. '.repeat(1000),
  });
  const day = String(1 + (i % 28)).padStart(2, '0');
  return { id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, published: `2025-03-${day}T08:00:00Z`, updated: `2025-03-${day}T08:00:00Z`, canonical, others: [], canonicalReason: 'only version', decisions: {} };
}

describe('feed.maxEntryBytes: one 9 MB article', () => {
  it('is attacked with more than 9 MB of HTML (control)', () => {
    expect(bytes(HUGE_HTML)).toBeGreaterThan(9 * 1024 * 1024);
  });

  it('publishes a bounded entry, cut between elements, ending with a link to the whole article', () => {
    const xml = renderAtom(META, [hugeStory(1)]);
    expect(bytes(xml)).toBeLessThanOrEqual(DEFAULT_MAX_ENTRY_BYTES + ENTRY_METADATA_BYTES);
    const entry = parseAtomFeed(xml).entries?.[0];
    const html = entry?.content?.value ?? '';
    expect(bytes(html)).toBeLessThanOrEqual(DEFAULT_MAX_ENTRY_BYTES);
    expect(html).toMatch(/<\/p>\n<p>… <a href="https:\/\/big\.example\/story\/1">Read the whole article at Wire Service<\/a><\/p>$/);
    expect(html).toContain('<b>port</b>');
  });

  it('follows a configured bound', () => {
    const content = buildEntryContent(hugeStory(1), 8192);
    expect(content.cut).toBe(true);
    expect(bytes(content.html)).toBeLessThanOrEqual(8192);
  });

  it('leaves a short article whole', () => {
    const content = buildEntryContent({ ...hugeStory(1), canonical: makeArticle({ id: 's', title: 'S', html: '<p>Short.</p>' }) });
    expect(content).toEqual({ html: '<p>Short.</p>', cut: false, listed: [] });
  });

  it('bounds the article page of a local article too', () => {
    const page = renderArticlePage({ ...hugeStory(1).canonical, url: 'http://127.0.0.1:8080/articles/huge.html' }, 'feedfold');
    expect(bytes(page)).toBeLessThanOrEqual(256 * 1024 + ENTRY_METADATA_BYTES);
    expect(page).toContain('Read the whole article at Wire Service');
  });
});

describe('feed.maxBytes: 60 stories of 9 MB each', () => {
  const stories = Array.from({ length: 60 }, (_, i) => hugeStory(i));

  it('holds 540 MB of stored HTML, past the longest string V8 can build (control)', () => {
    expect(stories.length * bytes(HUGE_HTML)).toBeGreaterThan(2 ** 29);
  });

  it('renders every entry, each bounded, the whole feed under feed.maxBytes', () => {
    const doc = renderAtomDocument(META, stories);
    expect(doc.entries).toBe(60);
    expect(doc.leftOut).toBe(0);
    expect(doc.cut).toBe(60);
    expect(bytes(doc.xml)).toBeLessThanOrEqual(DEFAULT_MAX_FEED_BYTES);
    expect(bytes(doc.xml)).toBeLessThanOrEqual(60 * (DEFAULT_MAX_ENTRY_BYTES + ENTRY_METADATA_BYTES));
    expect(parseAtomFeed(doc.xml).entries).toHaveLength(60);
  });

  it('leaves the oldest entries out when the feed would pass feed.maxBytes, and says how many', () => {
    const limits = { ...DEFAULT_FEED_LIMITS, maxBytes: 512 * 1024 };
    const doc = renderAtomDocument(META, stories, limits);
    expect(doc.entries).toBeGreaterThan(0);
    expect(doc.entries + doc.leftOut).toBe(60);
    expect(bytes(doc.xml)).toBeLessThanOrEqual(limits.maxBytes);
    // Stories come newest first: the ones kept are the first ones given.
    expect(parseAtomFeed(doc.xml).entries?.map((e) => e.id)).toEqual(stories.slice(0, doc.entries).map((s) => s.id));
  });
});

describe('a story with thousands of versions', () => {
  const others: Article[] = Array.from({ length: 5000 }, (_, i) =>
    makeArticle({ id: `o:${i}`, sourceId: `outlet-${i}`, sourceTitle: `Outlet ${i}`, title: `Version ${i} of the story`, url: `https://o${i}.example/story` }));
  const story: StoryView = { ...hugeStory(1), canonical: makeArticle({ id: 'c', title: 'C', url: 'https://c.example/', html: '<p>Body.</p>' }), others };

  it('lists the versions that fit in half the entry, counts the rest, and links as related only the ones listed', () => {
    const content = buildEntryContent(story);
    expect(bytes(content.html)).toBeLessThanOrEqual(DEFAULT_MAX_ENTRY_BYTES);
    expect(content.listed.length).toBeGreaterThan(50);
    expect(content.listed.length).toBeLessThan(5000);
    expect(content.html).toContain(`<li>and ${5000 - content.listed.length} other versions</li>`);
    const entry = parseAtomFeed(renderAtom(META, [story])).entries?.[0];
    expect(entry?.links?.filter((l) => l.rel === 'related')).toHaveLength(content.listed.length);
  });
});

describe('bidirectional controls in published titles and names', () => {
  const RLO = '\u202E';
  const canonical = makeArticle({
    id: 'b',
    title: `Invoice ${RLO}fdp.exe`,
    sourceTitle: `Daily${RLO} News`,
    author: `Jane${'\u2067'} Doe`,
    categories: [`Ports${'\u200F'}`],
    url: 'http://127.0.0.1:8080/articles/b.html',
    text: `Body ${RLO}text`,
  });
  const other = makeArticle({ id: 'o', title: `Other ${RLO}version`, sourceTitle: `Other${'\u2066'} Outlet`, url: 'https://o.example/a' });
  const story: StoryView = { ...hugeStory(1), canonical, others: [other] };
  // As a store written before names were cleaned may hold them.
  const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

  it('reach no published page: feed, report, article page', () => {
    const xml = renderAtom({ ...META, title: `Merged${RLO} news` }, [story]);
    const report = renderReport({ ...META, title: `Merged${RLO} news` }, [story], []);
    const page = renderArticlePage(canonical, `Merged${RLO} news`);
    for (const out of [xml, report, page]) expect(out).not.toMatch(BIDI);
    expect(parseAtomFeed(xml).entries?.[0]?.title?.value).toBe('Invoice fdp.exe');
    expect(page).toContain('<h1>Invoice fdp.exe</h1>');
  });
});

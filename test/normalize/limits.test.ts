import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { RawEntry, RawFeed } from '../../src/model/raw-entry.js';
import type { SourceSpec } from '../../src/model/source.js';
import { DEFAULT_MAX_ARTICLE_BYTES, normalizeFeed, type NormalizeOptions } from '../../src/normalize/normalize-feed.js';
import { LINE_MAX_CHARS } from '../../src/normalize/entry-fields.js';
import { elements } from './dom-elements.js';

const NOW = '2025-03-05T12:00:00.000Z';
const SOURCE: SourceSpec = { id: 'big', kind: 'feed-url', location: 'https://big.example/feed.xml', rank: 0 };
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function normalizeOne(entry: RawEntry, feed: Partial<RawFeed> = {}, options: NormalizeOptions = {}) {
  const result = normalizeFeed({ format: 'rss', title: 'Big News', link: 'https://big.example/', entries: [entry], ...feed }, SOURCE, NOW, options);
  expect(result.errors).toEqual([]);
  expect(result.articles).toHaveLength(1);
  return { article: result.articles[0]!, feedTitle: result.feedTitle };
}

/** About 9 MB of article: paragraphs of words, with markup, entities and non-ASCII letters on the way. */
function hugeHtml(): string {
  const paragraph = '<p>Dock workers at the <b>port</b> returned &amp; the ships left; Grüße from Köln — 😀 again.</p>\n';
  return paragraph.repeat(Math.ceil((9 * 1024 * 1024) / paragraph.length));
}

describe('limits.maxArticleBytes: one 9 MB article', () => {
  const html = hugeHtml();
  const { article } = normalizeOne({ guid: 'huge', title: 'Huge', link: 'https://big.example/huge', content: html, contentType: 'html' });

  it('is attacked with more than 9 MB of HTML (control)', () => {
    expect(bytes(html)).toBeGreaterThan(9 * 1024 * 1024);
  });

  it('stores at most the cap of HTML, cut between elements, with a note linking the original', () => {
    expect(bytes(article.html)).toBeLessThanOrEqual(DEFAULT_MAX_ARTICLE_BYTES);
    expect(article.html).toMatch(/<p>… <a href="https:\/\/big\.example\/huge">Read the whole article at the source<\/a><\/p>$/);
    // Parsed back, every element is whole: the last paragraph before the note ends as written.
    const paragraphs = elements(parseDocument(article.html).children).filter((e) => e.name === 'p');
    expect(paragraphs.length).toBeGreaterThan(100);
    expect(article.html).not.toMatch(/&[a-z]*<|\uD83D(?!\uDE00)/);
  });

  it('stores at most the cap of text, cut at a space with "…", and counts as an excerpt', () => {
    expect(bytes(article.text)).toBeLessThanOrEqual(DEFAULT_MAX_ARTICLE_BYTES);
    expect(article.text.endsWith('…')).toBe(true);
    expect(article.truncated).toBe(true);
  });

  it('follows a configured cap', () => {
    const small = normalizeOne({ guid: 'huge', title: 'Huge', content: html, contentType: 'html' }, {}, { maxArticleBytes: 8192 }).article;
    expect(bytes(small.html)).toBeLessThanOrEqual(8192);
    expect(bytes(small.text)).toBeLessThanOrEqual(8192);
    // Without a link of its own, the note is an ellipsis alone.
    expect(small.html.endsWith('<p>…</p>')).toBe(true);
  });

  it('caps a plain-text body and the HTML made from it', () => {
    const text = 'A line of plain text & more.\n\n'.repeat(400_000);
    const plain = normalizeOne({ guid: 'plain', title: 'Plain', link: 'https://big.example/plain', content: text, contentType: 'text' }).article;
    expect(bytes(plain.text)).toBeLessThanOrEqual(DEFAULT_MAX_ARTICLE_BYTES);
    expect(bytes(plain.html)).toBeLessThanOrEqual(DEFAULT_MAX_ARTICLE_BYTES);
  });

  it('leaves an article under the cap whole', () => {
    const small = normalizeOne({ guid: 's', title: 'Small', content: '<p>Short story.</p>', contentType: 'html' }).article;
    expect(small.html).toBe('<p>Short story.</p>');
    expect(small.text).toBe('Short story.');
  });

  it('cuts a title, a name and a category past LINE_MAX_CHARS', () => {
    const long = 'word '.repeat(100_000);
    const { article: a } = normalizeOne({ guid: 't', title: long, author: long, categories: [long], content: 'x' });
    for (const value of [a.title, a.author ?? '', a.categories[0] ?? '']) {
      expect(value.length).toBeLessThanOrEqual(LINE_MAX_CHARS);
      expect(value.endsWith('…')).toBe(true);
    }
  });
});

describe('bidirectional and control characters in titles and names', () => {
  // U+202E (right-to-left override) shows what follows backwards: "exe.gnp" reads as "png.exe".
  const RLO = '\u202E';
  const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', RLO, '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u0001', '\u001B', '\u007F', '\u0080', '\u009B'];
  const { article, feedTitle } = normalizeOne(
    { guid: 'b', title: `Invoice ${RLO}fdp.exe`, author: `Jane${'\u2066'} Doe${'\u200F'}`, categories: [`Ports${'\u202D'}`], content: '<p>Body</p>' },
    { title: `Daily${RLO} News${'\u009B'}` },
  );

  it('drops them from the title, the author and the categories', () => {
    expect(article.title).toBe('Invoice fdp.exe');
    expect(article.author).toBe('Jane Doe');
    expect(article.categories).toEqual(['Ports']);
  });

  it('drops them from the outlet name taken from the feed, and the feed title kept for the source', () => {
    expect(article.sourceTitle).toBe('Daily News');
    expect(feedTitle).toBe('Daily News');
  });

  it('drops every one of them', () => {
    for (const c of CONTROLS) {
      const { article: a } = normalizeOne({ guid: 'c', title: `a${c}b`, content: 'x' });
      expect(a.title, `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`).toMatch(/^a ?b$/);
    }
  });

  it('keeps letters of right-to-left scripts', () => {
    const { article: a } = normalizeOne({ guid: 'r', title: 'مرحبا بالعالم', content: 'x' });
    expect(a.title).toBe('مرحبا بالعالم');
  });
});

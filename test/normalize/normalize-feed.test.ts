import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawEntry, RawFeed } from '../../src/model/raw-entry.js';
import type { SourceSpec } from '../../src/model/source.js';
import { FeedfoldError } from '../../src/model/errors.js';
import { normalizeFeed } from '../../src/normalize/normalize-feed.js';
import { ROOT } from '../helpers/paths.js';

const NOW = '2025-03-05T12:00:00.000Z';
const SOURCE: SourceSpec = { id: 'harbor', kind: 'feed-url', location: 'https://harbor.example/feed.xml', rank: 2 };

const LONG_BODY = Array.from({ length: 8 }, (_, i) =>
  `<p>Paragraph ${i + 1}: dock workers at the port returned to work after the union accepted a pay offer, ending a strike that had left ships waiting offshore for weeks.</p>`).join('');

function feedOf(entries: RawEntry[], extra: Partial<RawFeed> = {}): RawFeed {
  return { format: 'rss', title: 'Harbor Times', link: 'https://harbor.example/', language: 'en', entries, ...extra };
}

function one(entry: RawEntry, extra: Partial<RawFeed> = {}) {
  const { articles, errors } = normalizeFeed(feedOf([entry], extra), SOURCE, NOW);
  expect(errors).toEqual([]);
  expect(articles).toHaveLength(1);
  return articles[0]!;
}

describe('normalizeFeed fields', () => {
  const entry: RawEntry = {
    guid: 'tag:harbor.example,2025:strike-ends',
    link: '/2025/03/strike-ends/?utm_source=rss&utm_medium=feed#comments',
    title: '  Port strike ends &amp; ships   return  ',
    content: `${LONG_BODY}<p>Share this:</p><img src="https://feeds.feedburner.com/~r/harbor/~4/abc" width="1" height="1"><script>alert(1)</script>`,
    contentType: 'html',
    published: '2025-03-04T10:12:00Z',
    author: 'news@harbor.example (Jane Doe)',
    categories: ['Ports', 'ports', ' Labour ', ''],
  };
  const article = one(entry);

  it('fills the source fields', () => {
    expect(article.sourceId).toBe('harbor');
    expect(article.sourceTitle).toBe('Harbor Times');
    expect(article.sourceLink).toBe('https://harbor.example/');
    expect(article.sourceLocation).toBe(SOURCE.location);
    expect(article.sourceRank).toBe(2);
    expect(article.firstSeen).toBe(NOW);
  });

  it('canonicalizes the link against the feed link', () => {
    expect(article.url).toBe('https://harbor.example/2025/03/strike-ends/');
    expect(article.guid).toBe(entry.guid);
  });

  it('decodes and collapses the title, and cleans author and categories', () => {
    expect(article.title).toBe('Port strike ends & ships return');
    expect(article.titleDerived).toBe(false);
    expect(article.author).toBe('Jane Doe');
    expect(article.categories).toEqual(['Ports', 'Labour']);
    expect(article.published).toBe('2025-03-04T10:12:00.000Z');
  });

  it('keeps the HTML its text was read from, without scripts, and cleans the text', () => {
    // No allow-list here: the pixel goes when the HTML is sanitized, at publication.
    expect(article.html).not.toMatch(/<script|alert/);
    expect(article.html).toContain('<p>Paragraph 1:');
    expect(article.text.startsWith('Paragraph 1: dock workers')).toBe(true);
    expect(article.text).not.toContain('Share this');
    expect(article.text.split('\n\n')).toHaveLength(8);
    expect(article.language).toBe('en');
    expect(article.truncated).toBe(false);
    expect(article.id.startsWith('harbor:')).toBe(true);
  });
});

describe('normalizeFeed HTML output', () => {
  const content = `${LONG_BODY}
    <figure><img src="/img/port.jpg" alt="Port" width="800"><figcaption>The port at dawn. Photo: Jane Roe</figcaption></figure>
    <div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><ul><li><a href="https://twitter.com/share">X</a></li><li><a href="https://facebook.com/sharer">Facebook</a></li></ul></div>
    <div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3><p><a href="/a">Ferry fares rise</a></p><p><a href="/b">Bridge delayed</a></p><p><a href="/c">New bus line</a></p></div>`;
  const article = one({ guid: 'x', title: 'T', link: 'https://harbor.example/2025/03/strike/', content, contentType: 'html' });

  it('leaves share bars and related-post lists out of the republished HTML but keeps figures', () => {
    expect(article.html).not.toMatch(/Share this|twitter\.com|Ferry fares rise/);
    expect(article.html).toContain('<figcaption>The port at dawn. Photo: Jane Roe</figcaption>');
    expect(article.html).toContain('src="https://harbor.example/img/port.jpg"');
  });

  it('leaves captions and credits out of the text', () => {
    expect(article.text).not.toContain('The port at dawn');
    expect(article.text).not.toContain('Ferry fares rise');
  });

  it('keeps a body that is nothing but a link list rather than emptying it', () => {
    const list = '<ul><li><a href="/a">First link</a></li><li><a href="/b">Second link</a></li><li><a href="/c">Third link</a></li></ul>';
    const links = one({ guid: 'y', title: 'Links of the day', content: list, contentType: 'html' });
    expect(links.text).toContain('First link');
    expect(links.html).toContain('<li>');
  });

  it('builds the HTML of a plain-text body from its clean text', () => {
    const plain = one({ guid: 'z', title: 'T', contentType: 'text', content: 'Dock workers at the port returned to work on Monday after the union accepted a pay offer, ending a long strike.\n\nShare this:\n© 2025 Harbor Times' });
    expect(plain.html).toBe('<p>Dock workers at the port returned to work on Monday after the union accepted a pay offer, ending a long strike.</p>');
  });
});

describe('normalizeFeed ids', () => {
  const base: RawEntry = { title: 'Port strike ends', summary: 'Dock workers returned to work on Monday after a deal.' };

  it('gives the same id for the same input, across calls', () => {
    const entry = { ...base, guid: 'g-1', link: 'https://harbor.example/a' };
    expect(one(entry).id).toBe(one(structuredClone(entry)).id);
  });

  it('bases the id on the GUID when there is one (link and text may change)', () => {
    const a = one({ ...base, guid: 'g-1', link: 'https://harbor.example/a' });
    const b = one({ ...base, guid: 'g-1', link: 'https://harbor.example/moved', summary: 'Edited text.' });
    const c = one({ ...base, guid: 'g-2', link: 'https://harbor.example/a' });
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it('falls back to the canonical URL without a GUID (tracking parameters do not matter)', () => {
    const a = one({ ...base, link: 'https://harbor.example/a?utm_source=rss' });
    const b = one({ ...base, link: 'https://HARBOR.example/a#top', title: 'Retitled' });
    const c = one({ ...base, link: 'https://harbor.example/b' });
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it('takes an absolute GUID as the URL when there is no link, and never resolves a bare GUID', () => {
    expect(one({ ...base, guid: 'https://harbor.example/a?utm_source=x' }).url).toBe('https://harbor.example/a');
    expect(one({ ...base, guid: 'item-42' }).url).toBeUndefined();
    expect(one({ ...base, guid: 'tag:harbor.example,2025:a' }).url).toBeUndefined();
  });

  it('falls back to a hash of title and text without GUID or link', () => {
    const a = one(base);
    expect(one({ ...base }).id).toBe(a.id);
    expect(one({ ...base, title: 'Another title' }).id).not.toBe(a.id);
    expect(one({ ...base, summary: 'Different text altogether.' }).id).not.toBe(a.id);
  });

  it('namespaces ids by source', () => {
    const entry = { ...base, guid: 'g-1' };
    const other = normalizeFeed(feedOf([entry]), { ...SOURCE, id: 'other' }, NOW).articles[0];
    expect(other?.id).not.toBe(one(entry).id);
    expect(other?.id.startsWith('other:')).toBe(true);
  });

  it('keeps the first of two items with the same GUID and records the repeat', () => {
    const { articles, errors } = normalizeFeed(feedOf([{ ...base, guid: 'same' }, { ...base, guid: 'same', title: 'Later' }]), SOURCE, NOW);
    expect(articles.map((a) => a.title)).toEqual(['Port strike ends']);
    expect(errors.map((e) => e.kind)).toEqual(['duplicate-item']);
  });
});

describe('normalizeFeed dates', () => {
  it('leaves published undefined for a bad date instead of throwing', () => {
    const article = one({ title: 'T', summary: 'Some text here.', published: 'not a date', publishedRaw: 'Blursday, 45 Smarch' });
    expect(article.published).toBeUndefined();
  });

  it('parses the raw date when the parsed one is missing', () => {
    expect(one({ title: 'T', summary: 'S.', publishedRaw: 'Tue, 04 Mar 2025 10:12:00 GMT' }).published).toBe('2025-03-04T10:12:00.000Z');
  });

  it('falls back to updated for published', () => {
    const article = one({ title: 'T', summary: 'S.', updated: '2025-03-02T08:00:00+01:00' });
    expect(article.published).toBe('2025-03-02T07:00:00.000Z');
    expect(article.updated).toBe('2025-03-02T07:00:00.000Z');
  });
});

describe('normalizeFeed bad items', () => {
  it('records an item with nothing usable as an error and keeps the others', () => {
    const entries: RawEntry[] = [
      { guid: 'ok-1', title: 'First story', summary: 'Text of the first story.' },
      { guid: 'empty', link: 'https://harbor.example/x', summary: '   ', content: '<p> </p>' },
      { guid: 'ok-2', title: 'Second story', summary: 'Text of the second story.' },
    ];
    const { articles, errors } = normalizeFeed(feedOf(entries), SOURCE, NOW);
    expect(articles.map((a) => a.guid)).toEqual(['ok-1', 'ok-2']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(FeedfoldError);
    expect(errors[0]?.stage).toBe('normalize');
    expect(errors[0]?.kind).toBe('empty-item');
    expect(errors[0]?.message).toMatch(/^normalize: .*empty/);
  });

  it('never throws, and accounts for every entry as an article or an error', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('<p>x</p>', '<script>', '&amp;', 'https://a.example/?utm_source=1', 'not a date', ''));
    const entry = fc.record(
      { guid: text, link: text, title: text, summary: text, content: text, published: text, publishedRaw: text, updated: text, author: text, language: text, categories: fc.array(text, { maxLength: 3 }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
        const { articles, errors } = normalizeFeed(feedOf(entries), SOURCE, NOW);
        expect(articles.length + errors.length).toBe(entries.length);
        for (const a of articles) {
          expect(a.title).not.toBe('');
          expect(a.language).toMatch(/^(?:[a-z]{2}|und)$/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on entries of any shape (outside data is not trusted)', () => {
    const keys = fc.constantFrom('guid', 'link', 'title', 'summary', 'content', 'contentType', 'published', 'publishedRaw', 'updated', 'author', 'categories', 'language', 'titleDerived');
    const junk = fc.oneof(fc.anything(), fc.dictionary(keys, fc.anything(), { maxKeys: 8 }));
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 5 }), (entries) => {
        const { articles, errors } = normalizeFeed(feedOf(entries as RawEntry[]), SOURCE, NOW);
        expect(articles.length + errors.length).toBe(entries.length);
      }),
      { numRuns: 150 },
    );
  });
});

describe('normalizeFeed titles, text and hashes', () => {
  it('derives a title from the text when there is none', () => {
    const article = one({ guid: 'x', contentType: 'text', content: 'The council approved the plan on Tuesday. Work starts in May.' });
    expect(article.title).toBe('The council approved the plan on Tuesday.');
    expect(article.titleDerived).toBe(true);
  });

  it('keeps the parser’s titleDerived flag', () => {
    expect(one({ guid: 'x', title: 'Derived by parse', titleDerived: true, summary: 'Body.' }).titleDerived).toBe(true);
  });

  it('turns plain text into escaped paragraphs', () => {
    const article = one({ guid: 'x', title: 'T', contentType: 'text', content: 'A <b> is not a tag & stays text.\n\nSecond paragraph.' });
    expect(article.html).toBe('<p>A &lt;b&gt; is not a tag &amp; stays text.</p>\n<p>Second paragraph.</p>');
    expect(article.text).toBe('A <b> is not a tag & stays text.\n\nSecond paragraph.');
  });

  it('applies Unicode NFKC to the text', () => {
    expect(one({ guid: 'x', title: 'T', contentType: 'text', content: 'ﬁnal ＡＢＣ\u00a0text' }).text).toBe('final ABC text');
  });

  it('hashes text regardless of case, punctuation and spacing', () => {
    const a = one({ guid: 'a', title: 'T', contentType: 'text', content: 'The port “reopened” on Monday — finally!' });
    const b = one({ guid: 'b', title: 'T', contentType: 'text', content: 'the port reopened on monday finally' });
    const c = one({ guid: 'c', title: 'T', contentType: 'text', content: 'The port closed on Monday.' });
    expect(a.contentHash).toBe(b.contentHash);
    expect(c.contentHash).not.toBe(a.contentHash);
  });

  it('does not give all title-only items one hash', () => {
    expect(one({ guid: 'a', title: 'First headline' }).contentHash).not.toBe(one({ guid: 'b', title: 'Second headline' }).contentHash);
  });

  it('removes lines repeated across the source’s items', () => {
    const footer = 'Harbor Times is an independent newsroom covering the coast since 1901';
    const entries = ['The school board met on Monday to discuss the budget for next year and agreed to hire six more teachers.',
      'Heavy rain flooded several streets in the old town overnight, and firefighters pumped water from forty cellars.',
      'The county fair opens on Friday with a record number of exhibitors, organisers said, and tickets sell fast.']
      .map((body, i): RawEntry => ({ guid: `g${i}`, title: `Story ${i}`, contentType: 'text', content: `${body}\n${footer}` }));
    const { articles } = normalizeFeed(feedOf(entries), SOURCE, NOW);
    expect(articles).toHaveLength(3);
    for (const a of articles) expect(a.text).not.toContain('independent newsroom');
    expect(articles[1]?.text).toContain('Heavy rain flooded');
  });

  it('uses the source language as a fallback for texts too short to tell', () => {
    expect(one({ guid: 'x', title: 'Berlin 2025' }, { language: 'de-DE' }).language).toBe('de');
    expect(one({ guid: 'x', title: 'Berlin 2025', language: 'fr' }, { language: 'de' }).language).toBe('fr');
  });
});

describe('normalizeFeed truncation', () => {
  it('marks a short summary-only item as truncated', () => {
    expect(one({ guid: 'x', title: 'T', summary: '<p>Dock workers returned to work on Monday after a deal.</p>' }).truncated).toBe(true);
  });

  it('marks an excerpt that ends with a cut marker as truncated, even when long', () => {
    const long = `${LONG_BODY}<p>The union said more talks would follow […]</p>`;
    expect(one({ guid: 'x', title: 'T', summary: long }).truncated).toBe(true);
    expect(one({ guid: 'y', title: 'T', content: `${LONG_BODY}<p><a href="/more">Continue reading →</a></p>` }).truncated).toBe(true);
  });

  it('does not mark full content, or a long summary without a cut marker', () => {
    expect(one({ guid: 'x', title: 'T', content: LONG_BODY, summary: 'Short teaser…' }).truncated).toBe(false);
    expect(one({ guid: 'y', title: 'T', summary: LONG_BODY }).truncated).toBe(false);
  });
});

describe('normalizeFeed on the bundled seeds as an article directory', () => {
  const dir = path.join(ROOT, 'seeds');
  const entries: RawEntry[] = readdirSync(dir).sort().map((name) => ({
    contentType: 'text',
    content: readFileSync(path.join(dir, name), 'utf8').replace(/^\s*date \d{4}(?:-\d{2}){0,2}\s*/, ''),
  }));
  const source: SourceSpec = { id: 'seeds', kind: 'article-dir', location: dir, rank: 0 };
  const { articles, errors } = normalizeFeed({ format: 'articles', entries }, source, NOW);

  it('normalizes all five with distinct ids and the directory as source title', () => {
    expect(errors).toEqual([]);
    expect(articles).toHaveLength(5);
    expect(new Set(articles.map((a) => a.id)).size).toBe(5);
    for (const a of articles) {
      expect(a.sourceTitle).toBe(dir);
      expect(a.titleDerived).toBe(true);
      expect(a.url).toBeUndefined();
    }
  });

  it('detects German for 003 and English for the others', () => {
    expect(articles.map((a) => a.language)).toEqual(['en', 'en', 'en', 'de', 'en']);
  });

  it('keeps the story text and drops the seeds’ boilerplate', () => {
    expect(articles[0]?.text.startsWith('Kim Basinger is opening up')).toBe(true);
    expect(articles[1]?.text).not.toContain('Hilary Duff');
    expect(articles[2]?.text).not.toContain('Recent Posts');
    expect(articles[3]?.text).not.toContain('ZUMAPRESS');
    for (const a of articles) expect(a.truncated).toBe(false);
  });
});

describe('normalizeFeed for clustering alone', () => {
  const text = fc.oneof(fc.string(), fc.constantFrom('<p>Read more…</p>', '<img src="a.png">', '&amp;', 'https://a.example/x?utm_source=1', 'Share this:', '2025-03-04T10:12:00Z', ''));
  const entry = fc.record(
    { guid: text, link: text, title: text, summary: text, content: text, contentType: fc.constantFrom('html', 'text'), published: text, author: text, language: fc.constantFrom('en', 'de', 'ru', ''), categories: fc.array(text, { maxLength: 2 }) },
    { requiredKeys: [] },
  );

  it('gives every field the story index reads as the full normalization does, and leaves the stored ones out', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.boolean(), (entries, small) => {
        const options = small ? { maxArticleBytes: 200 } : {};
        const full = normalizeFeed(feedOf(entries), SOURCE, NOW, options);
        const lean = normalizeFeed(feedOf(entries), SOURCE, NOW, { ...options, clusterOnly: true });
        expect(lean.errors.map((e) => e.message)).toEqual(full.errors.map((e) => e.message));
        expect(lean.articles.map(({ html, sourceHash, author, categories, ...indexed }) => indexed)).toEqual(full.articles.map(({ html, sourceHash, author, categories, ...indexed }) => indexed));
        for (const a of lean.articles) {
          expect(a.html).toBe('');
          expect(a.categories).toEqual([]);
          expect(a.sourceHash).toBeUndefined();
          expect(a.author).toBeUndefined();
        }
      }),
      { numRuns: 200 },
    );
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFeedLinks, looksLikeHtml } from '../../src/parse/discover.js';
import { parseOpml, renderOpml } from '../../src/parse/opml.js';
import { FIXTURES } from '../helpers/paths.js';

const OPML = `<?xml version="1.0"?>
<opml version="2.0"><head><title>My subs</title></head><body>
  <outline text="News">
    <outline text="World" title="World">
      <outline text="A" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>
    </outline>
    <outline text="B" xmlUrl="https://b.example/rss"/>
    <outline text="dup" xmlUrl="https://a.example/feed"/>
    <outline text="no url"/>
  </outline>
  <outline text="Top" xmlUrl="https://top.example/atom"/>
</body></opml>`;

describe('parseOpml / renderOpml', () => {
  it('flattens nested outlines with category paths, skips outlines without xmlUrl and drops duplicates', () => {
    const doc = parseOpml(OPML);
    expect(doc.title).toBe('My subs');
    expect(doc.feeds).toEqual([
      { url: 'https://a.example/feed', title: 'A', htmlUrl: 'https://a.example/', category: 'News/World' },
      { url: 'https://b.example/rss', title: 'B', category: 'News' },
      { url: 'https://top.example/atom', title: 'Top' },
    ]);
  });

  it('round-trips through renderOpml (OPML 2.0)', () => {
    const feeds = parseOpml(OPML).feeds;
    const xml = renderOpml(feeds, { title: 'Out & about', now: '2026-01-02T03:04:05Z' });
    expect(xml).toContain('<opml version="2.0">');
    const back = parseOpml(xml);
    expect(back.title).toBe('Out & about');
    expect(back.feeds).toEqual(feeds);
  });
});

describe('discoverFeedLinks / looksLikeHtml', () => {
  it('finds rel=alternate feed links and resolves them against the page', () => {
    const html = readFileSync(path.join(FIXTURES, 'parse', 'html-page.html'), 'utf8');
    expect(discoverFeedLinks(html, 'https://site.example/blog/post')).toEqual(['https://site.example/feed.xml', 'https://cdn.example/atom.xml']);
  });

  it('tells HTML pages from feeds', () => {
    expect(looksLikeHtml('\n<!-- hi --><!DOCTYPE html><html>')).toBe(true);
    expect(looksLikeHtml('<html lang="en"><body>')).toBe(true);
    expect(looksLikeHtml('<?xml version="1.0"?><rss version="2.0">')).toBe(false);
    expect(looksLikeHtml('<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(false);
  });
});

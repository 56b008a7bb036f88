import { parseAtomFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import type { SourceSpec } from '../../src/model/source.js';
import type { StoryView } from '../../src/model/story.js';
import { htmlToText } from '../../src/normalize/html-to-text.js';
import { normalizeFeed } from '../../src/normalize/normalize-feed.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { renderAtom } from '../../src/publish/render-atom.js';
import { META } from '../publish/story-fixtures.js';

/**
 * Escaping through parse → normalize → publish: HTML a feed escapes once or twice reaches the
 * reader as HTML, once (no literal `<p>`, no `&amp;amp;`), and plain text holding `<` or `&`
 * stays text.
 */

const NOW = '2025-03-05T12:00:00.000Z';
const SOURCE: SourceSpec = { id: 'src', kind: 'feed-url', location: 'https://feed.example/feed', rank: 0 };

function rss(description: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://feed.example/</link>
<item><guid isPermaLink="false">one</guid><title>One item</title><description>${description}</description></item></channel></rss>`;
}

function atom(content: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id><updated>2025-03-05T10:00:00Z</updated>
<entry><id>urn:one</id><title>One item</title><updated>2025-03-05T10:00:00Z</updated>${content}</entry></feed>`;
}

function jsonFeed(item: Record<string, string>): string {
  return JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'T', items: [{ id: 'one', title: 'One item', ...item }] });
}

/**
 * Publishes the document's one item as the canonical of a story and reads the feed back as a
 * reader does: the entry's HTML content (Atom-decoded once), and the text a reader shows of it.
 */
function published(document: string): { html: string; shown: string; text: string } {
  const { articles, errors } = normalizeFeed(parseFeed(document), SOURCE, NOW);
  expect(errors).toEqual([]);
  expect(articles).toHaveLength(1);
  const article = articles[0]!;
  const story: StoryView = { id: 'tag:feedfold.example,2025:story-1', published: NOW, updated: NOW, canonical: article, others: [], canonicalReason: 'only version', decisions: {} };
  const feed = parseAtomFeed(renderAtom(META, [story]));
  const entry = feed.entries?.[0];
  expect(entry?.content?.type).toBe('html');
  const html = entry?.content?.value ?? '';
  return { html, shown: htmlToText(html), text: article.text };
}

describe('escaped HTML is shown as HTML, once', () => {
  const table: [string, string, string][] = [
    ['RSS description escaped once', rss('&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;'), 'Hello & welcome'],
    ['RSS description in CDATA', rss('<![CDATA[<p>Hello &amp; welcome</p>]]>'), 'Hello & welcome'],
    ['RSS description escaped twice', rss('&amp;lt;p&amp;gt;Hello &amp;amp;amp; welcome&amp;lt;/p&amp;gt;'), 'Hello & welcome'],
    ['RSS description escaped twice, in CDATA', rss('<![CDATA[&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;]]>'), 'Hello & welcome'],
    [
      'RSS description escaped twice, with a link and a line break',
      rss('&amp;lt;p&amp;gt;Ferry service resumes, see the &amp;lt;a href=&amp;quot;https://feed.example/a&amp;quot;&amp;gt;timetable&amp;lt;/a&amp;gt;&amp;lt;br/&amp;gt;from Monday&amp;lt;/p&amp;gt;'),
      'Ferry service resumes, see the timetable\nfrom Monday',
    ],
    ['Atom type="html" escaped twice', atom('<content type="html">&amp;lt;p&amp;gt;Hello &amp;amp;amp; welcome&amp;lt;/p&amp;gt;</content>'), 'Hello & welcome'],
    ['JSON Feed content_html escaped twice', jsonFeed({ content_html: '&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;' }), 'Hello & welcome'],
  ];
  for (const [name, document, shown] of table) {
    it(name, () => {
      const out = published(document);
      expect(out.shown).toBe(shown);
      expect(out.text).toBe(shown);
      expect(out.html).toMatch(/^<p>/);
      expect(out.html).not.toContain('&lt;');
      expect(out.html).not.toContain('&amp;amp;');
    });
  }
});

describe('HTML escaped twice keeps its markup once undone', () => {
  it('keeps the link and the line break', () => {
    const { html } = published(rss('&amp;lt;p&amp;gt;See the &amp;lt;a href=&amp;quot;https://feed.example/a&amp;quot;&amp;gt;timetable&amp;lt;/a&amp;gt;&amp;lt;br/&amp;gt;from Monday&amp;lt;/p&amp;gt;'));
    expect(html).toContain('<a href="https://feed.example/a" rel="noopener noreferrer">timetable</a>');
    expect(html).toMatch(/<br\s*\/?>/);
  });
});

describe('plain text holding < and & stays text', () => {
  const table: [string, string, string][] = [
    ['a heart', rss('I &lt;3 feeds'), 'I <3 feeds'],
    ['a comparison with spaces', rss('a &lt; b and b &gt; c'), 'a < b and b > c'],
    ['a comparison without spaces, never closed', rss('if a&lt;b then x'), 'if a<b then x'],
    ['an ampersand', rss('Fish &amp; Chips'), 'Fish & Chips'],
    ['an ampersand escaped twice', rss('AT&amp;amp;T wins'), 'AT&T wins'],
    ['prose that names a tag, in escaped HTML', rss('Use the &amp;lt;p&amp;gt; element for paragraphs'), 'Use the <p> element for paragraphs'],
    ['JSON Feed content_text with markup characters', jsonFeed({ content_text: 'x < y && y > z, <3' }), 'x < y && y > z, <3'],
    ['Atom type="text" with markup characters', atom('<content type="text">if a&lt;b &amp;&amp; c&gt;d</content>'), 'if a<b && c>d'],
  ];
  for (const [name, document, shown] of table) {
    it(name, () => {
      const out = published(document);
      expect(out.shown).toBe(shown);
      expect(out.text).toBe(shown);
      expect(out.html).not.toContain('&amp;amp;');
    });
  }
});

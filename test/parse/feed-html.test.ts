import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { resolveHtmlUrls } from '../../src/parse/resolve-html-urls.js';
import { htmlToText } from '../../src/parse/text-construct.js';

describe('resolveHtmlUrls', () => {
  it('resolves relative href/src against the base and leaves absolute and fragment links alone', () => {
    const html = '<a href="/a">1</a><img src="b.png"><a href="#top">2</a><a href="https://x.example/c">3</a>';
    expect(resolveHtmlUrls(html, 'https://site.example/blog/post')).toBe('<a href="https://site.example/a">1</a><img src="https://site.example/blog/b.png"><a href="#top">2</a><a href="https://x.example/c">3</a>');
  });
});

describe('parseFeed passes HTML on as the feed wrote it', () => {
  it('keeps summary and content unsanitized (sanitizing happens once, when published) and resolves their links against xml:base', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://b.example/news/"><entry><id>1</id>
      <summary type="html">&lt;p onmouseover="x()"&gt;Sum&lt;script&gt;bad()&lt;/script&gt;&lt;/p&gt;</summary>
      <content type="html">&lt;a href="story/1"&gt;more&lt;/a&gt;</content></entry></feed>`;
    const [e] = parseFeed(xml).entries;
    expect(e?.summary).toBe('<p onmouseover="x()">Sum<script>bad()</script></p>');
    expect(e?.content).toBe('<a href="https://b.example/news/story/1">more</a>');
  });

  it('keeps script text out of titles', () => {
    const xml = '<rss version="2.0"><channel><item><title>Hello &lt;script&gt;steal()&lt;/script&gt;world</title></item></channel></rss>';
    expect(parseFeed(xml).entries[0]?.title).toBe('Hello world');
  });

  it('drops control characters from titles and keeps the text the feed wrote', () => {
    const xml = '<rss version="2.0"><channel><title>Feed\u0085name\u0007</title><item><title>a&#x9;b &#x200F;c\u009Fd</title></item></channel></rss>';
    const feed = parseFeed(xml);
    expect(feed.title).toBe('Feed name');
    // Bidirectional marks are text here (feedparser keeps them too); normalize drops them from titles.
    expect(feed.entries[0]?.title).toBe('a b \u200Fcd');
  });
});

describe('htmlToText (titles)', () => {
  const table: Array<[string, string, string]> = [
    ['tags dropped, entities decoded', '<b>Fish</b> &amp; <i>Chips</i>', 'Fish & Chips'],
    ['script and style dropped with their content', 'a<script>x()</script> b<style>p{}</style>', 'a b'],
    ['comments dropped', 'a<!-- note --> b', 'a b'],
    ['whitespace collapsed', '  a \n\t b  ', 'a b'],
    ['no markup at all', 'plain &lt;3', 'plain <3'],
    ['CDATA shown as text', 'a <![CDATA[b]]>', 'a <![CDATA[b]]>'],
    ['unclosed tag', 'a <b>bold', 'a bold'],
  ];
  for (const [name, html, text] of table) {
    it(name, () => {
      expect(htmlToText(html)).toBe(text);
    });
  }
});

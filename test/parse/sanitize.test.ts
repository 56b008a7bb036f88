import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { resolveHtmlUrls } from '../../src/parse/resolve-html-urls.js';
import { sanitizeHtml } from '../../src/parse/sanitize-html.js';

describe('sanitizeHtml', () => {
  it('drops script, style and applet with their content, keeps the text around them', () => {
    expect(sanitizeHtml('safe<script>alert(1)</script> <style>p{}</style>text')).toBe('safe text');
  });

  it('drops event handlers and unknown elements, keeps allowed markup', () => {
    expect(sanitizeHtml('<p onclick="x()" class="a">Hi <blink>there</blink><iframe src="//evil"></iframe></p>')).toBe('<p class="a">Hi there</p>');
  });

  it('neutralises javascript: and obfuscated schemes in URL attributes', () => {
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a href="">x</a>');
    expect(sanitizeHtml('<a href="java\tscript:alert(1)">x</a>')).toBe('<a href="">x</a>');
    expect(sanitizeHtml('<img src="http://img.example/a.png" />')).toBe('<img src="http://img.example/a.png" />');
  });

  it('keeps harmless CSS and drops url() and unknown properties', () => {
    expect(sanitizeHtml('<span style="color: red; position: absolute">x</span>')).toBe('<span style="color: red;">x</span>');
    expect(sanitizeHtml('<span style="background: url(http://t.example/x.gif)">x</span>')).toBe('<span>x</span>');
  });
});

describe('resolveHtmlUrls', () => {
  it('resolves relative href/src against the base and leaves absolute and fragment links alone', () => {
    const html = '<a href="/a">1</a><img src="b.png"><a href="#top">2</a><a href="https://x.example/c">3</a>';
    expect(resolveHtmlUrls(html, 'https://site.example/blog/post')).toBe('<a href="https://site.example/a">1</a><img src="https://site.example/blog/b.png"><a href="#top">2</a><a href="https://x.example/c">3</a>');
  });
});

describe('parseFeed passes only safe HTML on', () => {
  it('sanitizes summary and content and resolves their links against xml:base', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://b.example/news/"><entry><id>1</id>
      <summary type="html">&lt;p onmouseover="x()"&gt;Sum&lt;script&gt;bad()&lt;/script&gt;&lt;/p&gt;</summary>
      <content type="html">&lt;a href="story/1"&gt;more&lt;/a&gt;</content></entry></feed>`;
    const [e] = parseFeed(xml).entries;
    expect(e?.summary).toBe('<p>Sum</p>');
    expect(e?.content).toBe('<a href="https://b.example/news/story/1">more</a>');
  });

  it('keeps script text out of titles', () => {
    const xml = '<rss version="2.0"><channel><item><title>Hello &lt;script&gt;steal()&lt;/script&gt;world</title></item></channel></rss>';
    expect(parseFeed(xml).entries[0]?.title).toBe('Hello world');
  });
});

import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { elements } from './dom-elements.js';
import { parseHtml } from '../../src/normalize/html-to-text.js';
import { storedHtml } from '../../src/normalize/stored-html.js';

const BASE = 'https://news.example.com/2025/03/story.html';
const stored = (html: string, base: string | undefined = BASE): string => storedHtml(parseHtml(html), base).html;
const storedWithoutBase = (html: string): string => storedHtml(parseHtml(html), undefined).html;

describe('storedHtml: the HTML an article\'s text was read from', () => {
  it('leaves out what is never read as text: scripts, styles, embeds, form controls, comments', () => {
    const html = '<p>Kept</p><script>x()</script><style>p{}</style><!-- note --><iframe src="https://v.example/"></iframe><svg><text>s</text></svg><select><option>o</option></select><p>Also kept</p>';
    expect(stored(html)).toBe('<p>Kept</p><p>Also kept</p>');
  });

  it('applies no allow-list: other elements and attributes stay for the sanitizer to judge when published', () => {
    expect(stored('<div class="x" onclick="y()"><span>text</span></div>')).toBe('<div class="x" onclick="y()"><span>text</span></div>');
  });

  it('makes links and images absolute against the base and removes tracking parameters from links', () => {
    const [a, img] = elements(parseDocument(stored('<a href="/about?utm_source=rss&amp;id=4#team">About</a> <img src="img/photo.jpg" alt="p">')).children);
    expect(a?.attribs['href']).toBe('https://news.example.com/about?id=4#team');
    expect(img?.attribs['src']).toBe('https://news.example.com/2025/03/img/photo.jpg');
  });

  it('resolves protocol-relative images to the base scheme', () => {
    expect(stored('<img src="//cdn.example.com/a.jpg" alt="a">')).toContain('src="https://cdn.example.com/a.jpg"');
  });

  it('gives a lazy-loaded image its real address', () => {
    const out = stored('<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg" alt="r">');
    expect(out).toBe('<img src="https://news.example.com/real.jpg" alt="r">');
  });

  it('leaves addresses of other schemes as written, for the sanitizer', () => {
    expect(stored('<a href="javascript:alert(1)">x</a>')).toBe('<a href="javascript:alert(1)">x</a>');
  });

  it('keeps relative addresses when there is no base', () => {
    expect(storedWithoutBase('<a href="/about">About</a>')).toBe('<a href="/about">About</a>');
  });

  it('keeps text in UTF-8 rather than as character references', () => {
    expect(stored('<p>Grüße &amp; 你好 &lt;3</p>')).toBe('<p>Grüße &amp; 你好 &lt;3</p>');
  });

  it('counts the images it keeps', () => {
    expect(storedHtml(parseHtml('<p><img src="/a.jpg"><img src="/b.jpg"></p><script><img src="/c.jpg"></script>'), BASE).images).toBe(2);
  });

  it('handles 100,000 sibling comments in linear time (one rebuild per child list)', () => {
    const html = `<p>a</p>${'<!--c-->'.repeat(100_000)}<p>b</p>`;
    expect(stored(html)).toBe('<p>a</p><p>b</p>');
  });
});

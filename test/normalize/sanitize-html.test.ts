import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { elements } from './dom-elements.js';
import { sanitizeHtml } from '../../src/normalize/sanitize-html.js';

const BASE = 'https://news.example.com/2025/03/story.html';
const SAFE_TAGS = new Set([
  'p', 'br', 'hr', 'a', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'q', 'cite', 'em', 'strong', 'b', 'i', 'u', 's',
  'del', 'ins', 'sub', 'sup', 'small', 'mark', 'abbr', 'h2', 'h3', 'h4', 'h5', 'h6', 'figure', 'figcaption', 'img', 'pre',
  'code', 'kbd', 'samp', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
]);

/** Parses sanitized output the way a browser would and lists every unsafe thing left in it. */
function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  for (const el of elements(parseDocument(html).children)) {
    if (!SAFE_TAGS.has(el.name)) problems.push(`tag <${el.name}>`);
    for (const [name, value] of Object.entries(el.attribs)) {
      if (/^on/i.test(name) || name === 'style' || name === 'srcset') problems.push(`attribute ${name}`);
      if (name === 'href' || name === 'src') {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.replace(/[\x00-\x20]/g, ''))?.[1]?.toLowerCase();
        const allowed = name === 'src' ? ['http', 'https'] : ['http', 'https', 'mailto'];
        if (scheme === undefined || !allowed.includes(scheme)) problems.push(`${name}=${value}`);
      }
    }
  }
  return problems;
}

// Vectors from the OWASP XSS filter evasion cheat sheet and html5sec.org, as feeds carry them.
const XSS_VECTORS: Array<[string, string]> = [
  ['script element', '<p>before</p><script>alert(1)</script><p>after</p>'],
  ['script with src', '<script src="https://evil.example/x.js"></script><p>after</p>'],
  ['img onerror', '<img src="x" onerror="alert(1)"><p>after</p>'],
  ['uppercase ONERROR without quotes', '<IMG SRC=x ONERROR=alert(1)><p>after</p>'],
  ['javascript: href', '<a href="javascript:alert(1)">after</a>'],
  ['JaVaScRiPt: href', '<a href="JaVaScRiPt:alert(1)">after</a>'],
  ['entity-encoded tab in scheme', '<a href="jav&#x09;ascript:alert(1)">after</a>'],
  ['entity-encoded newline in scheme', '<a href="jav&#x0A;ascript:alert(1)">after</a>'],
  ['decimal entities for the scheme', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">after</a>'],
  ['leading spaces and control chars', '<a href=" &#14;  javascript:alert(1)">after</a>'],
  ['vbscript: href', '<a href="vbscript:msgbox(1)">after</a>'],
  ['svg onload', '<svg onload="alert(1)"><circle r="1"/></svg><p>after</p>'],
  ['svg with script inside', '<svg><script>alert(1)</script></svg><p>after</p>'],
  ['style expression', '<p style="width: expression(alert(1))">after</p>'],
  ['style element', '<style>body{background:url("javascript:alert(1)")}</style><p>after</p>'],
  ['iframe', '<iframe src="https://evil.example/"></iframe><p>after</p>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe><p>after</p>'],
  ['object and embed', '<object data="evil.swf"></object><embed src="evil.swf"><p>after</p>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><p>after</p>'],
  ['base href', '<base href="https://evil.example/"><a href="/x">after</a>'],
  ['data: link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">after</a>'],
  ['data: image', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"><p>after</p>'],
  ['form with action', '<form action="https://evil.example/"><input name="pw"><button>Go</button></form><p>after</p>'],
  ['body onload', '<body onload="alert(1)"><p>after</p></body>'],
  ['a onmouseover', '<a href="https://example.com/" onmouseover="alert(1)">after</a>'],
  ['math/xlink href', '<math><maction xlink:href="javascript:alert(1)">x</maction></math><p>after</p>'],
  ['comment breaking out', '<!--<img src="--><img src=x onerror=alert(1)//">--><p>after</p>'],
  ['unclosed attribute trick', '<img src="x` `<script>alert(1)</script>"` `><p>after</p>'],
  ['srcset with javascript', '<img src="https://example.com/a.jpg" srcset="javascript:alert(1) 1x"><p>after</p>'],
];

describe('sanitizeHtml against XSS vectors', () => {
  it('uses a checker that sees unsafe markup (control)', () => {
    const found = unsafeParts('<img src="https://e.example/x.jpg" onerror="alert(1)"><a href="javascript:x">y</a><iframe></iframe>');
    expect(found).toEqual(['attribute onerror', 'href=javascript:x', 'tag <iframe>']);
  });
  for (const [name, vector] of XSS_VECTORS) {
    it(`neutralizes ${name}`, () => {
      const out = sanitizeHtml(vector, BASE);
      expect(unsafeParts(out)).toEqual([]);
      expect(out).not.toMatch(/<script|javascript:|vbscript:|expression\(|<iframe|<svg|<meta|<base/i);
      // The harmless text next to the attack survives.
      expect(out).toContain('after');
    });
  }
});

describe('sanitizeHtml structure and links', () => {
  it('keeps the allow-listed structure', () => {
    const html = '<h2>Head</h2><p>A <em>b</em> <strong>c</strong></p><ul><li>one</li></ul><blockquote>q</blockquote><pre><code>x = 1</code></pre><table><tr><td>cell</td></tr></table>';
    const out = sanitizeHtml(html, BASE);
    for (const tag of ['<h2>', '<em>', '<strong>', '<ul>', '<li>', '<blockquote>', '<pre>', '<code>', '<table>', '<td>']) expect(out).toContain(tag);
  });

  it('unwraps unknown containers but keeps their text', () => {
    expect(sanitizeHtml('<div class="x"><span>kept text</span></div>')).toBe('kept text');
  });

  it('makes relative links and images absolute against the base and marks links noopener', () => {
    const out = sanitizeHtml('<a href="/about?utm_source=rss&amp;id=4#team">About</a> <img src="img/photo.jpg" alt="p" width="640">', BASE);
    const [a, img] = elements(parseDocument(out).children);
    expect(a?.attribs['href']).toBe('https://news.example.com/about?id=4#team');
    expect(a?.attribs['rel']).toBe('noopener noreferrer');
    expect(img?.attribs['src']).toBe('https://news.example.com/2025/03/img/photo.jpg');
  });

  it('resolves protocol-relative images to the base scheme', () => {
    expect(sanitizeHtml('<img src="//cdn.example.com/a.jpg" alt="a">', BASE)).toContain('src="https://cdn.example.com/a.jpg"');
  });

  it('uses the lazy-load data-src image over a placeholder', () => {
    const out = sanitizeHtml('<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg" alt="r">', BASE);
    expect(out).toContain('src="https://news.example.com/real.jpg"');
  });

  it('drops navigation, sidebars and site footers with their content', () => {
    const out = sanitizeHtml('<nav><a href="/">Home</a></nav><p>Body</p><aside>Sidebar</aside><footer>Footer</footer>', BASE);
    expect(out).toBe('<p>Body</p>');
  });
});

describe('sanitizeHtml tracking removal', () => {
  const pixels: Array<[string, string]> = [
    ['1×1 image', '<img src="https://example.com/i.gif" width="1" height="1">'],
    ['zero-size image', '<img src="https://example.com/i.gif" width="0" height="0">'],
    ['hidden image', '<img src="https://example.com/i.gif" style="display:none">'],
    ['FeedBurner ~r beacon', '<img src="http://feeds.feedburner.com/~r/ExampleBlog/~4/AbCdEf" height="1" width="1" alt="">'],
    ['FeedBurner ~ff flare', '<a href="http://feeds.feedburner.com/~ff/ExampleBlog?a=xyz"><img src="http://feeds.feedburner.com/~ff/ExampleBlog?d=yIl2AUoC8zA" border="0"></a>'],
    ['WordPress stats', '<img src="https://stats.wordpress.com/b.gif?host=example.com&blog=1&post=2" alt="">'],
    ['pixel host', '<img src="https://pixel.example-ads.com/p.gif?id=1">'],
    ['/pixel path', '<img src="https://example.com/pixel?id=1">'],
    ['/track path', '<img src="https://example.com/track/open.gif?u=5">'],
    ['/beacon path', '<img src="https://example.com/beacon.gif">'],
    ['doubleclick', '<img src="https://ad.doubleclick.net/ddm/ad/abc">'],
  ];
  for (const [name, pixel] of pixels) {
    it(`removes a ${name}`, () => {
      const out = sanitizeHtml(`<p>Story text.</p>${pixel}`, BASE);
      expect(out).toBe('<p>Story text.</p>');
    });
  }

  it('keeps real pictures', () => {
    const out = sanitizeHtml('<figure><img src="https://cdn.example.com/uploads/2025/03/harbor.jpg" width="800" height="600" alt="Harbor"><figcaption>The harbor</figcaption></figure>', BASE);
    expect(out).toContain('harbor.jpg');
    expect(out).toContain('<figcaption>The harbor</figcaption>');
  });
});

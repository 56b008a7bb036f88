import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl, isTrackingParam, stripTracking } from '../../src/normalize/canonical-url.js';

describe('canonicalUrl', () => {
  const table: Array<[string, string | undefined, string | undefined]> = [
    // [input, base, expected]
    ['HTTPS://Example.COM/News/Story.html', undefined, 'https://example.com/News/Story.html'],
    ['http://example.com:80/a', undefined, 'http://example.com/a'],
    ['https://example.com:443/a', undefined, 'https://example.com/a'],
    ['https://example.com:8443/a', undefined, 'https://example.com:8443/a'],
    ['https://example.com/a#comments', undefined, 'https://example.com/a'],
    ['https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x', undefined, 'https://example.com/a'],
    ['https://example.com/a?id=7&fbclid=abc&gclid=def', undefined, 'https://example.com/a?id=7'],
    ['https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&ref=tw&ref_src=twsrc&cmpid=rss&_ga=1.2&yclid=9&msclkid=8&p=2', undefined, 'https://example.com/a?p=2'],
    ['https://example.com/a?UTM_Source=x&page=1', undefined, 'https://example.com/a?page=1'],
    ['https://example.com/a?b=2&a=1&c=3', undefined, 'https://example.com/a?a=1&b=2&c=3'],
    ['https://example.com/search?q=caf%C3%A9+au+lait', undefined, 'https://example.com/search?q=caf%C3%A9+au+lait'],
    ['https://example.com./a', undefined, 'https://example.com/a'],
    ['https://user:pw@example.com/a', undefined, 'https://example.com/a'],
    ['  https://example.com/a  ', undefined, 'https://example.com/a'],
    ['/2025/03/story/?utm_source=x', 'https://Example.com/feed/', 'https://example.com/2025/03/story/'],
    ['story.html', 'https://example.com/news/feed.xml', 'https://example.com/news/story.html'],
    ['//cdn.example.com/a', 'https://example.com/', 'https://cdn.example.com/a'],
    ['not a url', undefined, undefined],
    ['/relative/without/base', undefined, undefined],
    ['', undefined, undefined],
    ['javascript:alert(1)', undefined, undefined],
    ['mailto:someone@example.com', undefined, undefined],
    ['ftp://example.com/file', undefined, undefined],
  ];
  for (const [input, base, expected] of table) {
    it(`${JSON.stringify(input)}${base ? ` against ${base}` : ''} → ${String(expected)}`, () => {
      expect(canonicalUrl(input, base)).toBe(expected);
    });
  }

  it('gives the same URL whatever the order and tracking of the parameters', () => {
    const a = canonicalUrl('https://example.com/a?x=1&y=2&utm_source=feed');
    const b = canonicalUrl('https://EXAMPLE.com/a?y=2&fbclid=zz&x=1#top');
    expect(a).toBe(b);
  });

  it('turns down a scheme other than http(s) as parsing would (generated)', () => {
    // Whether the URL parser reads the input as a web page's address, without the check of the scheme before it.
    const parsed = (input: string, base: string | undefined): string | undefined => {
      if (input.trim() === '') return undefined;
      try {
        const url = base === undefined ? new URL(input.trim()) : new URL(input.trim(), base);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? 'http(s)' : undefined;
      } catch {
        return undefined;
      }
    };
    const schemes = fc.constantFrom('http', 'HTTPS', 'https', 'Http', 'httpx', 'ht\ttp', ' http', 'batch', 'mailto', 'ftp', 'file', 'ws', 'localhost', 'www.example.com', 'a+b', '1a', 'c', 'data', 'javascript', '');
    const rests = fc.constantFrom('//example.com/a', 'example.com/a', '/a', '8080/a', 'alert(1)', '', '//', 'feed');
    const bases = fc.constantFrom(undefined, 'https://example.com/feed/', 'http://example.org');
    fc.assert(
      fc.property(schemes, fc.constantFrom(':', ''), rests, bases, (scheme, colon, rest, base) => {
        const input = `${scheme}${colon}${rest}`;
        const out = canonicalUrl(input, base);
        expect(out === undefined ? undefined : 'http(s)').toBe(parsed(input, base));
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    const once = canonicalUrl('HTTP://Example.com:80/P?b=1&a=2&utm_term=x#f') ?? '';
    expect(canonicalUrl(once)).toBe(once);
  });
});

describe('isTrackingParam', () => {
  it('knows tracking families and leaves content parameters alone', () => {
    for (const name of ['utm_source', 'utm_anything', 'fbclid', 'gclid', 'mc_eid', 'msclkid']) expect(isTrackingParam(name)).toBe(true);
    for (const name of ['id', 'p', 'page', 'q', 'article', 'story_id']) expect(isTrackingParam(name)).toBe(false);
  });
});

describe('stripTracking', () => {
  it('keeps the fragment and parameter order of in-article links', () => {
    expect(stripTracking('https://example.com/a?z=1&utm_source=x&a=2#note-3')).toBe('https://example.com/a?z=1&a=2#note-3');
  });
});

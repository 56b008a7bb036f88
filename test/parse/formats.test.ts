import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed, parseFeedReport } from '../../src/parse/parse-feed.js';
import { FIXTURES } from '../helpers/paths.js';

const fixture = (name: string): Buffer => readFileSync(path.join(FIXTURES, 'parse', name));

describe('parseFeed formats', () => {
  it('reads RSS 2.0: links, guid, summary vs content, author name, categories, enclosure, dates to UTC', () => {
    const feed = parseFeed(fixture('rss-20.xml'));
    expect(feed).toMatchObject({ format: 'rss', title: 'Example News & Views', link: 'https://news.example/', selfLink: 'https://news.example/feed.xml', language: 'en-gb' });
    const [a, b] = feed.entries;
    expect(a).toMatchObject({ title: 'Storm hits coast', link: 'https://news.example/storm', guid: 'story-1', contentType: 'html', author: 'Jane Doe', categories: ['Weather', 'UK'], published: '2025-01-06T07:30:00.000Z', publishedRaw: 'Mon, 06 Jan 2025 08:30:00 +0100' });
    expect(a?.summary).toContain('<b>hit</b>');
    expect(a?.content).toContain('Full text');
    expect(a?.enclosures).toEqual([{ url: 'https://news.example/storm.jpg', type: 'image/jpeg', length: 12345 }]);
    // A permalink guid (isPermaLink defaults to true) stands in for a missing link.
    expect(b).toMatchObject({ link: 'https://news.example/second', author: 'John Roe', published: '2025-01-07T10:00:00.000Z' });
  });

  it('reads RSS 1.0 (RDF): items beside the channel, dc: fields', () => {
    const report = parseFeedReport(fixture('rss-10-rdf.xml'));
    expect(report.version).toBe('rss10');
    expect(report.feed).toMatchObject({ format: 'rdf', title: 'RDF Site', language: 'fr' });
    expect(report.feed.entries).toHaveLength(1);
    expect(report.feed.entries[0]).toMatchObject({ title: 'Premier article', link: 'https://rdf.example/a', author: 'Marie', categories: ['Politique'], published: '2025-01-01T00:00:00.000Z', summary: 'Résumé du premier article.' });
  });

  it('reads Atom 1.0: text constructs, xml:base, rel=alternate preferred, enclosure, inherited author, xml:lang', () => {
    const report = parseFeedReport(fixture('atom-10.xml'));
    expect(report.wellFormed).toBe(true);
    const feed = report.feed;
    expect(feed).toMatchObject({ format: 'atom', title: 'Atom & Co', link: 'https://atom.example/blog/', selfLink: 'https://atom.example/blog/feed.atom', language: 'en' });
    const [a, b] = feed.entries;
    expect(a).toMatchObject({ title: 'Rates rise again', link: 'https://atom.example/blog/posts/rates', guid: 'tag:atom.example,2025:rates', summary: 'Rates rise.', contentType: 'html', author: 'Feed Author', categories: ['economy'], published: '2025-02-01T08:00:00.000Z', updated: '2025-02-01T11:00:00.000Z' });
    expect(a?.content).toBe('<p>Rates rose by <b>0.25</b> points.</p>');
    expect(a?.enclosures).toEqual([{ url: 'https://atom.example/blog/audio/rates.mp3', type: 'audio/mpeg', length: 999 }]);
    expect(b).toMatchObject({ title: 'Zinsen steigen', author: 'redaktion@atom.example', contentType: 'text', content: 'Die Zinsen steigen.', language: 'de' });
  });

  it('reads Atom 0.3: issued/modified, escaped and base64 content modes', () => {
    const report = parseFeedReport(fixture('atom-03.xml'));
    expect(report.version).toBe('atom03');
    const [a, b] = report.feed.entries;
    expect(a).toMatchObject({ title: 'Legacy entry', link: 'https://old.example/1', published: '2004-05-01T12:00:00.000Z', updated: '2004-05-01T13:00:00.000Z', author: 'Old Timer', contentType: 'html' });
    expect(a?.content).toBe('<p>Escaped <i>HTML</i></p>');
    expect(b?.content).toBe('<p>Hello</p>');
  });

  it('reads JSON Feed 1.1 by content, whatever the Content-Type says', () => {
    const feed = parseFeed(fixture('json-feed-11.json'), { contentType: 'text/xml', url: 'https://json.example/feed.json' });
    expect(feed).toMatchObject({ format: 'json', title: 'JSON Example', link: 'https://json.example/', language: 'es' });
    const [a, b] = feed.entries;
    expect(a).toMatchObject({ guid: '1', title: 'Hola', content: '<p>Hola mundo</p>', contentType: 'html', summary: 'Saludo', author: 'Ana', categories: ['saludos'], published: '2025-03-01T14:00:00.000Z' });
    expect(a?.enclosures).toEqual([{ url: 'https://json.example/a.mp3', type: 'audio/mpeg', length: 10 }]);
    // A bad date keeps the item going; the raw string survives.
    expect(b).toMatchObject({ guid: '2', content: 'Sin título', contentType: 'text', updatedRaw: 'not a date' });
    expect(b?.updated).toBeUndefined();
  });

  describe('a JSON document is a JSON Feed only with a JSON Feed version', () => {
    const items = [{ id: '1', title: 'One', content_text: 'Text' }];
    const accepted: Array<[string, string]> = [
      ['https://jsonfeed.org/version/1.1', 'json11'],
      ['https://jsonfeed.org/version/1', 'json10'],
      // As some feeds in the wild write it.
      ['http://jsonfeed.org/version/1', 'json10'],
      [' https://jsonfeed.org/version/1.1/ ', 'json11'],
    ];
    for (const [version, expected] of accepted) {
      it(`reads version ${JSON.stringify(version)}`, () => {
        const report = parseFeedReport(JSON.stringify({ version, items }));
        expect(report.version).toBe(expected);
        expect(report.feed.entries).toHaveLength(1);
      });
    }

    const refused: Array<[string, unknown]> = [
      ['an internal API answer with an items array', { items: [{ secret: 'internal-api-token' }] }],
      ['a bare version number', { version: '1.1', items }],
      ['a version URL of another site', { version: 'https://example.com/jsonfeed.org/version/1.1', items }],
      ['a version that is not a string', { version: 1.1, items }],
      ['an array', [{ items }]],
    ];
    for (const [name, doc] of refused) {
      it(`refuses ${name} as not a feed, saying why`, () => {
        let error: unknown;
        try {
          parseFeed(JSON.stringify(doc), { url: 'http://10.0.0.5/api' });
        } catch (err) {
          error = err;
        }
        expect(error).toMatchObject({ stage: 'parse', kind: 'not-a-feed', message: 'parse: not a feed: JSON without a JSON Feed version (https://jsonfeed.org/version/1.1) (http://10.0.0.5/api)' });
      });
    }
  });

  it('resolves relative links against the feed URL when the document gives no base', () => {
    const xml = '<rss version="2.0"><channel><link>/</link><item><link>post/1</link></item></channel></rss>';
    const feed = parseFeed(xml, { url: 'https://site.example/blog/feed.xml' });
    expect(feed.link).toBe('https://site.example/');
    expect(feed.entries[0]?.link).toBe('https://site.example/blog/post/1');
  });

  it('accepts undefined HTML entities and bare ampersands, and reports the leniency', () => {
    const report = parseFeedReport(fixture('lenient-entities.xml'));
    expect(report.feed.title).toBe('Tom & Jerry\u00a0Show & more');
    expect(report.feed.entries[0]).toMatchObject({ title: 'café © 2025', link: 'https://x.example/?a=1&b=2' });
    expect(report.wellFormed).toBe(false);
    expect(report.problems).toContain('undefined-entity-or-bare-ampersand');
  });
});

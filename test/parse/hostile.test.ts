import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedfoldError } from '../../src/model/errors.js';
import { parseFeed, parseFeedReport } from '../../src/parse/parse-feed.js';
import { FIXTURES } from '../helpers/paths.js';

const fixture = (name: string): Buffer => readFileSync(path.join(FIXTURES, 'parse', name));

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof FeedfoldError) return err.kind;
    throw err;
  }
}

describe('parseFeed on hostile input', () => {
  it('never expands DOCTYPE entities (billion laughs)', () => {
    const report = parseFeedReport(fixture('hostile-billion-laughs.xml'));
    // The reference stays as written: undefined, never expanded.
    expect(report.feed.title).toBe('&lol9;');
    expect(report.feed.entries[0]?.title).toBe('Bomb &lol9;');
    expect(report.problems).toContain('doctype-entities-ignored');
  });

  it('never reads external entities (XXE)', () => {
    const report = parseFeedReport(fixture('hostile-xxe.xml'));
    const all = JSON.stringify(report.feed);
    expect(all).not.toContain('root:');
    expect(report.feed.entries[0]?.guid).toBe('x');
  });

  it('rejects an HTML page as not-a-feed', () => {
    expect(kindOf(() => parseFeed(fixture('html-page.html')))).toBe('not-a-feed');
  });

  it('rejects an empty or blank body as empty', () => {
    expect(kindOf(() => parseFeed(Buffer.alloc(0)))).toBe('empty');
    expect(kindOf(() => parseFeed('  \n\t '))).toBe('empty');
  });

  it('rejects random bytes with a FeedfoldError', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(['not-a-feed', 'malformed']).toContain(kindOf(() => parseFeed(bytes)));
  });

  it('rejects a body over the size cap as too-large', () => {
    expect(kindOf(() => parseFeed('<rss>' + ' '.repeat(2048) + '</rss>', { maxBytes: 1024 }))).toBe('too-large');
  });

  it('keeps the whole items of a truncated document and drops the cut one', () => {
    const report = parseFeedReport(fixture('truncated-rss.xml'));
    expect(report.feed.entries.map((e) => e.guid)).toEqual(['1', '2']);
    expect(report.wellFormed).toBe(false);
  });

  it('parses 50,000 items but keeps the first 10,000 and says how many it dropped', () => {
    const items = Array.from({ length: 50_000 }, (_, i) => `<item><title>Item ${i}</title><guid>g${i}</guid></item>`).join('');
    const report = parseFeedReport(`<rss version="2.0"><channel><title>Big</title>${items}</channel></rss>`);
    expect(report.entriesTotal).toBe(50_000);
    expect(report.feed.entries).toHaveLength(10_000);
    expect(report.entriesDropped).toBe(40_000);
    expect(report.feed.entries[9_999]?.guid).toBe('g9999');
    const capped = parseFeedReport(`<rss version="2.0"><channel>${items}</channel></rss>`, { maxEntries: 5 });
    expect(capped.feed.entries.map((e) => e.guid)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4']);
  });

  it('only ever returns a RawFeed or throws a parse FeedfoldError (property)', () => {
    const xmlish = fc
      .array(fc.constantFrom('<rss>', '<channel>', '<item>', '</item>', '<title>', '</title>', '<feed xmlns="http://www.w3.org/2005/Atom">', '<entry>', '</entry>', '&amp;', '&nbsp;', '&#x0;', '&#99999999;', '<![CDATA[', ']]>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '<?xml version="1.0"?>', 'text', '<', '>', '"', '{', '}', '<link href="::bad"/>', '<pubDate>32 Foo 99</pubDate>'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    const input = fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)), fc.string({ maxLength: 512 }), xmlish);
    fc.assert(
      fc.property(input, (body) => {
        try {
          const feed = parseFeed(body);
          return Array.isArray(feed.entries) && ['rss', 'atom', 'rdf', 'json'].includes(feed.format);
        } catch (err) {
          return err instanceof FeedfoldError && err.stage === 'parse' && ['empty', 'not-a-feed', 'malformed', 'too-large'].includes(err.kind);
        }
      }),
      { numRuns: 400 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawFeed } from '../../src/model/raw-entry.js';
import type { SourceSpec } from '../../src/model/source.js';
import { isBareEmail, nameAfterEmail } from '../../src/normalize/author-email.js';
import { stripTrailingFurniture } from '../../src/normalize/boilerplate-lines.js';
import { cleanAuthor, deriveTitle, looksLikeHtml } from '../../src/normalize/entry-fields.js';
import { MAX_HTML_DEPTH } from '../../src/normalize/html-to-text.js';
import { normalizeFeed } from '../../src/normalize/normalize-feed.js';

/**
 * Normalizing in bounded time: each pattern rewritten as a linear scan is compared with the
 * backtracking pattern it replaces (kept here as the reference) on short generated strings, and
 * run on the input that made that pattern slow.
 */

const made = (pieces: string[], max = 12): fc.Arbitrary<string> => fc.array(fc.constantFrom(...pieces), { maxLength: max }).map((a) => a.join(''));

function sameAs<T>(pieces: string[], reference: (s: string) => T, actual: (s: string) => T, max = 12): void {
  fc.assert(
    fc.property(made(pieces, max), (s) => {
      expect(actual(s)).toEqual(reference(s));
    }),
    { numRuns: 4000 },
  );
}

const SOURCE: SourceSpec = { id: 'hostile', kind: 'feed-url', location: 'https://hostile.example/feed', rank: 0 };
const NOW = '2025-03-05T12:00:00.000Z';

describe('author e-mail', () => {
  it('finds the name of "email (Name)" where /^\\S+@\\S+\\s*\\((.+)\\)$/ did', () => {
    sameAs(['a', '@', '(', ')', ' ', '\n', '\u00a0', 'x'], (s) => /^\S+@\S+\s*\((.+)\)$/.exec(s)?.[1], nameAfterEmail, 14);
  });

  it('tells a bare address where /^\\S+@\\S+$/ did', () => {
    sameAs(['a', '@', ' ', '\t', 'x'], (s) => /^\S+@\S+$/.test(s), isBareEmail);
  });

  it('reads 64 KB of "@" as an author cut to 1,000 characters, and reads the usual forms', () => {
    expect(cleanAuthor('@'.repeat(65_536))).toBe(`${'@'.repeat(999)}…`);
    expect(cleanAuthor(`x${'@('.repeat(20_000)}`)).toBe(`x${'@('.repeat(20_000)}`.slice(0, 999) + '…');
    expect(cleanAuthor('desk@gazette.test (Maria Lindqvist)')).toBe('Maria Lindqvist');
    expect(cleanAuthor('noreply@gazette.test')).toBeUndefined();
  });
});

describe('markup or character reference in a title', () => {
  it('answers where /<[a-z/!][^>]*>|&(?:#\\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i did', () => {
    sameAs(['<', '>', 'a', 'B', '/', '!', '&', '#', '1', 'x', ';', ' '], (s) => /<[a-z/!][^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(s), looksLikeHtml);
  });

  it('reads a title of 40,000 unclosed tag openings as text', () => {
    expect(looksLikeHtml('<A'.repeat(40_000))).toBe(false);
    expect(looksLikeHtml(`${'<A'.repeat(40_000)}>`)).toBe(true);
  });
});

describe('trailing text of a line', () => {
  it('removes read-on links and caption credits where the patterns did', async () => {
    const previous = await import('./previous-boilerplate-lines.js');
    sameAs(['Read more', 'continue reading', 'x', 'Yes', '.', '!', '?', '…', '"', ' ', '  ', '\t', '>', '»', '(AP)', '(Photo: x)', '(', ')', 'Alec said.'], previous.stripTrailingFurniture, stripTrailingFurniture, 14);
  });

  it('reads a line of 80,000 arrows after a read-on link, and one of 80,000 tabs', () => {
    const arrows = `leer más>${'> '.repeat(40_000)}!`;
    expect(stripTrailingFurniture(arrows)).toBe(arrows);
    expect(stripTrailingFurniture(`The union said. Read more${' →'.repeat(40_000)}`)).toBe('The union said.');
    expect(stripTrailingFurniture(`${'\t'.repeat(80_000)}x`)).toBe(`${'\t'.repeat(80_000)}x`);
  });

  it('cuts a derived title without trailing punctuation, as before', () => {
    const title = deriveTitle(`${'word '.repeat(40)}`);
    expect(title.endsWith('word…')).toBe(true);
  });
});

describe('HTML nesting', () => {
  it('skips an item whose HTML nests past the limit, naming the limit, and keeps the others', () => {
    const feed: RawFeed = {
      format: 'rss',
      entries: [
        { guid: 'deep', title: 'Deep', content: `${'<div>'.repeat(100_000)}text`, contentType: 'html' },
        { guid: 'fine', title: 'Fine', content: `${'<div>'.repeat(MAX_HTML_DEPTH - 1)}The council approved the budget.`, contentType: 'html' },
      ],
    };
    const { articles, errors } = normalizeFeed(feed, SOURCE, NOW);
    expect(articles.map((a) => a.guid)).toEqual(['fine']);
    expect(errors.map((e) => ({ kind: e.kind, message: e.message }))).toEqual([
      { kind: 'too-deep', message: `normalize: hostile: item deep could not be read: HTML nested deeper than ${MAX_HTML_DEPTH} elements (nesting limit)` },
    ]);
  });
});

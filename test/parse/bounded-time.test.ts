import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedfoldError } from '../../src/model/errors.js';
import { findDoctype } from '../../src/parse/doctype.js';
import { parseOpml } from '../../src/parse/opml.js';
import { bodyOf, parseArticleFile } from '../../src/parse/parse-article-file.js';
import { parseFeedReport } from '../../src/parse/parse-feed.js';
import { unescapeEscapedHtml, withoutComments, withoutTags } from '../../src/parse/text-construct.js';
import { decodeXmlEntities } from '../../src/parse/xml-entities.js';
import { MAX_XML_DEPTH, parseXmlTree, type XElement } from '../../src/parse/xml-tree.js';
import { HOSTILE_FEEDS, rssWithItem } from '../helpers/hostile-feeds.js';

/**
 * Parsing in bounded time: the nesting limit, namespace scopes, and the patterns rewritten as
 * linear scans, each compared with the backtracking pattern it replaces (kept here as the
 * reference) on short generated strings, and read on the input that made that pattern slow.
 */

const hostile = (name: string): string => HOSTILE_FEEDS.find(([n]) => n === name)?.[1] as string;

/** Strings of up to `max` pieces drawn from `pieces`: short, but dense in the characters that matter. */
const made = (pieces: string[], max = 12): fc.Arbitrary<string> => fc.array(fc.constantFrom(...pieces), { maxLength: max }).map((a) => a.join(''));

function sameAs<T>(pieces: string[], reference: (s: string) => T, actual: (s: string) => T): void {
  fc.assert(
    fc.property(made(pieces), (s) => {
      expect(actual(s)).toEqual(reference(s));
    }),
    { numRuns: 3000 },
  );
}

function thrown(fn: () => unknown): FeedfoldError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FeedfoldError) return err;
    throw err;
  }
  throw new Error('expected a FeedfoldError');
}

describe('nesting limit', () => {
  it('refuses 100,000 nested elements with the limit named (the hostile 300 KB feed)', () => {
    const err = thrown(() => parseFeedReport(hostile('nested-100k'), { url: 'https://hostile.example/feed' }));
    expect(err.stage).toBe('parse');
    expect(err.kind).toBe('too-deep');
    expect(err.message).toBe(`parse: nesting deeper than ${MAX_XML_DEPTH} elements (https://hostile.example/feed); the feed was refused (nesting limit)`);
  });

  it('reads a document nested exactly to the limit, and refuses one level more', () => {
    const nested = (levels: number): string => `${'<x>'.repeat(levels)}deep${'</x>'.repeat(levels)}`;
    const tree = parseXmlTree(nested(MAX_XML_DEPTH));
    let el = tree.root as XElement;
    for (let i = 1; i < MAX_XML_DEPTH; i++) el = el.children[0] as XElement;
    expect(el.children).toEqual(['deep']);
    expect(thrown(() => parseXmlTree(nested(MAX_XML_DEPTH + 1))).kind).toBe('too-deep');
  });

  it('counts open elements, not elements seen: 100,000 siblings are fine', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `<x>${i}</x>`).join('');
    expect(parseXmlTree(`<r>${items}</r>`).root?.children).toHaveLength(100_000);
  });
});

describe('namespace scopes', () => {
  it('resolves a prefix to its innermost declaration, and to the outer one again after it closes', () => {
    const tree = parseXmlTree(
      '<rss xmlns:a="http://purl.org/dc/elements/1.1/"><item><a:creator>one</a:creator>' +
        '<wrap xmlns:a="http://purl.org/rss/1.0/modules/content/"><a:encoded>two</a:encoded></wrap>' +
        '<a:creator>three</a:creator></item></rss>',
    );
    const item = tree.root?.children[0] as XElement;
    const keys = item.children.map((c) => (c as XElement).key);
    expect(keys).toEqual(['dc:creator', 'wrap', 'dc:creator']);
    expect(((item.children[1] as XElement).children[0] as XElement).key).toBe('content:encoded');
  });

  it('reads the default namespace per scope, and an undeclared prefix as written', () => {
    const tree = parseXmlTree('<feed xmlns="http://www.w3.org/2005/Atom"><entry><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div><title>t</title><q:z>z</q:z></entry></feed>');
    const entry = tree.root?.children[0] as XElement;
    expect(tree.root?.key).toBe('atom:feed');
    expect(entry.children.map((c) => (c as XElement).key)).toEqual(['xhtml:div', 'atom:title', 'q:z']);
    expect(((entry.children[0] as XElement).children[0] as XElement).key).toBe('xhtml:p');
    expect(tree.problems).toContain('undeclared-namespace-prefix');
  });

  it('takes a prefix named like an Object property for what it is', () => {
    const tree = parseXmlTree('<r><constructor:x>1</constructor:x><__proto__:y>2</__proto__:y></r>');
    expect(tree.root?.children.map((c) => (c as XElement).key)).toEqual(['constructor:x', '__proto__:y']);
  });
});

describe('DOCTYPE', () => {
  const DOCTYPE_RE = /<!DOCTYPE(?:[^[>]*\[[\s\S]*?\]\s*>|[^>]*>)/i;

  it('finds what the backtracking pattern found', () => {
    sameAs(['<!DOCTYPE', '<!doctype', '<!DocType', '[', ']', '>', ' ', '\n', 'a', '<!ENTITY'], (s) => {
      const m = DOCTYPE_RE.exec(s);
      return m ? { start: m.index, end: m.index + m[0].length } : undefined;
    }, (s) => findDoctype(s));
  });

  it('gives up on a truncated run of `<!DOCTYPE [` (the hostile 330 KB feed) as a document with no root', () => {
    const doc = hostile('doctype-run');
    expect(findDoctype(doc)).toBeUndefined();
    expect(thrown(() => parseFeedReport(doc)).kind).toBe('malformed');
  });

  it('reads an OPML list behind a run of `<!DOCTYPE [`', () => {
    const list = parseOpml(`<?xml version="1.0"?>${'<!DOCTYPE ['.repeat(20_000)}<!DOCTYPE opml [<!ENTITY a "b">]><opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/feed"/></body></opml>`);
    expect(list.feeds.map((f) => f.url)).toEqual(['https://a.example/feed']);
  });
});

describe('RSS author', () => {
  const author = (value: string): string | undefined => parseFeedReport(rssWithItem({ author: value })).feed.entries[0]?.author;
  function reference(s: string): string | undefined {
    const emailFirst = /^\s*[^\s()<>]+@[^\s()<>]+\s*\((.+)\)\s*$/.exec(s);
    if (emailFirst?.[1]?.trim()) return emailFirst[1].trim();
    const nameFirst = /^\s*([^()<>@]+?)\s*[(<]\s*(?:mailto:)?[^\s()<>]+@[^\s()<>]+\s*[)>]\s*$/.exec(s);
    return nameFirst?.[1]?.trim() || s;
  }

  it('keeps the name of "email (Name)", "Name (email)" and "Name <email>" as the patterns did', () => {
    expect(author('desk@gazette.test (Maria Lindqvist)')).toBe('Maria Lindqvist');
    expect(author('Maria Lindqvist &lt;mailto:desk@gazette.test&gt;')).toBe('Maria Lindqvist');
    fc.assert(
      fc.property(made(['a', 'b', '@', '(', ')', '<', '>', ' ', '\t', 'mailto:', 'Jane Doe']).filter((s) => s.trim() !== '' && s === s.trim()), (s) => {
        expect(author(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'))).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads 64 KB of "@" as the author it is', () => {
    expect(parseFeedReport(hostile('email-64k')).feed.entries[0]?.author).toBe('@'.repeat(65_536));
  });
});

describe('markup in text', () => {
  it('strips comments and tags as the global patterns did', () => {
    sameAs(['<!--', '-->', '<', '!', '-', '>', 'a'], (s) => s.replace(/<!--[\s\S]*?-->/g, ''), withoutComments);
    sameAs(['<', '>', 'a', ' ', '/'], (s) => s.replace(/<[^>]*>/g, ''), withoutTags);
    expect(withoutTags(`${'<'.repeat(60_000)}x`)).toBe(`${'<'.repeat(60_000)}x`);
    expect(withoutComments(`${'<!--'.repeat(30_000)}x`)).toBe(`${'<!--'.repeat(30_000)}x`);
  });

  it('reads a title of 28,000 unclosed tag openings and unfinished references as text', () => {
    const title = parseFeedReport(hostile('title-markup')).feed.entries[0]?.title ?? '';
    expect(title.startsWith('<a &b <!x &#1 <a &b')).toBe(true);
    expect(title.length).toBeGreaterThan(90_000);
  });

  it('undoes double escaping exactly when the counting pattern did', () => {
    const ELEMENTS = 'p|div|span|a|b|i|em|strong|u|s|br|hr|img|ul|ol|li|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|figure|figcaption|picture|source|video|audio|iframe|section|article|header|footer|small|sup|sub|cite|q|abbr|time|dl|dt|dd|center|font';
    const TAG = new RegExp(`&lt;/?(?:${ELEMENTS})(?:\\s[^<>]*?)?/?&gt;`, 'gi');
    const LEADING = new RegExp(`^\\s*&lt;(?:${ELEMENTS})(?:\\s[^<>]*?)?/?&gt;`, 'i');
    const reference = (html: string): string => {
      if (/<\/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?\/?>/.test(html) || !LEADING.test(html)) return html;
      return (html.match(TAG)?.length ?? 0) < 2 ? html : decodeXmlEntities(html, { lenient: false });
    };
    sameAs(['&lt;', '&LT;', '&gt;', 'p', 's', 'section', 'h1', '/', ' ', '\t', '<', '>', 'x', '&lt;p&gt;', '&lt;s '], reference, unescapeEscapedHtml);
    const hostileHtml = `&lt;p&gt;${'&lt;s\tx'.repeat(30_000)}`;
    expect(unescapeEscapedHtml(hostileHtml)).toBe(hostileHtml);
  });
});

describe('article files', () => {
  it('finds the body and the dateline as the patterns did', () => {
    sameAs(['<body', '<BODY', '</body>', '>', '<', 'x', 'İ', '<p>t</p>'], (s) => /<body[^>]*>([\s\S]*?)(?:<\/body>|$)/i.exec(s)?.[1], bodyOf);
    expect(bodyOf('<body'.repeat(30_000))).toBeUndefined();
    const DATELINE = /^([A-Z][a-z]+\.? \d{1,2}, \d{4})(?:\s+(?:by|von|par)\s+.+)?$/;
    const dated = (line: string): string | undefined => parseArticleFile(`${line}\n\nThe council met on Tuesday and approved the budget.`, 'a.txt').publishedRaw;
    fc.assert(
      fc.property(made(['March 1, 2025', ' ', 'by', 'von', 'x', 'Linh', '\u00a0']).map((s) => s.trim()), (line) => {
        const m = DATELINE.exec(line);
        if (m?.[1]) expect(dated(line)).toBe(m[1]);
      }),
      { numRuns: 2000 },
    );
    expect(dated(`March 1, 2025 by${' '.repeat(60_000)}Linh`)).toBe('March 1, 2025');
  });
});

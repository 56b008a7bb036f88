import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/publish/render-atom.js';
import { applyRetention, sortStoriesNewestFirst } from '../../src/publish/story-order.js';
import type { StoryView } from '../../src/model/story.js';
import { hasTool, noTool, parseWithPythonFeedparser, readWithNewsboat, validateAtomWithJing } from '../helpers/external-tools.js';
import { HAS_CORPORA, NO_CORPORA } from '../helpers/paths.js';
import { META, NO_URL_STORY, SINGLE_STORY, STORIES, THREE_VERSION_STORY, makeArticle } from './story-fixtures.js';

const XML = renderAtom(META, STORIES);
const CANONICAL_TITLE = THREE_VERSION_STORY.canonical.title;

describe('renderAtom: document', () => {
  it('is deterministic: the same input renders byte-identical output', () => {
    const copy = structuredClone(STORIES);
    expect(renderAtom(META, copy)).toBe(XML);
  });

  it('keeps one entry per story, in the order given, with story ids as atom:id', () => {
    const feed = parseAtomFeed(XML);
    expect(feed.entries?.map((e) => e.id)).toEqual(STORIES.map((s) => s.id));
    const reversed = parseAtomFeed(renderAtom(META, [...STORIES].reverse()));
    expect(reversed.entries?.map((e) => e.id)).toEqual([...STORIES].reverse().map((s) => s.id));
  });

  it('writes feed metadata: id, title, subtitle, updated, self and alternate links, generator, author', () => {
    const feed = parseAtomFeed(XML);
    expect(feed.id).toBe(META.id);
    expect(feed.title?.value).toBe(META.title);
    expect(feed.subtitle?.value).toBe(META.subtitle);
    expect(feed.updated).toBe('2025-03-02T12:00:00Z');
    expect(feed.links).toContainEqual({ href: META.selfUrl, rel: 'self', type: 'application/atom+xml' });
    expect(feed.links).toContainEqual(expect.objectContaining({ href: META.homeUrl, rel: 'alternate' }));
    expect(feed.generator).toEqual({ text: 'feedfold', version: '0.1.0', uri: 'https://feedfold.example/' });
    expect(feed.authors?.[0]?.name).toBe('feedfold operator');
  });

  it('writes RFC 3339 dates in UTC without zero milliseconds', () => {
    const dates = [...XML.matchAll(/<(?:updated|published)>([^<]*)</g)].map((m) => m[1]);
    // The feed's updated; each entry's published and updated, and its atom:source's updated.
    expect(dates.length).toBe(1 + 3 * STORIES.length);
    for (const date of dates) expect(date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The fixture's updated carries ".000Z"; published and updated come from the story, not now.
    const entry = parseAtomFeed(XML).entries?.find((e) => e.id === THREE_VERSION_STORY.id);
    expect(entry?.updated).toBe('2025-03-01T10:00:00Z');
    expect(entry?.published).toBe('2025-03-01T08:00:00Z');
  });

  it('links the canonical, every other version with a URL as related (hreflang when the language differs), and the source as via', () => {
    const entry = parseAtomFeed(XML).entries?.find((e) => e.id === THREE_VERSION_STORY.id);
    const links = entry?.links ?? [];
    expect(links.filter((l) => l.rel === 'alternate').map((l) => l.href)).toEqual(['https://wire.example/rates?id=1&src=feed']);
    expect(links.filter((l) => l.rel === 'related')).toEqual([{ href: 'https://zeitung.example/zinsen-4-5', rel: 'related', hreflang: 'de', title: 'Die Zeitung' }]);
    expect(links.filter((l) => l.rel === 'via').map((l) => l.href)).toEqual(['https://wire.example/']);
  });

  it('omits hreflang when the other version shares the canonical language', () => {
    const sameLanguage: StoryView = {
      ...THREE_VERSION_STORY,
      others: [makeArticle({ id: 'x', title: 'Same language', url: 'https://x.example/a', sourceTitle: 'X News' })],
    };
    const entry = parseAtomFeed(renderAtom(META, [sameLanguage])).entries?.[0];
    expect(entry?.links?.find((l) => l.rel === 'related')).toEqual({ href: 'https://x.example/a', rel: 'related', title: 'X News' });
  });

  it('carries the canonical origin feed in atom:source with a stable id', () => {
    const entry = parseAtomFeed(XML).entries?.find((e) => e.id === THREE_VERSION_STORY.id);
    expect(entry?.source?.id).toBe('urn:feedfold:source:wire');
    expect(entry?.source?.title?.value).toBe('Wire Service');
    expect(entry?.source?.links).toContainEqual({ href: 'https://wire.example/feed.xml', rel: 'self' });
    const again = parseAtomFeed(renderAtom(META, [{ ...THREE_VERSION_STORY, canonical: { ...THREE_VERSION_STORY.canonical, sourceLocation: 'https://moved.example/feed' } }]));
    expect(again.entries?.[0]?.source?.id).toBe('urn:feedfold:source:wire');
  });

  it('lists every other version under "Also reported by", including the one without a URL', () => {
    const entry = parseAtomFeed(XML).entries?.find((e) => e.id === THREE_VERSION_STORY.id);
    const html = entry?.content?.value ?? '';
    expect(entry?.content?.type).toBe('html');
    expect(html).toContain('Also reported by');
    expect(html).toContain('<a href="https://zeitung.example/zinsen-4-5" hreflang="de">Notenbank erhöht Leitzins auf 4,5 %</a>');
    expect(html).toContain('<strong>Local &lt;Clippings&gt; &amp; Notes</strong>: Rates up again');
    const single = parseAtomFeed(XML).entries?.find((e) => e.id === SINGLE_STORY.id);
    expect(single?.content?.value).not.toContain('Also reported by');
  });

  it('never emits a script element or event handler, and keeps titles with quotes, ampersands and angle brackets intact', () => {
    expect(XML).not.toMatch(/<script/i);
    expect(XML).not.toMatch(/onclick/i);
    const entry = parseAtomFeed(XML).entries?.find((e) => e.id === THREE_VERSION_STORY.id);
    expect(entry?.title?.value).toBe(CANONICAL_TITLE);
    expect(entry?.content?.value).toContain('<p>Markets &amp; bonds rallied.</p>');
  });

  it('survives a CDATA terminator and control characters in the input', () => {
    const nasty: StoryView = {
      ...SINGLE_STORY,
      canonical: { ...SINGLE_STORY.canonical, title: 'Tricky ]]> title\u0007 & more', html: '<p>a ]]> b &amp; c</p>' },
    };
    const entry = parseAtomFeed(renderAtom(META, [nasty])).entries?.[0];
    expect(entry?.title?.value).toBe('Tricky ]]> title & more');
    expect(entry?.content?.value).toContain('<p>a ]]&gt; b &amp; c</p>');
  });

  it('gives every entry an author: the canonical author, else the outlet', () => {
    const entries = parseAtomFeed(XML).entries ?? [];
    const names = Object.fromEntries(entries.map((e) => [e.id, e.authors?.[0]?.name]));
    expect(names[THREE_VERSION_STORY.id]).toBe('Ann Writer');
    expect(names[SINGLE_STORY.id]).toBe('A Blog');
    expect(names[NO_URL_STORY.id]).toBe('Seeds');
  });

  it('writes no alternate or via link for a canonical without URLs, and uses its text as content', () => {
    const entry = parseAtomFeed(XML).entries?.find((e) => e.id === NO_URL_STORY.id);
    expect(entry?.links ?? []).toEqual([]);
    expect(entry?.content?.value).toBe('<p>Plain text only, from a file.</p>');
  });

  it('keeps required elements when titles and names clean up to nothing', () => {
    const blank: StoryView = { ...SINGLE_STORY, canonical: { ...SINGLE_STORY.canonical, title: ' \u0001 ', author: undefined, sourceTitle: '', sourceId: '' } };
    const feed = parseAtomFeed(renderAtom({ ...META, title: '\u0002' }, [blank]));
    expect(feed.title?.value).toBe('(untitled)');
    expect(feed.entries?.[0]?.title?.value).toBe('(untitled)');
    expect(feed.entries?.[0]?.authors?.[0]?.name).toBe('unknown source');
  });

  it('rejects an invalid feed date with a publish FeedfoldError', () => {
    expect(() => renderAtom({ ...META, updated: 'yesterday' }, [])).toThrow(/^publish: /);
  });
});

describe.skipIf(!HAS_CORPORA || !hasTool('jing'))(`renderAtom: RELAX NG (atom.rnc via jing) ${!HAS_CORPORA ? NO_CORPORA : !hasTool('jing') ? noTool('jing') : ''}`, () => {
  it('validates the fixture feed', async () => {
    expect(await validateAtomWithJing(XML)).toEqual({ valid: true, errors: [] });
  });

  it('validates an empty feed', async () => {
    expect((await validateAtomWithJing(renderAtom(META, []))).valid).toBe(true);
  });

  it('reports an invalid document (the check can fail)', async () => {
    const broken = XML.replace(/<id>tag:feedfold.example,2025:merged<\/id>/, '');
    const result = await validateAtomWithJing(broken);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/id/);
  });
});

describe.skipIf(!hasTool('python3-feedparser'))(`renderAtom: python3-feedparser ${hasTool('python3-feedparser') ? '' : noTool('python3-feedparser')}`, () => {
  it('parses without bozo and sees the entries, ids, links and content', async () => {
    const parsed = await parseWithPythonFeedparser(XML);
    expect(parsed.bozo).toBe(false);
    expect(parsed.version).toBe('atom10');
    expect(parsed.entries.map((e) => e.id)).toEqual(STORIES.map((s) => s.id));
    const story = parsed.entries[1];
    expect(story?.title).toBe(CANONICAL_TITLE);
    expect(story?.link).toBe('https://wire.example/rates?id=1&src=feed');
    expect(story?.links?.find((l) => l.rel === 'related')).toMatchObject({ href: 'https://zeitung.example/zinsen-4-5', hreflang: 'de', title: 'Die Zeitung' });
    expect(story?.content?.[0]?.value).toContain('Also reported by');
    expect(story?.content?.[0]?.value).not.toMatch(/<script/i);
    expect(story?.source).toMatchObject({ id: 'urn:feedfold:source:wire', title: 'Wire Service' });
    expect(story?.tags?.map((t) => t.term)).toEqual(['Economy', 'Banks & Rates']);
  });
});

describe.skipIf(!hasTool('newsboat'))(`renderAtom: newsboat ${hasTool('newsboat') ? '' : noTool('newsboat')}`, () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
      res.end(XML);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.atom`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reloads the feed and stores one item per story', async () => {
    const result = await readWithNewsboat(url);
    expect(result.code).toBe(0);
    expect(result.unread).toBe(STORIES.length);
    expect(result.feedTitle).toBe(META.title);
    expect(result.items.map((i) => i.title).sort()).toEqual(STORIES.map((s) => s.canonical.title).sort());
    expect(result.items.find((i) => i.guid === THREE_VERSION_STORY.id)?.url).toBe('https://wire.example/rates?id=1&src=feed');
  });
});

describe('sortStoriesNewestFirst and applyRetention', () => {
  const at = (id: string, updated: string): StoryView => ({ ...SINGLE_STORY, id, updated, published: updated });

  it('sorts by updated, newest first, ties broken by id', () => {
    const stories = [at('b', '2025-03-01T00:00:00Z'), at('c', '2025-03-03T00:00:00Z'), at('a', '2025-03-01T00:00:00Z')];
    expect(sortStoriesNewestFirst(stories).map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expect(stories.map((s) => s.id)).toEqual(['b', 'c', 'a']);
  });

  it('keeps at most maxEntries stories no older than maxAgeDays', () => {
    const stories = [at('old', '2025-01-01T00:00:00Z'), at('d1', '2025-03-09T00:00:00Z'), at('d2', '2025-03-08T00:00:00Z'), at('d3', '2025-03-07T00:00:00Z')];
    expect(applyRetention(stories, { maxEntries: 10, maxAgeDays: 30 }, '2025-03-10T00:00:00Z').map((s) => s.id)).toEqual(['d1', 'd2', 'd3']);
    expect(applyRetention(stories, { maxEntries: 2, maxAgeDays: 365 }, '2025-03-10T00:00:00Z').map((s) => s.id)).toEqual(['d1', 'd2']);
    expect(applyRetention(stories, { maxEntries: 10, maxAgeDays: 2 }, '2025-03-10T00:00:00Z').map((s) => s.id)).toEqual(['d1', 'd2']);
  });

  it('rejects an invalid now', () => {
    expect(() => applyRetention([], { maxEntries: 1, maxAgeDays: 1 }, 'not a date')).toThrow(/^publish: /);
  });
});

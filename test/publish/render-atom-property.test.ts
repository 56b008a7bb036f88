import fc from 'fast-check';
import { parseAtomFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import type { StoryView } from '../../src/model/story.js';
import { renderAtom } from '../../src/publish/render-atom.js';
import { hasTool, noTool, parseWithPythonFeedparser, validateAtomWithJing } from '../helpers/external-tools.js';
import { HAS_CORPORA, NO_CORPORA } from '../helpers/paths.js';
import { META, THREE_VERSION_STORY, makeArticle } from './story-fixtures.js';

// Hostile text: markup, entities, CDATA terminators, quotes, control characters, astral and lone surrogates.
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(']]>', '<![CDATA[x]]>', '&amp;', '&nbsp;', '"\'<>&', '\u0000\u0008\u000b', '\uD800', '😀 é ß', '<script>alert(1)</script>'),
  fc.array(fc.constantFrom('a', ' ', ']]>', '<', '&', '"', '\n', 'ü', '\u0001'), { maxLength: 20 }).map((parts) => parts.join('')),
);

const storyArb = fc.record({ n: fc.nat(), title: hostile, outlet: hostile, html: hostile, other: hostile }).map(({ n, title, outlet, html, other }): StoryView => ({
  ...THREE_VERSION_STORY,
  id: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  canonical: { ...THREE_VERSION_STORY.canonical, title: `T ${title}`, sourceTitle: `S ${outlet}`, html: `<p>${html}</p>`, author: outlet },
  others: [makeArticle({ id: 'o', title: `O ${other}`, sourceTitle: `S ${outlet}`, url: 'https://o.example/?a=1&b=2', language: 'fr' })],
}));

/** What a title becomes in the feed: XML-illegal characters dropped, whitespace collapsed. */
function expectedTitle(title: string): string {
  return title.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').replace(/\s+/g, ' ').trim();
}

/** What a reader shows of a text construct: a type="html" value (text that reads as markup) is unescaped once. */
function shown(value: string | undefined, type: string | undefined): string | undefined {
  if (value === undefined || !/html/.test(type ?? '')) return value;
  return value.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e] as string);
}

describe('renderAtom with hostile text (fast-check)', () => {
  it('keeps titles intact and never lets markup or a CDATA terminator escape its element', () => {
    fc.assert(
      fc.property(storyArb, (story) => {
        const xml = renderAtom(META, [story]);
        const entries = parseAtomFeed(xml).entries ?? [];
        expect(entries.length).toBe(1);
        // Script text in a title or name is text (escaped); in the HTML content it must not be markup.
        expect(entries[0]?.content?.value).not.toMatch(/<script/i);
        // An author that cleans up to nothing falls back to the outlet.
        expect(entries[0]?.authors?.[0]?.name).toBe(expectedTitle(story.canonical.author ?? '') || expectedTitle(story.canonical.sourceTitle));
        expect(entries[0]?.id).toBe(story.id);
        expect(shown(entries[0]?.title?.value, entries[0]?.title?.type)).toBe(expectedTitle(story.canonical.title));
      }),
      { numRuns: 150, seed: 4287 },
    );
  });

  const batch = fc.sample(storyArb, { numRuns: 40, seed: 9110 }).map((s, i) => ({ ...s, id: `${s.id}-${i}` }));
  const batchXml = renderAtom(META, batch);

  it.skipIf(!hasTool('python3-feedparser'))(`parses strictly in python3-feedparser (expat) ${hasTool('python3-feedparser') ? '' : noTool('python3-feedparser')}`, async () => {
    const parsed = await parseWithPythonFeedparser(batchXml);
    expect(parsed.bozo_exception).toBeNull();
    expect(parsed.entries.map((e) => e.id)).toEqual(batch.map((s) => s.id));
    const detail = (e: (typeof parsed.entries)[number]) => e['title_detail'] as { type?: string } | undefined;
    expect(parsed.entries.map((e) => shown(e.title, detail(e)?.type))).toEqual(batch.map((s) => expectedTitle(s.canonical.title)));
  });

  it.skipIf(!HAS_CORPORA || !hasTool('jing'))(`stays valid against atom.rnc ${!HAS_CORPORA ? NO_CORPORA : hasTool('jing') ? '' : noTool('jing')}`, async () => {
    expect(await validateAtomWithJing(batchXml)).toEqual({ valid: true, errors: [] });
  });
});

import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/publish/render-report.js';
import type { StoryView } from '../../src/model/story.js';
import { META, NO_URL_STORY, RUNS, SINGLE_STORY, STORIES, THREE_VERSION_STORY } from './story-fixtures.js';

type Node = { type: string; name?: string; attribs?: Record<string, string>; children?: Node[]; data?: string };

function all(node: Node, test: (n: Node) => boolean, out: Node[] = []): Node[] {
  if (test(node)) out.push(node);
  for (const child of node.children ?? []) all(child, test, out);
  return out;
}

function text(node: Node): string {
  if (node.type === 'text') return node.data ?? '';
  return (node.children ?? []).map(text).join('');
}

const hasClass = (n: Node, cls: string): boolean => (n.attribs?.class ?? '').split(/\s+/).includes(cls);

// Shuffled on purpose: the report orders stories itself.
const HTML = renderReport(META, [NO_URL_STORY, THREE_VERSION_STORY, SINGLE_STORY], RUNS, { generatedAt: '2025-03-02T12:00:05Z' });
const DOC = parseDocument(HTML) as unknown as Node;
const STORY_NODES = all(DOC, (n) => n.name === 'article' && hasClass(n, 'story'));

describe('renderReport', () => {
  it('is deterministic', () => {
    expect(renderReport(META, [NO_URL_STORY, THREE_VERSION_STORY, SINGLE_STORY], RUNS, { generatedAt: '2025-03-02T12:00:05Z' })).toBe(HTML);
  });

  it('lists the stories newest first', () => {
    expect(STORY_NODES.map((n) => n.attribs?.['data-story-id'])).toEqual(STORIES.map((s) => s.id));
  });

  it('shows the latest runs with their counts, newest first', () => {
    const rows = all(DOC, (n) => n.name === 'tr').slice(1).map((r) => all(r, (n) => n.name === 'td').map(text));
    expect(rows.length).toBe(2);
    expect(rows[0]?.[0]).toContain('#2');
    expect(rows[0]?.slice(1)).toEqual(['3', '1', '0', '4', '1', '1', 'yes', '1.8']);
    expect(rows[1]?.[0]).toContain('#1');
  });

  it('shows a version\'s own publication and update dates, the ones its entry is dated by', () => {
    const dated: StoryView = { ...SINGLE_STORY, canonical: { ...SINGLE_STORY.canonical, published: '2016-05-01T10:00:00.000Z', updated: '2016-05-02T07:15:00.000Z' } };
    const doc = parseDocument(renderReport(META, [dated], RUNS, { generatedAt: '2025-03-02T12:00:05Z' })) as unknown as Node;
    const version = all(doc, (n) => n.name === 'li' && hasClass(n, 'version'))[0] as Node;
    const terms = all(version, (n) => n.name === 'dt').map(text);
    expect(terms).toEqual(expect.arrayContaining(['published', 'updated', 'first seen']));
    expect(all(version, (n) => n.name === 'time').map((t) => t.attribs?.datetime)).toEqual(expect.arrayContaining(['2016-05-01T10:00:00Z', '2016-05-02T07:15:00Z']));
  });

  it('shows every version of a story, the canonical marked, with outlet, title, link, language and first seen', () => {
    const story = STORY_NODES.find((n) => n.attribs?.['data-story-id'] === THREE_VERSION_STORY.id);
    expect(story).toBeDefined();
    const versions = all(story as Node, (n) => n.name === 'li' && hasClass(n, 'version'));
    expect(versions.map((v) => v.attribs?.['data-article-id'])).toEqual(['wire:rates', 'zeitung:zinsen', 'local:rates.txt']);
    expect(versions.map((v) => hasClass(v, 'canonical'))).toEqual([true, false, false]);
    expect(text(versions[0] as Node)).toContain('canonical');
    const german = text(versions[1] as Node);
    expect(german).toContain('Die Zeitung');
    expect(german).toContain('Notenbank erhöht Leitzins auf 4,5 %');
    expect(german).toContain('de');
    expect(german).toContain('2025-03-01 09:30 UTC');
    expect(all(versions[1] as Node, (n) => n.name === 'time').map((t) => t.attribs?.datetime)).toContain('2025-03-01T09:30:00Z');
    const links = all(versions[1] as Node, (n) => n.name === 'a').map((a) => a.attribs?.href);
    expect(links).toEqual(['https://zeitung.example/zinsen-4-5']);
    expect(all(versions[2] as Node, (n) => n.name === 'a')).toEqual([]);
    expect(text(story as Node)).toContain('earliest first-seen among full-text versions');
  });

  it('shows the decision and evidence that joined each version', () => {
    const story = STORY_NODES.find((n) => n.attribs?.['data-story-id'] === THREE_VERSION_STORY.id) as Node;
    const german = all(story, (n) => n.attribs?.['data-article-id'] === 'zeitung:zinsen')[0] as Node;
    const terms = all(german, (n) => n.name === 'dt').map(text);
    const values = all(german, (n) => n.name === 'dd').map(text);
    const pairs = Object.fromEntries(terms.map((term, i) => [term, values[i]]));
    expect(pairs.decision).toBe('joined, score 0.710');
    expect(pairs.resemblance).toBe('0.120');
    expect(pairs.containment).toBe('0.200');
    expect(pairs['title similarity']).toBe('0.310');
    expect(pairs['shared entities']).toBe('Notenbank, Leitzins');
    expect(pairs['shared numbers']).toBe('4.5');
    expect(pairs['conflicting numbers']).toBe('<7>');
    expect(pairs['runner-up']).toBe('urn:uuid:other (0.220)');
    const clipping = all(story, (n) => n.attribs?.['data-article-id'] === 'local:rates.txt')[0] as Node;
    expect(text(clipping)).toContain('exact-duplicate, score 1.000');
    expect(text(clipping)).toContain('content-hash');
  });

  it('escapes everything taken from articles and is self-contained (no script, no external resources)', () => {
    expect(HTML).toContain('&quot;Fish &amp; Chips&quot; &lt;index&gt; jumps');
    expect(HTML).toContain('Local &lt;Clippings&gt; &amp; Notes');
    expect(HTML).toContain('&lt;7&gt;');
    expect(HTML).not.toMatch(/<script/i);
    expect(HTML).not.toMatch(/<(img|iframe|link[^>]+stylesheet)|@import|url\(/i);
    const hostile: StoryView = { ...SINGLE_STORY, canonical: { ...SINGLE_STORY.canonical, title: '</h2><script>alert(1)</script>', url: 'javascript:alert(1)' } };
    const html = renderReport(META, [hostile], []);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('No runs recorded yet.');
  });

  it('renders an empty report', () => {
    const html = renderReport(META, [], []);
    expect(html).toContain('No stories yet.');
    expect(html).toContain('0 stories, 0 versions');
  });
});

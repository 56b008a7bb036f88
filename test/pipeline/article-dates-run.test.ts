import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLoopback, type Loopback } from '../fetch/loopback-server.js';
import { hasTool, noTool, validateAtomWithJing } from '../helpers/external-tools.js';
import { HAS_CORPORA, NO_CORPORA } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import { getArticle, members, storyOf } from '../../src/store/lookups.js';

/**
 * Dates from the articles (issue 9, DESIGN.md "Atom output contract"): a real pipeline run over
 * RSS served from a loopback server whose items carry their own dates; entries are dated, ordered
 * and retained by those dates, edits follow, future dates are clamped where items enter, and the
 * feed gives none of the W3C validator warnings about dates, atom:source or text constructs.
 */

interface Item {
  guid: string;
  title: string;
  /** RFC 822 date, or none. */
  date?: string;
  /** Description as the feed carries it (escaped HTML). */
  description: string;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(title: string, items: Item[]): string {
  const body = items
    .map((i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${escapeXml(i.title)}</title><link>http://${title}.test/${i.guid}</link>${i.date ? `<pubDate>${i.date}</pubDate>` : ''}<description>${escapeXml(i.description)}</description></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>http://${title}.test/</link><description>d</description>\n${body}\n</channel></rss>\n`;
}

// Four different stories (no two share a topic), each with its own date.
const HARBOR: Item = { guid: 'h1', title: 'Harbor ferry suspended after engine fire', date: 'Mon, 03 Mar 2025 09:15:00 +0000', description: '<p>The morning ferry across the harbor was suspended after a small engine fire; no passengers were hurt and inspectors boarded the vessel at noon.</p>' };
const ORCHARD: Item = { guid: 'o1', title: 'Orchard growers expect a record apple harvest', date: 'Sun, 02 Mar 2025 16:40:00 +0000', description: '<p>Growers in the valley expect the largest apple harvest in a decade after a mild spring and a wet summer filled the reservoirs.</p>' };
const CHESS: Item = { guid: 'c1', title: 'Library chess club wins the regional final', date: 'Tue, 04 Mar 2025 20:05:00 +0000', description: '<p>The library chess club beat six schools to take the regional final; its youngest player is nine and won every game.</p>' };
// Its text holds characters that read as markup (`</div>`, `&amp;`): plain text, not HTML.
const MARKUP: Item = { guid: 'm1', title: 'Web workshop teaches closing tags', date: 'Wed, 05 Mar 2025 07:30:00 +0000', description: '<p>Students learned why every &lt;div&gt; needs its &lt;/div&gt; and why &amp;amp; shows up when text is escaped twice in the town hall workshop.</p>' };

const NOW = '2025-03-05T12:00:00.000Z';

function entriesOf(feedFile: string) {
  return parseAtomFeed(readFileSync(feedFile, 'utf8')).entries ?? [];
}

interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function logOf(project: TempProject): LogRecord[] {
  return readFileSync(path.join(project.outDir, 'feedfold.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LogRecord);
}

// What the W3C feed validator reads as markup in a type="text" construct (its ContainsHTML check).
const READS_AS_MARKUP = /<\/\w+>|&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i;

describe('a run over feeds whose items carry their own dates', () => {
  let server: Loopback;
  const feeds = new Map<string, string>();
  let project: TempProject;

  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      const body = feeds.get(req.url ?? '');
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
    });
  });
  afterAll(() => server.close());
  afterEach(() => {
    feeds.clear();
    project?.cleanup();
  });

  function configure(extra: Record<string, unknown> = {}): void {
    project = tempProject();
    project.writeConfig({
      sources: [
        { id: 'gazette', url: server.url('/gazette.xml'), title: 'Harbor Gazette' },
        { id: 'valley', url: server.url('/valley.xml'), title: 'Valley News' },
      ],
      log: { level: 'debug' },
      ...extra,
    });
  }

  it('publishes entries whose published are the items\' dates, newest first, with distinct updated, dated atom:source and plain text constructs', async () => {
    feeds.set('/gazette.xml', rss('gazette', [HARBOR, CHESS]));
    feeds.set('/valley.xml', rss('valley', [ORCHARD, MARKUP]));
    configure();
    const summary = await runPipeline(project.configFile, NOW);
    expect(summary.articlesNew).toBe(4);

    const entries = entriesOf(project.feedFile);
    const byTitle = new Map(entries.map((e) => [String(e.title?.value), e]));
    expect(byTitle.get(HARBOR.title)?.published).toBe('2025-03-03T09:15:00Z');
    expect(byTitle.get(ORCHARD.title)?.published).toBe('2025-03-02T16:40:00Z');
    expect(byTitle.get(CHESS.title)?.published).toBe('2025-03-04T20:05:00Z');
    expect(byTitle.get(MARKUP.title)?.published).toBe('2025-03-05T07:30:00Z');
    // Newest first, and never dated by the run.
    expect(entries.map((e) => e.title?.value)).toEqual([MARKUP.title, CHESS.title, HARBOR.title, ORCHARD.title]);
    const updated = entries.map((e) => String(e.updated));
    expect(new Set(updated).size).toBe(entries.length);
    expect(updated).not.toContain('2025-03-05T12:00:00Z');

    for (const e of entries) {
      // RFC 4287 §4.2.11: the validator wants atom:source's id, title and updated.
      expect(e.source?.id).toBeTruthy();
      expect(e.source?.title).toBeTruthy();
      expect(e.source?.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (const construct of [e.title, e.summary, e.source?.title]) {
        if (construct === undefined || typeof construct === 'string') continue;
        if (construct.type === 'text') expect(construct.value ?? '').not.toMatch(READS_AS_MARKUP);
      }
    }
    // Each source's newest item dates its atom:source.
    expect(byTitle.get(HARBOR.title)?.source?.updated).toBe('2025-03-04T20:05:00Z');
    expect(byTitle.get(ORCHARD.title)?.source?.updated).toBe('2025-03-05T07:30:00Z');
    // The workshop's summary reads as markup, so it is html: escaped, the same text once unescaped.
    const summary4 = byTitle.get(MARKUP.title)?.summary;
    expect(summary4?.type).toBe('html');
    expect(summary4?.value).toContain('&lt;/div&gt;');

    // The feed's updated is its newest entry's.
    expect(parseAtomFeed(readFileSync(project.feedFile, 'utf8')).updated).toBe('2025-03-05T07:30:00Z');
  });

  it.skipIf(!HAS_CORPORA || !hasTool('jing'))(`stays valid against atom.rnc with dated sources and html summaries ${!HAS_CORPORA ? NO_CORPORA : hasTool('jing') ? '' : noTool('jing')}`, async () => {
    feeds.set('/gazette.xml', rss('gazette', [HARBOR, CHESS]));
    feeds.set('/valley.xml', rss('valley', [ORCHARD, MARKUP]));
    configure();
    await runPipeline(project.configFile, NOW);
    expect(await validateAtomWithJing(readFileSync(project.feedFile, 'utf8'))).toEqual({ valid: true, errors: [] });
  });

  it('clamps an item dated in the future to the run where it enters, logs it, and keeps that date on later runs', async () => {
    const future: Item = { ...CHESS, date: 'Fri, 01 Jan 2027 00:00:00 +0000' };
    feeds.set('/gazette.xml', rss('gazette', [HARBOR, future]));
    feeds.set('/valley.xml', rss('valley', [ORCHARD]));
    configure();
    await runPipeline(project.configFile, NOW);
    const entry = entriesOf(project.feedFile).find((e) => e.title?.value === CHESS.title);
    expect(entry?.published).toBe('2025-03-05T12:00:00Z');
    expect(entry?.updated).toBe('2025-03-05T12:00:00Z');
    // Not at the top for a year: it sorts at the run's time, with the other entries.
    expect(entriesOf(project.feedFile)[0]?.title?.value).toBe(CHESS.title);
    const clamps = logOf(project).filter((r) => r.msg === 'future date clamped');
    expect(clamps).toHaveLength(1);
    expect(clamps[0]).toMatchObject({ source: 'gazette', field: 'published', clamped: NOW });
    expect(String(clamps[0]?.given)).toMatch(/^2027-01-01/);

    const first = readFileSync(project.feedFile);
    const later = await runPipeline(project.configFile, '2025-03-05T18:00:00.000Z');
    expect(later.feedChanged).toBe(false);
    expect(readFileSync(project.feedFile).equals(first)).toBe(true);
  });

  it('follows an item re-sent with a new title: same entry id, new title, updated moves, edit logged; an unchanged re-send changes nothing', async () => {
    feeds.set('/gazette.xml', rss('gazette', [HARBOR, CHESS]));
    feeds.set('/valley.xml', rss('valley', [ORCHARD]));
    configure();
    await runPipeline(project.configFile, NOW);
    const before = entriesOf(project.feedFile).find((e) => e.title?.value === HARBOR.title)!;
    expect(before).toBeDefined();

    // The source corrects its headline and text; the item keeps its GUID and its pubDate.
    const edited: Item = { ...HARBOR, title: 'Harbor ferry suspended after engine fire; service back Friday', description: `${HARBOR.description}<p>Service resumes on Friday.</p>` };
    feeds.set('/gazette.xml', rss('gazette', [edited, CHESS]));
    const second = await runPipeline(project.configFile, '2025-03-05T18:00:00.000Z');
    expect(second.articlesNew).toBe(0);
    const entries = entriesOf(project.feedFile);
    expect(entries).toHaveLength(3);
    const after = entries.find((e) => e.id === before.id)!;
    expect(after.title?.value).toBe(edited.title);
    expect(String(after.content?.value)).toContain('Service resumes on Friday.');
    expect(after.published).toBe(before.published);
    // The source gave the edit no date of its own, so the run that saw it dates it.
    expect(after.updated).toBe('2025-03-05T18:00:00Z');
    expect(Date.parse(String(after.updated))).toBeGreaterThan(Date.parse(String(before.updated)));
    expect(entries[0]?.id).toBe(before.id);

    const edits = logOf(project).filter((r) => r.msg === 'article edited');
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({ level: 30, story: before.id, oldTitle: HARBOR.title, newTitle: edited.title });
    const store = await openStore(project.configFile);
    try {
      const id = (edits[0]?.article as { id: string }).id;
      expect((await getArticle(store, id))?.title).toBe(edited.title);
      expect((await storyOf(store, id))).toBe(before.id);
      expect((await members(store, before.id!))).toHaveLength(1);
    } finally {
      await store.close();
    }

    // The same edited item again: nothing changes, not a byte of the feed.
    const bytes = readFileSync(project.feedFile);
    const third = await runPipeline(project.configFile, '2025-03-06T09:00:00.000Z');
    expect(third.feedChanged).toBe(false);
    expect(third.storiesUpdated).toBe(0);
    expect(readFileSync(project.feedFile).equals(bytes)).toBe(true);
    expect(logOf(project).filter((r) => r.msg === 'article edited')).toHaveLength(1);
  });

  it('stores but does not publish items older than the retention age on a source\'s first fetch, and never announces them later', async () => {
    const old: Item = { guid: 'old1', title: 'Council approves the 2016 budget', date: 'Thu, 14 Jan 2016 10:00:00 +0000', description: '<p>The council approved the budget for 2016 after a long night session about road repairs.</p>' };
    feeds.set('/gazette.xml', rss('gazette', [HARBOR, old]));
    feeds.set('/valley.xml', rss('valley', [ORCHARD]));
    configure({ feed: { selfUrl: 'http://127.0.0.1:8080/feed.atom', maxAgeDays: 30 } });
    const first = await runPipeline(project.configFile, NOW);
    expect(first.articlesNew).toBe(3);
    const titles = () => entriesOf(project.feedFile).map((e) => e.title?.value);
    expect(titles()).toEqual([HARBOR.title, ORCHARD.title]);
    const store = await openStore(project.configFile);
    try {
      const stored = (await store.articles.findArticlesByUrl('http://gazette.test/old1'));
      expect(stored).toHaveLength(1);
      expect(stored[0]?.published).toBe('2016-01-14T10:00:00.000Z');
      expect((await storyOf(store, stored[0]!.id))).toBeUndefined();
    } finally {
      await store.close();
    }
    expect(logOf(project).filter((r) => r.msg === 'old item stored, not published')).toHaveLength(1);

    const second = await runPipeline(project.configFile, '2025-03-05T18:00:00.000Z');
    expect(second.articlesNew).toBe(0);
    expect(titles()).toEqual([HARBOR.title, ORCHARD.title]);
  });

  it('retains entries by their articles\' dates: a story older than maxAgeDays leaves the feed', async () => {
    feeds.set('/gazette.xml', rss('gazette', [HARBOR]));
    feeds.set('/valley.xml', rss('valley', [ORCHARD]));
    configure({ feed: { selfUrl: 'http://127.0.0.1:8080/feed.atom', maxAgeDays: 3 } });
    await runPipeline(project.configFile, NOW);
    expect(entriesOf(project.feedFile).map((e) => e.title?.value)).toEqual([HARBOR.title, ORCHARD.title]);
    // 2025-03-05T17:00 is more than three days after the orchard item (2025-03-02T16:40).
    await runPipeline(project.configFile, '2025-03-05T17:00:00.000Z');
    expect(entriesOf(project.feedFile).map((e) => e.title?.value)).toEqual([HARBOR.title]);
  });
});

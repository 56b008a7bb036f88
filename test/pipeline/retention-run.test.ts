import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogRecords } from '../helpers/log-records.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import type { Store } from '../../src/store/store.js';

/**
 * Retention of state (issue 15): real runs over a local RSS file and a folder of article files,
 * `now` jumping days ahead. Old stories go with their articles, decisions and pages; the published
 * feed, a story an override names and a story still in the feed keep theirs; an item pruned while
 * its source still lists it (unchanged or edited) is not published again; old runs and tombstones go.
 */

interface Item {
  guid: string;
  title: string;
  date: string;
  text: string;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const rss = (items: Item[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Wire</title><link>http://wire.test/</link><description>d</description>\n${items
    .map((i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${escapeXml(i.title)}</title><link>http://wire.test/${i.guid}</link><pubDate>${i.date}</pubDate><description>${escapeXml(`<p>${i.text}</p>`)}</description></item>`)
    .join('\n')}\n</channel></rss>\n`;

// Stories with no topic in common, each dated.
const HARBOR: Item = { guid: 'h1', title: 'Harbor ferry suspended after engine fire', date: 'Sat, 01 Mar 2025 09:00:00 +0000', text: 'The morning ferry across the harbor was suspended after a small engine fire; no passengers were hurt and inspectors boarded the vessel at noon.' };
const ORCHARD: Item = { guid: 'o1', title: 'Orchard growers expect a record apple harvest', date: 'Sat, 01 Mar 2025 10:00:00 +0000', text: 'Growers in the valley expect the largest apple harvest in a decade after a mild spring and a wet summer filled the reservoirs.' };
const CHESS: Item = { guid: 'c1', title: 'Library chess club wins the regional final', date: 'Sun, 02 Mar 2025 09:00:00 +0000', text: 'The library chess club beat six schools to take the regional final; its youngest player is nine and won every game.' };
const ELECTION: Item = { guid: 'd1', title: 'Town council election draws record turnout', date: 'Tue, 11 Mar 2025 09:00:00 +0000', text: 'Polling stations stayed open late as voters queued around the block to choose seven councillors in the closest race for years.' };
const edited = (i: Item, note: string): Item => ({ ...i, text: `${i.text} ${note}` });
const MUSEUM = 'date 2025-03-01\nMuseum reopens its dinosaur hall after repairs\n\nThe natural history museum reopened its dinosaur hall after two years of roof repairs, with a new skeleton cast in the entrance.\n';

const day = (n: number): string => new Date(Date.parse('2025-03-01T12:00:00.000Z') + n * 86_400_000).toISOString();

describe('retention: state older than the window and the feed is pruned after each run', () => {
  let project: TempProject;
  let feedsDir: string;
  let notesDir: string;
  const config = (retention: Record<string, unknown> = {}): Record<string, unknown> => ({
    feed: { maxAgeDays: 5, maxEntries: 10 },
    cluster: { windowHours: 24 },
    retention: { runsDays: 5, tombstoneDays: 3, ...retention },
    sources: [
      { id: 'wire', file: 'feeds/wire.xml' },
      { id: 'notes', dir: 'notes' },
    ],
  });
  const writeWire = (items: Item[]): void => writeFileSync(path.join(feedsDir, 'wire.xml'), rss(items));
  const feedBytes = (p: TempProject = project): Buffer => readFileSync(p.feedFile);
  const entryTitles = (p: TempProject = project): string[] => (parseAtomFeed(feedBytes(p).toString('utf8')).entries ?? []).map((e) => String(e.title?.value)).sort();
  const pages = (p: TempProject = project): string[] => readdirSync(path.join(p.outDir, 'articles'));
  const withStore = async <T>(fn: (store: Store) => Promise<T>, p: TempProject = project): Promise<T> => {
    const store = await openStore(p.configFile);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  const titles = (p: TempProject = project): Promise<string[]> =>
    withStore(async (store) => [...(await store.articles.getArticles((await store.snapshot()).articles.map((a) => a.id))).values()].map((a) => a.title).sort(), p);
  let ids: Map<string, string>;
  let day10Feed: Buffer;

  beforeAll(async () => {
    project = tempProject();
    feedsDir = path.join(project.dir, 'feeds');
    notesDir = path.join(project.dir, 'notes');
    mkdirSync(feedsDir);
    mkdirSync(notesDir);
    writeFileSync(path.join(notesDir, 'museum.txt'), MUSEUM);
    project.writeConfig(config());
    writeWire([HARBOR, ORCHARD]);
    await runPipeline(project.configFile, day(0));
    writeWire([HARBOR, ORCHARD, CHESS]);
    await runPipeline(project.configFile, day(1));
    // An override naming the chess story by its article's link keeps that story whatever its age.
    writeFileSync(path.join(project.dir, 'overrides.yaml'), 'pin:\n  - story: http://wire.test/c1\n    canonical: http://wire.test/c1\n');
    // A run with nothing new: no decision names it, so it is pruned once old.
    await runPipeline(project.configFile, day(2));
    ids = await withStore(async (store) => new Map([...(await store.articles.getArticles((await store.snapshot()).articles.map((a) => a.id))).values()].map((a) => [a.title, a.id])));
    expect(pages()).toHaveLength(1);
  });
  afterAll(() => project.cleanup());

  it('prunes old stories with their articles, decisions and pages; keeps the feed, an override and a story still in the feed', async () => {
    // The same history without retention, to compare the feed with.
    const kept = tempProject({}, `${project.dir}-kept`);
    cpSync(project.dir, kept.dir, { recursive: true });
    kept.writeConfig({ ...config({ enabled: false }), sources: [{ id: 'wire', file: path.join(project.dir, 'feeds/wire.xml') }, { id: 'notes', dir: path.join(project.dir, 'notes') }] });
    try {
      // Day 10: the orchard story is edited (undated, so dated by this run: back in the feed), the election is new.
      writeWire([HARBOR, edited(ORCHARD, 'Pickers are being hired from next week.'), CHESS, ELECTION]);
      const summary = await runPipeline(project.configFile, day(10));
      await runPipeline(kept.configFile, day(10));
      expect(summary.articlesNew).toBe(1);
      day10Feed = feedBytes();
      expect(entryTitles()).toEqual([ELECTION.title, ORCHARD.title].sort());
      // Pruning changed nothing the feed shows.
      expect(day10Feed.equals(feedBytes(kept))).toBe(true);
      expect(await titles(kept)).toHaveLength(5);
    } finally {
      kept.cleanup();
    }
    // The harbor story and the museum article are older than the window and the feed: gone, the museum's page too.
    // The orchard story is in the feed (its first member older than the cutoff), the chess story is named by an override.
    expect(await titles()).toEqual([CHESS.title, ELECTION.title, ORCHARD.title].sort());
    expect(pages()).toEqual([]);
    const snap = await withStore((store) => store.snapshot());
    expect(snap.decisions.map((d) => d.articleId)).not.toContain(ids.get(HARBOR.title));
    expect(snap.stories).toHaveLength(3);
    // Runs: the first one, the one whose decision a kept article still has, and this one; the idle run of day 2 is gone.
    expect(snap.runs.map((r) => r.startedAt)).toEqual([day(0), day(1), day(10)]);
    expect(await withStore((store) => store.retention.countPruned())).toBe(2);
    const records = readLogRecords<{ msg: string; override?: string }>(path.join(project.outDir, 'feedfold.log'));
    expect(records.filter((r) => r.msg.startsWith('retention: pruned 2 articles, 2 stories, 1 runs'))).toHaveLength(1);
  });

  it('does not publish again an item pruned while its source still lists it, unchanged or edited', async () => {
    const summary = await runPipeline(project.configFile, day(11));
    expect(summary.articlesNew).toBe(0);
    expect(feedBytes().equals(day10Feed)).toBe(true);
    writeWire([edited(HARBOR, 'The ferry runs again from Monday.'), edited(ORCHARD, 'Pickers are being hired from next week.'), CHESS, ELECTION]);
    writeFileSync(path.join(notesDir, 'museum.txt'), `${MUSEUM}Tickets are free this weekend.\n`);
    const again = await runPipeline(project.configFile, day(12));
    expect(again.articlesNew).toBe(0);
    expect(feedBytes().equals(day10Feed)).toBe(true);
    expect(pages()).toEqual([]);
    expect(await titles()).toEqual([CHESS.title, ELECTION.title, ORCHARD.title].sort());
    // The pin still names a stored story: no warning about an override naming nothing.
    const records = readLogRecords<{ msg: string }>(path.join(project.outDir, 'feedfold.log'));
    expect(records.filter((r) => r.msg.includes('override names no stored'))).toEqual([]);
  });

  it('forgets a tombstone once its source stops listing the item for retention.tombstoneDays', async () => {
    // The wire drops the harbor item and the folder its museum file; a source that lists its item keeps its tombstone.
    writeWire([edited(ORCHARD, 'Pickers are being hired from next week.'), CHESS, ELECTION]);
    rmSync(path.join(notesDir, 'museum.txt'));
    await runPipeline(project.configFile, day(14));
    expect(await withStore((store) => store.retention.countPruned())).toBe(2);
    await runPipeline(project.configFile, day(16));
    // Last listed on day 12: more than 3 days ago on day 16. The orchard and election stories are old by now.
    const left = await withStore((store) => store.retention.listedPruned([ids.get(HARBOR.title) as string], day(16)));
    expect(left.size).toBe(0);
    expect(await titles()).toEqual([CHESS.title]);
    expect(entryTitles()).toEqual([]);
  });
});

describe('retention keeps what a correction stored through the review app names', () => {
  it('keeps a story pinned through the API however old, and prunes its old neighbour', async () => {
    const project = tempProject();
    try {
      mkdirSync(path.join(project.dir, 'feeds'));
      const wire = path.join(project.dir, 'feeds', 'wire.xml');
      project.writeConfig({ feed: { maxAgeDays: 5, maxEntries: 10 }, cluster: { windowHours: 24 }, sources: [{ id: 'wire', file: 'feeds/wire.xml' }] });
      writeFileSync(wire, rss([HARBOR, ORCHARD]));
      await runPipeline(project.configFile, day(0));
      const store = await openStore(project.configFile);
      try {
        await store.overrides.addOverride({ action: 'pin', story: 'http://wire.test/h1', article: 'http://wire.test/h1' }, 'reviewer', day(0));
      } finally {
        await store.close();
      }
      writeFileSync(wire, rss([ELECTION]));
      await runPipeline(project.configFile, day(10));
      const check = await openStore(project.configFile);
      try {
        const snap = await check.snapshot();
        const titles = [...(await check.articles.getArticles(snap.articles.map((a) => a.id))).values()].map((a) => a.title).sort();
        expect(titles).toEqual([ELECTION.title, HARBOR.title].sort());
      } finally {
        await check.close();
      }
    } finally {
      project.cleanup();
    }
  });
});

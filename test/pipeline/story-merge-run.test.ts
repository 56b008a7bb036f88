import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
import { feedfold } from '../cli/cli-harness.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore } from '../helpers/run-pipeline.js';
import { BACKGROUND_HEADLINES } from '../cluster/background-headlines.js';
import { getStory, latestDecision, storyOf } from '../../src/store/lookups.js';

const T0 = '2025-03-01T12:00:00Z';
const T1 = '2025-03-01T18:00:00Z';

interface Item {
  title: string;
  url: string;
  published: string;
}

/** Writes a headline-only RSS 2.0 feed (titles and links, no bodies), the shape of a news aggregator's listing. */
function writeFeed(file: string, title: string, items: readonly Item[]): void {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = items
    .map((i) => `<item><title>${esc(i.title)}</title><link>${esc(i.url)}</link><guid>${esc(i.url)}</guid><pubDate>${new Date(i.published).toUTCString()}</pubDate></item>`)
    .join('');
  writeFileSync(file, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${esc(title)}</title><link>http://${title.toLowerCase()}.test/</link><description>x</description>${body}</channel></rss>`);
}

const BACKGROUND: Item[] = BACKGROUND_HEADLINES.map((title, i) => ({ title, url: `http://daily.test/${i}`, published: `2025-03-01T0${i}:00:00Z` }));

const FIRST: Item = { title: 'Titanfall servers buckle on launch day', url: 'http://wire.test/launch', published: '2025-03-01T09:00:00Z' };
const OTHER_WORDS: Item = { title: "Xbox One gets Titanfall, its first big launch", url: 'http://games.test/first-big-launch', published: '2025-03-01T09:30:00Z' };
const LATER: Item = { title: 'Titanfall servers buckle as Xbox One gets its first big launch', url: 'http://news.test/launch-servers', published: '2025-03-01T15:00:00Z' };

interface Entry {
  id: string;
  versions: string[];
}

function readEntries(project: TempProject): Entry[] {
  const feed = parseAtomFeed(readFileSync(project.feedFile, 'utf8'));
  return (feed.entries ?? []).map((e) => ({
    id: e.id as string,
    versions: (e.links ?? []).filter((l) => l.rel === 'alternate' || l.rel === 'related' || l.rel === undefined).flatMap((l) => (l.href ? [l.href] : [])).sort(),
  }));
}

function entryWith(entries: readonly Entry[], url: string): Entry {
  const found = entries.filter((e) => e.versions.includes(url));
  expect(found, `exactly one entry links ${url}`).toHaveLength(1);
  return found[0] as Entry;
}

describe('a run that merges two stories', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  it('moves the younger story into the older one: its entry leaves the feed, the older entry keeps its id', async () => {
    project = tempProject();
    const feeds = { daily: path.join(project.dir, 'daily.xml'), wire: path.join(project.dir, 'wire.xml'), games: path.join(project.dir, 'games.xml'), news: path.join(project.dir, 'news.xml') };
    // A strict join threshold, so the headline in other words falls under it: one event in two stories.
    project.writeConfig({
      cluster: { threshold: 0.7 },
      sources: [
        { id: 'daily', file: feeds.daily, title: 'Daily' },
        { id: 'wire', file: feeds.wire, title: 'Wire' },
        { id: 'games', file: feeds.games, title: 'Games' },
        { id: 'news', file: feeds.news, title: 'News' },
      ],
    });
    writeFeed(feeds.daily, 'Daily', BACKGROUND);
    writeFeed(feeds.wire, 'Wire', [FIRST]);
    writeFeed(feeds.games, 'Games', [OTHER_WORDS]);
    writeFeed(feeds.news, 'News', []);
    expect((await feedfold(['run', '--config', project.configFile, '--now', T0])).code).toBe(0);
    const before = readEntries(project);
    const older = entryWith(before, FIRST.url);
    const younger = entryWith(before, OTHER_WORDS.url);
    expect(younger.id).not.toBe(older.id);

    // Another outlet's version, in the words of both, joins the older story; as a whole it now agrees with the younger
    // one, which merges in.
    writeFeed(feeds.news, 'News', [LATER]);
    expect((await feedfold(['run', '--config', project.configFile, '--now', T1])).code).toBe(0);
    const after = readEntries(project);
    const merged = entryWith(after, OTHER_WORDS.url);
    expect(merged.id).toBe(older.id);
    expect(merged.versions).toEqual([FIRST.url, LATER.url, OTHER_WORDS.url].sort());
    expect(after.map((e) => e.id)).not.toContain(younger.id);
    expect(after).toHaveLength(BACKGROUND.length + 1);

    // The store records why the moved article moved, and no longer holds the younger story.
    const store = await openStore(project.configFile);
    try {
      const moved = (await store.articles.findArticlesByUrl(OTHER_WORDS.url))[0];
      expect(moved).toBeDefined();
      const decision = (await latestDecision(store, moved?.id as string));
      expect(decision).toMatchObject({ action: 'merged', storyId: older.id });
      expect(decision?.evidence.storySimilarity).toBeGreaterThanOrEqual(DEFAULT_CLUSTER_OPTIONS.mergeThreshold);
      expect((await storyOf(store, moved?.id as string))).toBe(older.id);
      expect((await getStory(store, younger.id))).toBeUndefined();
    } finally {
      await store.close();
    }

    // The log has one `merged` decision for the moved article, with the story-level evidence.
    const log = readFileSync(path.join(project.outDir, 'feedfold.log'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { msg?: string; action?: string; story?: string; article?: { url?: string }; evidence?: { storySimilarity?: number } });
    const mergedLines = log.filter((r) => r.msg === 'decision' && r.action === 'merged');
    expect(mergedLines.map((r) => [r.article?.url, r.story])).toEqual([[OTHER_WORDS.url, older.id]]);
    expect(mergedLines[0]?.evidence?.storySimilarity).toBeGreaterThan(0);
  });
});

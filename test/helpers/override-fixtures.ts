import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { expect } from 'vitest';
import { stringifyYaml as stringify } from '../../src/config/yaml-text.js';
import { FIXTURES } from './paths.js';
import { tempProject, type TempProject } from './project.js';
import { openStore } from './run-pipeline.js';

/*
 * Three feed fixtures whose stories overrides correct: the bike-lanes story (three versions), the
 * bakery prize (two) and the coral reefs (one), read as files; and how to read the published feed back.
 */

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
export const T0 = '2025-03-05T12:00:00Z';
export const LATER = '2025-03-05T18:00:00Z';
export const LATER_STILL = '2025-03-06T09:00:00Z';

export const BIKE = { gazette: 'http://gazette.test/news/bike-lanes', metro: 'http://metro.test/city/main-street-bike-lanes', coast: 'http://coastradio.test/stories/88120' };
export const BAKERY = ['http://gazette.test/news/bakery-prize', 'http://coastradio.test/stories/88131'];
export const CORAL = 'http://metro.test/science/coral-reefs';

/** One published entry, reduced to what the overrides change. */
export interface PublishedEntry {
  id: string;
  canonical: string | undefined;
  related: string[];
  /** Canonical and related URLs, sorted. */
  versions: string[];
}

export function readEntries(project: TempProject): PublishedEntry[] {
  const feed = parseAtomFeed(readFileSync(project.feedFile, 'utf8'));
  return (feed.entries ?? []).map((e) => {
    const links = e.links ?? [];
    const canonical = links.find((l) => l.rel === 'alternate' || l.rel === undefined)?.href;
    const related = links.filter((l) => l.rel === 'related').flatMap((l) => (l.href ? [l.href] : []));
    return { id: e.id!, canonical, related, versions: [...(canonical ? [canonical] : []), ...related].sort() };
  });
}

/** The entry that links the URL as its canonical or as a related version. */
export function entryWith(entries: PublishedEntry[], url: string): PublishedEntry {
  const found = entries.filter((e) => e.versions.includes(url));
  expect(found, `exactly one entry links ${url}`).toHaveLength(1);
  return found[0]!;
}

/** A project reading the three feed fixtures as files, plus an article folder for later input. */
export function feedsProject(extra: Record<string, unknown> = {}): { project: TempProject; articles: string } {
  const project = tempProject();
  const articles = path.join(project.dir, 'articles');
  mkdirSync(articles);
  project.writeConfig({
    overrides: 'overrides.yaml',
    sources: [
      { id: 'gazette', file: path.join(FEEDS, 'wire-rss20.xml'), title: 'Harbor Gazette' },
      { id: 'metro', file: path.join(FEEDS, 'metro-atom.xml'), title: 'Metro Daily' },
      { id: 'coast', file: path.join(FEEDS, 'coast-jsonfeed.json'), title: 'Coast Radio' },
      { id: 'desk', dir: articles, title: 'News desk' },
    ],
    ...extra,
  });
  return { project, articles };
}

export function writeOverrides(project: TempProject, overrides: Record<string, unknown>): void {
  writeFileSync(path.join(project.dir, 'overrides.yaml'), stringify({ merge: [], split: [], pin: [], ...overrides }));
}

/** Adds an article unrelated to every fixture story, so the next run has new input. */
export function addUnrelatedArticle(articles: string): void {
  copyFileSync(path.join(FIXTURES, 'pipeline', 'articles', 'harbor-ferry.txt'), path.join(articles, 'harbor-ferry.txt'));
}


/** The score and runner-up score of the close call recordCloseCall writes. */
export const CLOSE_CALL = { score: 0.27, runnerUpScore: 0.12 };

/**
 * Records the join of the metro bike-lanes version again as a close call (score just above the
 * default threshold, the coral-reefs story its runner-up), as the clustering records one: the
 * fixtures' own joins all score far above the threshold.
 */
export async function recordCloseCall(project: TempProject, storyIds: { bike: string; coral: string }): Promise<void> {
  const store = await openStore(project.configFile);
  try {
    const metro = (await store.articles.findArticlesByUrl(BIKE.metro))[0]!;
    const [run] = await store.runs.recentRuns(1);
    await store.unitOfWork(() =>
      store.decisions.recordDecisions(
        run!.runId,
        [{ articleId: metro.id, storyId: storyIds.bike, action: 'joined', score: CLOSE_CALL.score, evidence: { titleSimilarity: 0.4 }, runnerUp: { storyId: storyIds.coral, score: CLOSE_CALL.runnerUpScore } }],
        run!.startedAt,
      ),
    );
  } finally {
    await store.close();
  }
}

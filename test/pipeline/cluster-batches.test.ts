import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import { serveFeedFolder } from '../helpers/feed-folder-server.js';

/**
 * Clustering batches are units of work, not a different clustering: a run that assigns its new
 * articles two at a time (a commit after each pair) ends with the same stories, decisions and
 * feed as one that assigns them in one batch, and reports the same counts of new and updated stories.
 */

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const NOW_1 = '2025-03-05T12:00:00.000Z';
const NOW_2 = '2025-03-05T18:00:00.000Z';

describe('clustering batches', () => {
  let server: Server;
  let base = '';
  const projects: TempProject[] = [];
  beforeAll(async () => {
    ({ server, base } = await serveFeedFolder(FEEDS));
  });
  afterAll(async () => {
    for (const p of projects) p.cleanup();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('give the same stories and feed in batches of two as in one batch', async () => {
    const phase1 = [
      { id: 'gazette', url: `${base}/wire-rss20.xml` },
      { id: 'metro', url: `${base}/metro-atom.xml` },
    ];
    const phase2 = [...phase1, { id: 'coast', url: `${base}/coast-jsonfeed.json` }, { id: 'seeds', dir: path.join(ROOT, 'seeds') }];
    const history = async (batch: number | undefined) => {
      const project = tempProject();
      projects.push(project);
      const cluster = batch === undefined ? {} : { cluster: { batchArticles: batch } };
      project.writeConfig({ sources: phase1, ...cluster });
      await runPipeline(project.configFile, NOW_1);
      project.writeConfig({ sources: phase2, ...cluster });
      const summary = await runPipeline(project.configFile, NOW_2);
      const store = await openStore(project.configFile);
      try {
        const { members, stories, decisions, articles } = await store.snapshot();
        return { summary, members, stories, decisions, pending: articles.filter((a) => a.pending), feed: readFileSync(project.feedFile, 'utf8') };
      } finally {
        await store.close();
      }
    };
    const whole = await history(undefined);
    const pairs = await history(2);
    expect(whole.summary.articlesNew).toBeGreaterThan(4);
    expect(pairs.pending).toEqual([]);
    expect(pairs.members).toEqual(whole.members);
    expect(pairs.stories).toEqual(whole.stories);
    expect(pairs.decisions).toEqual(whole.decisions);
    expect(pairs.feed).toBe(whole.feed);
    // A story made in one batch and joined in the next is new to the run, not also updated.
    const counts = (s: typeof whole.summary) => ({ storiesNew: s.storiesNew, storiesUpdated: s.storiesUpdated });
    expect(counts(pairs.summary)).toEqual(counts(whole.summary));
  }, 120_000);
});

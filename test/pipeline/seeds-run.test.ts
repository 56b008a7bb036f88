import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import { getStory, members } from '../../src/store/lookups.js';

const ENGLISH = ['000_168ea976ff7458c6.txt', '001_14234c3bc899f81f.txt', '002_d9a93c932fb96118.txt', '004_e859859a89bdac24.txt'];

function entries(feedFile: string) {
  const feed = parseAtomFeed(readFileSync(feedFile, 'utf8'));
  return feed.entries ?? [];
}

const relatedOf = (e: { links?: { rel?: string; href?: string }[] }) => (e.links ?? []).filter((l) => l.rel === 'related');

describe('a whole run over the bundled seeds', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  it('folds the four English seeds into one entry with three related versions, canonical not the shortest', async () => {
    project = tempProject();
    const seeds = project.copySeeds(ENGLISH);
    project.writeConfig({ sources: [{ id: 'seeds', dir: seeds, title: 'Sample articles' }] });
    const summary = await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    expect(summary.articlesNew).toBe(4);
    const list = entries(project.feedFile);
    expect(list).toHaveLength(1);
    const entry = list[0]!;
    expect(relatedOf(entry)).toHaveLength(3);
    const html = (entry.content as { value?: string } | string | undefined);
    const content = typeof html === 'string' ? html : (html?.value ?? '');
    const also = content.slice(content.indexOf('Also reported by'));
    expect(content).toContain('Also reported by');
    expect((also.match(/<li\b/g) ?? []).length).toBe(3);

    const store = await openStore(project.configFile);
    try {
      const story = (await getStory(store, entry.id!))!;
      const versions = await members(store, story.id);
      expect(versions).toHaveLength(4);
      const shortest = [...versions].sort((a, b) => a.text.length - b.text.length)[0]!;
      expect(story.canonicalId).not.toBe(shortest.id);
    } finally {
      await store.close();
    }
  });

  it('leaves out/feed.atom byte-identical on a second run with no new input', async () => {
    project = tempProject();
    const seeds = project.copySeeds();
    project.writeConfig({ sources: [{ id: 'seeds', dir: seeds }] });
    await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    const first = readFileSync(project.feedFile);
    const second = await runPipeline(project.configFile, '2025-03-05T13:00:00Z');
    expect(second.articlesNew).toBe(0);
    expect(second.feedChanged).toBe(false);
    expect(readFileSync(project.feedFile).equals(first)).toBe(true);
  });

  it('keeps the entry id when a new version joins, adds a related link, bumps updated; an unrelated article adds one entry', async () => {
    project = tempProject();
    // The dated seeds first (their newest is 2025-03-04); the undated one joins later and is dated
    // by the run that reads it, so the entry's `updated` moves (a version dated before the entry's
    // last change would join without moving it: `updated` never goes backwards).
    const seeds = project.copySeeds([ENGLISH[0]!, ENGLISH[2]!, ENGLISH[3]!]);
    project.writeConfig({ sources: [{ id: 'seeds', dir: seeds }] });
    await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    const [before] = entries(project.feedFile);
    expect(relatedOf(before!)).toHaveLength(2);

    project.copySeeds([ENGLISH[1]!]);
    copyFileSync(path.join(FIXTURES, 'pipeline', 'articles', 'harbor-ferry.txt'), path.join(seeds, 'harbor-ferry.txt'));
    const summary = await runPipeline(project.configFile, '2025-03-05T18:00:00Z');
    expect(summary.articlesNew).toBe(2);
    const after = entries(project.feedFile);
    expect(after).toHaveLength(2);
    const same = after.find((e) => e.id === before!.id)!;
    expect(same).toBeDefined();
    expect(relatedOf(same)).toHaveLength(3);
    expect(Date.parse(String(same.updated))).toBeGreaterThan(Date.parse(String(before!.updated)));
    expect(same.updated).toBe('2025-03-05T18:00:00Z');
    expect(same.published).toEqual(before!.published);
    const ids = after.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

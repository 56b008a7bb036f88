import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryView } from '../../src/model/story.js';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { runPipeline } from '../helpers/run-pipeline.js';
import { feedfold } from './cli-harness.js';

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
// The bike-lanes story is told by both feeds; the assertions hold however many versions it ends up with.
const STORY_URL = 'http://gazette.test/news/bike-lanes';

describe('feedfold explain after a run over two feed files', () => {
  let project: TempProject;
  let storyEntryId = '';
  let view: StoryView;

  beforeAll(async () => {
    project = tempProject();
    project.writeConfig({
      sources: [
        { id: 'gazette', file: path.join(FEEDS, 'wire-rss20.xml'), title: 'Harbor Gazette' },
        { id: 'metro', file: path.join(FEEDS, 'metro-atom.xml'), title: 'Metro Daily' },
      ],
    });
    await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    const entries = parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries ?? [];
    // Whatever the clustering, the bike-lanes article is in exactly one entry, as alternate or related link.
    storyEntryId = entries.find((e) => (e.links ?? []).some((l) => l.href === STORY_URL))!.id!;
  });
  afterAll(() => project.cleanup());

  it('--json prints the StoryView of a story id: every version, canonical reason, one decision each', async () => {
    const result = await feedfold(['explain', storyEntryId, '--json', '--config', project.configFile]);
    expect(result.code).toBe(0);
    view = JSON.parse(result.stdout) as StoryView;
    expect(view.id).toBe(storyEntryId);
    const versions = [view.canonical, ...view.others];
    expect(versions.map((a) => a.url)).toContain(STORY_URL);
    expect(view.canonicalReason).toMatch(/\S/);
    expect(Object.keys(view.decisions).sort()).toEqual(versions.map((a) => a.id).sort());
    for (const a of versions) expect(view.decisions[a.id]!.storyId).toBe(view.id);
    // The story's founder started it; anything else joined (or was an exact duplicate).
    expect(Object.values(view.decisions).filter((d) => d.action === 'new-story')).toHaveLength(1);
    const firstSeen = view.others.map((a) => a.firstSeen);
    expect(firstSeen).toEqual([...firstSeen].sort());
  });

  it('prints the same story for the URL of any of its articles', async () => {
    const result = await feedfold(['explain', STORY_URL, '--json', '--config', project.configFile]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(view);
  });

  it('finds the story from the link as the outlet published it, tracking parameters and fragment included', async () => {
    const result = await feedfold(['explain', `${STORY_URL}?utm_source=rss&utm_medium=feed#comments`, '--json', '--config', project.configFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as StoryView).id).toBe(storyEntryId);
  });

  it('explains a story for people: its versions, the canonical and why, and each decision', async () => {
    const result = await feedfold(['explain', storyEntryId, '--config', project.configFile]);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text).toContain(`story ${storyEntryId}`);
    expect(text).toContain(`canonical: ${view.canonical.sourceTitle} — ${view.canonicalReason}`);
    expect(text).toMatch(new RegExp(`^\\* ${view.canonical.sourceTitle}: `, 'm'));
    for (const a of [view.canonical, ...view.others]) {
      expect(text).toContain(a.title);
      expect(text).toContain(a.url!);
      // Each version's own date, which its entry is dated by.
      expect(text).toContain(a.published !== undefined ? `published ${a.published}` : 'undated');
    }
    for (const d of Object.values(view.decisions)) expect(text).toMatch(new RegExp(`^  ${d.action}, score `, 'm'));
    expect(text).toContain(`${view.others.length + 1} version(s)`);
    const joined = Object.values(view.decisions).filter((d) => d.action === 'joined');
    expect((text.match(/^  body resemblance /gm) ?? []).length).toBeGreaterThanOrEqual(joined.length);
  });

  it('exits 1 and says so for a reference that names nothing', async () => {
    const result = await feedfold(['explain', 'urn:uuid:00000000-0000-0000-0000-000000000000', '--config', project.configFile]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no story or article matches urn:uuid:00000000/);
  });
});

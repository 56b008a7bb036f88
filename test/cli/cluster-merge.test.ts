import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../helpers/project.js';
import { feedfold } from './cli-harness.js';
import { BACKGROUND_HEADLINES } from '../cluster/background-headlines.js';

const BACKGROUND = BACKGROUND_HEADLINES.map((title, i) => ({ id: `bg-${i}`, title, published: `2025-03-01T0${i}:00:00Z`, source: 'daily' }));

/** One event: the second line starts a story of its own, which merges into the first line's once the third joins it. */
const LAUNCH = [
  { id: 'first', title: 'Titanfall servers buckle on launch day', published: '2025-03-01T09:00:00Z', source: 'wire' },
  { id: 'other-words', title: 'Xbox One gets Titanfall, its first big launch', published: '2025-03-01T09:30:00Z', source: 'games' },
  { id: 'both', title: 'Titanfall servers buckle as Xbox One gets its first big launch', published: '2025-03-01T15:00:00Z', source: 'news' },
];

describe('feedfold cluster with story merges', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  it('gives every line its final story, also a line whose story was merged into another later in the batch', async () => {
    project = tempProject();
    const input = path.join(project.dir, 'in.jsonl');
    const run = async (extra: string[]): Promise<Map<string, { story: string; action: string }>> => {
      const output = path.join(project.dir, `out-${extra.join('-')}.jsonl`);
      // A strict join threshold, so the second line's join falls under it.
      const result = await feedfold(['cluster', '--in', input, '--out', output, '--threshold', '0.7', ...extra]);
      expect(result.code).toBe(0);
      const lines = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; story: string; action: string });
      return new Map(lines.map((l) => [l.id, l]));
    };
    writeFileSync(input, [...BACKGROUND, ...LAUNCH].map((l) => JSON.stringify(l)).join('\n'));

    // Control: without merging the second line stays a story of its own.
    const apart = await run(['--merge-threshold', '2']);
    expect(apart.get('other-words')?.action).toBe('new-story');
    expect(apart.get('other-words')?.story).not.toBe(apart.get('first')?.story);

    const merged = await run([]);
    const story = merged.get('first')?.story;
    expect(LAUNCH.map((l) => merged.get(l.id)?.story)).toEqual([story, story, story]);
    // The second line was placed in a story of its own at the time; the output gives the story it ended in.
    expect(merged.get('other-words')?.action).toBe('new-story');
    expect(new Set(BACKGROUND.map((l) => merged.get(l.id)?.story)).size).toBe(BACKGROUND.length);
    expect(BACKGROUND.map((l) => merged.get(l.id)?.story)).not.toContain(story);
  });
});

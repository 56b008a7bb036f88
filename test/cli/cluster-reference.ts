import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../../src/cluster/create-story-index.js';
import { StoryRedirects } from '../../src/cluster/merge-stories.js';
import { articleOf, type ClusterOutput } from '../../src/cli/cluster-batch.js';
import type { ClusterInput } from '../../src/cli/cluster-input.js';
import type { Article } from '../../src/model/article.js';
import { parseDate } from '../../src/parse/parse-date.js';
import { storyIdFor } from '../../src/pipeline/story-ids.js';

const BATCH_EPOCH = '2000-01-01T00:00:00.000Z';

function toIso(v: string | number | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return new Date(v).toISOString();
  return parseDate(v);
}

function firstSeenTimes(dates: readonly (string | undefined)[]): string[] {
  const out: (string | undefined)[] = [...dates];
  let before: string | undefined;
  for (let i = 0; i < out.length; i++) {
    out[i] ??= before;
    before = out[i];
  }
  let after: string | undefined;
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] ??= after;
    after = out[i];
  }
  return out.map((d) => d ?? BATCH_EPOCH);
}

/**
 * Clusters a batch the way `feedfold cluster` did before it streamed: every line normalized first and held, then
 * sorted by the ISO strings of the articles' dates with localeCompare and assigned. The reference the streaming command
 * must match byte for byte.
 */
export function clusterHeldBatch(inputs: readonly ClusterInput[], options: Partial<ClusterOptions> = {}): ClusterOutput[] {
  const items: { index: number; input: ClusterInput; article: Article }[] = [];
  const dates = inputs.map((i) => toIso(i.published));
  const seen = firstSeenTimes(dates);
  inputs.forEach((input, index) => {
    const article = articleOf(input, dates[index], seen[index] as string);
    if (article) items.push({ index, input, article });
  });
  items.sort((a, b) => (a.article.published ?? a.article.firstSeen).localeCompare(b.article.published ?? b.article.firstSeen) || a.index - b.index);
  const index = createStoryIndex({ ...DEFAULT_CLUSTER_OPTIONS, ...options }, (a) => storyIdFor(a.id));
  const byIndex = new Map<number, ClusterOutput>();
  const redirects = new StoryRedirects();
  for (const item of items) {
    const d = index.assign(item.article);
    for (const m of d.merges ?? []) redirects.record(m.from, m.into);
    byIndex.set(item.index, { id: item.input.id, story: d.storyId, action: d.action, score: Math.round(d.score * 1000) / 1000 });
  }
  for (const out of byIndex.values()) out.story = redirects.resolve(out.story);
  return inputs.map((input, i) => byIndex.get(i) ?? { id: input.id, story: storyIdFor(`unusable:${input.id}`), action: 'new-story', score: 0 });
}

/** Writes outputs as the command does: one JSON object a line. */
export function outputLines(outputs: readonly ClusterOutput[]): string {
  return outputs.map((o) => `${JSON.stringify(o)}\n`).join('');
}

import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../../src/cluster/create-story-index.js';
import { StoryRedirects } from '../../src/cluster/merge-stories.js';
import type { Decision } from '../../src/model/story.js';
import { itemToArticle, type EvalItem } from './eval-item.js';

/**
 * Clusters items in input order with the story index directly (no CLI), returning one story label per item: the story
 * it ended in, after any later merge.
 */
export function clusterDirect(items: readonly EvalItem[], options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS): { labels: string[]; decisions: Decision[] } {
  let next = 0;
  const index = createStoryIndex(options, () => `story-${next++}`);
  const decisions = items.map((item) => index.assign(itemToArticle(item)));
  const redirects = new StoryRedirects();
  for (const d of decisions) for (const m of d.merges ?? []) redirects.record(m.from, m.into);
  return { labels: decisions.map((d) => redirects.resolve(d.storyId)), decisions };
}

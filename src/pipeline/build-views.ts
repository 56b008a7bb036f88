import type { Article } from '../model/article.js';
import type { Decision, StoryView } from '../model/story.js';
import type { Store, StoryRow } from '../store/store.js';

/** Builds the published view of one stored story: canonical, other versions, decisions. */
export function buildStoryView(store: Store, row: StoryRow): StoryView | undefined {
  const members = store.members(row.id);
  const canonical = members.find((m) => m.id === row.canonicalId);
  if (!canonical) return undefined;
  const others: Article[] = members.filter((m) => m.id !== canonical.id);
  const decisions: Record<string, Decision> = {};
  for (const m of members) {
    const d = store.latestDecision(m.id);
    if (d) decisions[m.id] = d;
  }
  const view: StoryView = { id: row.id, published: row.published, updated: row.updated, canonical, others, canonicalReason: row.canonicalReason, decisions };
  const sourceUpdated = store.sourceUpdated(canonical.sourceId);
  if (sourceUpdated !== undefined) view.sourceUpdated = sourceUpdated;
  return view;
}

/** Loads the stories updated since `since`, newest first, at most `limit`. */
export function loadStoryViews(store: Store, since: string, limit: number): StoryView[] {
  return store
    .recentStories(since, limit)
    .map((row) => buildStoryView(store, row))
    .filter((v): v is StoryView => v !== undefined);
}

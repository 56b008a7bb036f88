import type { Article } from '../model/article.js';
import type { Decision, StoryView } from '../model/story.js';
import type { Store, StoryRow } from '../store/store.js';

/**
 * Builds the published views of stored stories (canonical, other versions, decisions), in the
 * order of `rows`, with a fixed number of queries whatever their count; a story whose canonical
 * version is missing is left out.
 */
export async function buildStoryViews(store: Store, rows: readonly StoryRow[]): Promise<StoryView[]> {
  const membersOf = await store.stories.membersOf(rows.map((r) => r.id));
  const all = [...membersOf.values()].flat();
  const decisions = await store.decisions.latestDecisions(all.map((a) => a.id));
  const sourceUpdated = await store.sources.sourcesUpdated([...new Set(all.map((a) => a.sourceId))]);
  const views: StoryView[] = [];
  for (const row of rows) {
    const members = membersOf.get(row.id) ?? [];
    const canonical = members.find((m) => m.id === row.canonicalId);
    if (!canonical) continue;
    const others: Article[] = members.filter((m) => m.id !== canonical.id);
    const byArticle: Record<string, Decision> = {};
    for (const m of members) {
      const d = decisions.get(m.id);
      if (d) byArticle[m.id] = d;
    }
    const view: StoryView = { id: row.id, published: row.published, updated: row.updated, canonical, others, canonicalReason: row.canonicalReason, decisions: byArticle };
    const updated = sourceUpdated.get(canonical.sourceId);
    if (updated !== undefined) view.sourceUpdated = updated;
    views.push(view);
  }
  return views;
}

/** Builds the published view of one stored story, or undefined when its canonical version is missing. */
export async function buildStoryView(store: Store, row: StoryRow): Promise<StoryView | undefined> {
  return (await buildStoryViews(store, [row]))[0];
}

/** Loads the stories updated since `since`, newest first, at most `limit`. */
export async function loadStoryViews(store: Store, since: string, limit: number): Promise<StoryView[]> {
  return buildStoryViews(store, await store.stories.recentStories(since, limit));
}

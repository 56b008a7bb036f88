import type { Logger } from 'pino';
import type { CanonicalPolicy } from '../canonical/choose-canonical.js';
import type { Overrides } from '../config/overrides.js';
import type { Article } from '../model/article.js';
import type { Store } from '../store/store.js';
import { resolvePins } from './apply-overrides.js';
import { editDateOf, updatedOf } from './article-dates.js';
import { refreshStories, touch, type TouchedStories } from './update-stories.js';

/**
 * Returns the stored form of an edited article: the source's new title, text and dates, with the
 * first-seen time and the publication date it entered with (an edit does not re-publish it).
 */
function editedVersion(stored: Article, edited: Article): Article {
  const published = stored.published ?? edited.published;
  const out: Article = { ...edited, firstSeen: stored.firstSeen };
  if (published !== undefined) out.published = published;
  return out;
}

/**
 * Applies the items a source re-sent under a stored id with a changed title or text: the stored
 * article follows, the edit is logged, and its story is touched (significantly when the article is
 * the canonical or its title, shown in the entry, changed). The article stays in its story: an
 * edit is not a reason to cluster again. Returns how many edits were applied.
 */
export async function applyEdits(store: Store, resent: readonly Article[], touched: TouchedStories, ctx: { now: string; logger: Logger }): Promise<number> {
  let applied = 0;
  // Read together: the stored versions, then the stories of the edited ones and those stories.
  const storedById = await store.articles.getArticles(resent.map((a) => a.id));
  const edits = resent.filter((a) => {
    const stored = storedById.get(a.id);
    return stored !== undefined && stored.sourceHash !== a.sourceHash;
  });
  const storyOf = await store.stories.storiesOf(edits.map((a) => a.id));
  const stories = await store.stories.getStories([...new Set(storyOf.values())]);
  const dates: [string, string][] = [];
  for (const edited of edits) {
    const stored = storedById.get(edited.id) as Article;
    // Stored before source hashes were kept: only a new title is surely an edit (the clean text
    // also depends on the source's other items), so anything else just records the hash.
    if (stored.sourceHash === undefined && stored.title === edited.title) {
      if (edited.sourceHash !== undefined) await store.articles.updateArticle({ ...stored, sourceHash: edited.sourceHash });
      continue;
    }
    const next = editedVersion(stored, edited);
    await store.articles.updateArticle(next);
    dates.push([next.sourceId, updatedOf(next)]);
    applied++;
    const storyId = storyOf.get(next.id);
    ctx.logger.info({ article: { id: next.id, source: next.sourceId, url: next.url }, story: storyId, oldTitle: stored.title, newTitle: next.title }, 'article edited');
    if (storyId === undefined) continue;
    const at = editDateOf(stored, next, ctx.now);
    const shown = stories.get(storyId)?.canonicalId === next.id || stored.title !== next.title;
    touch(touched, storyId, false, false, shown ? at : undefined, at);
  }
  await store.sources.noteSourceDates(dates);
  // A story index kept by another process (the clustering leader) holds the texts from before.
  if (applied > 0) await store.articles.bumpGeneration();
  return applied;
}

/**
 * Applies the edits a fetch worker read, in one unit of work, and refreshes the stories they touched: an operator's
 * pinned canonical stays pinned (the leader applies the other overrides, which move articles). Returns how many edits
 * were applied.
 */
export async function applyWorkerEdits(store: Store, resent: readonly Article[], ctx: { overrides: Overrides; policy: CanonicalPolicy; now: string; logger: Logger }): Promise<number> {
  return store.unitOfWork(async () => {
    const touched: TouchedStories = new Map();
    const applied = await applyEdits(store, resent, touched, ctx);
    const pins = new Map<string, string>();
    if (touched.size > 0) for (const [storyId, article] of (await resolvePins(store, ctx.overrides)).pins) pins.set(storyId, article.id);
    await refreshStories(store, touched, pins, ctx.policy, ctx.now);
    return applied;
  });
}

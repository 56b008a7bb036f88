import type { Logger } from 'pino';
import type { Overrides } from '../config/overrides.js';
import type { Article } from '../model/article.js';
import { canonicalUrl } from '../normalize/canonical-url.js';
import type { Store } from '../store/store.js';
import { splitStoryIdFor } from './story-ids.js';
import { recordDecision, touch, type TouchedStories } from './update-stories.js';

/** Finds an article by feedfold id or URL (as stored, or as the outlet links it, tracking parameters and all). */
export function resolveArticle(store: Store, ref: string): Article | undefined {
  const found = store.getArticle(ref) ?? store.findArticlesByUrl(ref)[0];
  if (found) return found;
  // Articles are stored under their canonical URL; an operator pastes the link their reader showed.
  const canonical = canonicalUrl(ref);
  return canonical !== undefined && canonical !== ref ? store.findArticlesByUrl(canonical)[0] : undefined;
}

/** Finds a story by its id, or by the id or URL of any of its articles. */
export function resolveStory(store: Store, ref: string): string | undefined {
  if (store.getStory(ref)) return ref;
  const article = resolveArticle(store, ref);
  return article ? store.storyOf(article.id) : undefined;
}

/** Lists the stories split out by override, which automatic merging must keep apart. */
export function splitStoryIds(store: Store, overrides: Overrides): string[] {
  const ids: string[] = [];
  for (const ref of overrides.split) {
    const article = resolveArticle(store, ref);
    if (article) ids.push(splitStoryIdFor(article.id));
  }
  return ids;
}

/** Words the decision log gives an article moved by one merge override. */
function mergeNote(intoRef: string, fromRef: string): string {
  return `merged by override (${intoRef} ← ${fromRef})`;
}

/** Tells whether a member of the story was last placed there by this same merge override. */
function mergedEarlier(store: Store, storyId: string, note: string): boolean {
  return store.members(storyId).some((a) => {
    const d = store.latestDecision(a.id);
    return d?.action === 'overridden' && d.evidence.note === note;
  });
}

/**
 * Applies the operator's corrections to the stored stories: splits, then merges, then pins.
 * Each is idempotent (a correction already in effect changes nothing), so they can be applied on
 * every run; what moves is recorded as an `overridden` decision. Returns the pins by story id and
 * the references that named nothing.
 */
export function applyOverrides(
  store: Store,
  overrides: Overrides,
  touched: TouchedStories,
  ctx: { runId: number; now: string; logger: Logger },
): { pins: Map<string, string>; unresolved: string[] } {
  const unresolved: string[] = [];
  const move = (article: Article, to: string, note: string, isNewStory: boolean): void => {
    const from = store.storyOf(article.id);
    recordDecision(store, ctx.logger, ctx.runId, ctx.now, article, { articleId: article.id, storyId: to, action: 'overridden', score: 1, evidence: { note } });
    // An operator's correction has no article date: the run that applied it dates it.
    if (from) touch(touched, from, false, true, ctx.now);
    touch(touched, to, isNewStory, true, ctx.now);
  };

  for (const ref of overrides.split) {
    const article = resolveArticle(store, ref);
    const storyId = article ? store.storyOf(article.id) : undefined;
    if (!article || !storyId) {
      unresolved.push(ref);
      continue;
    }
    const target = splitStoryIdFor(article.id);
    // Already split out (later versions may have joined it there): moving again would only log a
    // spurious decision and bump `updated` on every run.
    if (storyId !== target && store.members(storyId).length > 1) move(article, target, `split out by override (${ref})`, true);
  }

  for (const [intoRef, fromRef] of overrides.merge) {
    const into = resolveStory(store, intoRef);
    const from = resolveStory(store, fromRef);
    // A story named by id ceases to exist once merged away; that merge is in effect, not unresolved.
    if (into && !from && mergedEarlier(store, into, mergeNote(intoRef, fromRef))) continue;
    if (!into || !from) {
      unresolved.push(!into ? intoRef : fromRef);
      continue;
    }
    if (into === from) continue;
    for (const article of store.members(from)) move(article, into, mergeNote(intoRef, fromRef), false);
  }

  const pins = new Map<string, string>();
  for (const pin of overrides.pin) {
    const storyId = resolveStory(store, pin.story);
    const article = resolveArticle(store, pin.canonical);
    if (!storyId || !article || store.storyOf(article.id) !== storyId) {
      unresolved.push(`${pin.story} → ${pin.canonical}`);
      continue;
    }
    pins.set(storyId, article.id);
    if (store.getStory(storyId)?.canonicalId !== article.id) {
      touch(touched, storyId, false, false, ctx.now);
      ctx.logger.info({ action: 'overridden', story: storyId, article: { id: article.id, title: article.title }, evidence: { note: 'canonical pinned by override' } }, 'decision');
    }
  }
  for (const ref of unresolved) ctx.logger.warn({ override: ref }, 'override names no stored article or story; ignored');
  return { pins, unresolved };
}

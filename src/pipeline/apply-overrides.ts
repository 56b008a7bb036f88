import type { Logger } from 'pino';
import type { Overrides } from '../config/overrides.js';
import type { Article } from '../model/article.js';
import { canonicalUrl } from '../normalize/canonical-url.js';
import { getArticle, getStory, latestDecision, members, storyOf } from '../store/lookups.js';
import type { Store } from '../store/store.js';
import { splitStoryIdFor } from './story-ids.js';
import { recordDecision, touch, type TouchedStories } from './update-stories.js';

/** Finds an article by feedfold id or URL (as stored, or as the outlet links it, tracking parameters and all). */
export async function resolveArticle(store: Store, ref: string): Promise<Article | undefined> {
  const found = (await getArticle(store, ref)) ?? (await store.articles.findArticlesByUrl(ref))[0];
  if (found) return found;
  // Articles are stored under their canonical URL; an operator pastes the link their reader showed.
  const canonical = canonicalUrl(ref);
  return canonical !== undefined && canonical !== ref ? (await store.articles.findArticlesByUrl(canonical))[0] : undefined;
}

/** Finds a story by its id, or by the id or URL of any of its articles. */
export async function resolveStory(store: Store, ref: string): Promise<string | undefined> {
  if (await getStory(store, ref)) return ref;
  const article = await resolveArticle(store, ref);
  return article ? storyOf(store, article.id) : undefined;
}

/** Lists the stories split out by override, which automatic merging must keep apart. */
export async function splitStoryIds(store: Store, overrides: Overrides): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of overrides.split) {
    const article = await resolveArticle(store, ref);
    if (article) ids.push(splitStoryIdFor(article.id));
  }
  return ids;
}

/** Words the decision log gives an article moved by one merge override. */
function mergeNote(intoRef: string, fromRef: string): string {
  return `merged by override (${intoRef} ← ${fromRef})`;
}

/** Tells whether a member of the story was last placed there by this same merge override. */
async function mergedEarlier(store: Store, storyId: string, note: string): Promise<boolean> {
  const decisions = await store.decisions.latestDecisions((await members(store, storyId)).map((a) => a.id));
  return [...decisions.values()].some((d) => d.action === 'overridden' && d.evidence.note === note);
}

/**
 * Resolves the operator's pins to stored stories: the pinned article by story id, and the pins that name no stored
 * story, no stored article, or an article of another story.
 */
export async function resolvePins(store: Store, overrides: Overrides): Promise<{ pins: Map<string, Article>; unresolved: string[] }> {
  const pins = new Map<string, Article>();
  const unresolved: string[] = [];
  for (const pin of overrides.pin) {
    const storyId = await resolveStory(store, pin.story);
    const article = await resolveArticle(store, pin.canonical);
    if (!storyId || !article || (await storyOf(store, article.id)) !== storyId) unresolved.push(`${pin.story} → ${pin.canonical}`);
    else pins.set(storyId, article);
  }
  return { pins, unresolved };
}

/**
 * Applies the operator's corrections to the stored stories: splits, then merges, then pins.
 * Each is idempotent (a correction already in effect changes nothing), so they can be applied on
 * every run; what moves is recorded as an `overridden` decision. Returns the pins by story id,
 * the references that named nothing, and how many articles moved.
 */
export async function applyOverrides(
  store: Store,
  overrides: Overrides,
  touched: TouchedStories,
  ctx: { runId: number; now: string; logger: Logger },
): Promise<{ pins: Map<string, string>; unresolved: string[]; moved: number }> {
  const unresolved: string[] = [];
  let moved = 0;
  const move = async (article: Article, to: string, note: string, isNewStory: boolean): Promise<void> => {
    moved++;
    const from = await storyOf(store, article.id);
    await recordDecision(store, ctx.logger, ctx.runId, ctx.now, article, { articleId: article.id, storyId: to, action: 'overridden', score: 1, evidence: { note } });
    // An operator's correction has no article date: the run that applied it dates it.
    if (from) touch(touched, from, false, true, ctx.now);
    touch(touched, to, isNewStory, true, ctx.now);
  };

  for (const ref of overrides.split) {
    const article = await resolveArticle(store, ref);
    const storyId = article ? await storyOf(store, article.id) : undefined;
    if (!article || !storyId) {
      unresolved.push(ref);
      continue;
    }
    const target = splitStoryIdFor(article.id);
    // Already split out (later versions may have joined it there): moving again would only log a
    // spurious decision and bump `updated` on every run.
    if (storyId !== target && (await members(store, storyId)).length > 1) await move(article, target, `split out by override (${ref})`, true);
  }

  for (const [intoRef, fromRef] of overrides.merge) {
    const into = await resolveStory(store, intoRef);
    const from = await resolveStory(store, fromRef);
    // A story named by id ceases to exist once merged away; that merge is in effect, not unresolved.
    if (into && !from && (await mergedEarlier(store, into, mergeNote(intoRef, fromRef)))) continue;
    if (!into || !from) {
      unresolved.push(!into ? intoRef : fromRef);
      continue;
    }
    if (into === from) continue;
    for (const article of await members(store, from)) await move(article, into, mergeNote(intoRef, fromRef), false);
  }

  const resolved = await resolvePins(store, overrides);
  unresolved.push(...resolved.unresolved);
  const pins = new Map<string, string>();
  for (const [storyId, article] of resolved.pins) {
    pins.set(storyId, article.id);
    if ((await getStory(store, storyId))?.canonicalId !== article.id) {
      touch(touched, storyId, false, false, ctx.now);
      ctx.logger.info({ action: 'overridden', story: storyId, article: { id: article.id, title: article.title }, evidence: { note: 'canonical pinned by override' } }, 'decision');
    }
  }
  for (const ref of unresolved) ctx.logger.warn({ override: ref }, 'override names no stored article or story; ignored');
  return { pins, unresolved, moved };
}

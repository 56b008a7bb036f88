import type { Logger } from 'pino';
import type { Overrides } from '../config/overrides.js';
import type { Article } from '../model/article.js';
import type { StoredOverride } from '../model/override.js';
import type { Decision } from '../model/story.js';
import { canonicalUrl } from '../normalize/canonical-url.js';
import { getArticle, getStory, latestDecision, members, storyOf } from '../store/lookups.js';
import { PINNED_REASON_PREFIX } from '../store/review-query.js';
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

/** Names a split entry: the placements it made carry this key, and are undone once no active entry has it. */
export const splitKey = (ref: string): string => `split ${ref}`;
/** Names a merge entry (see splitKey). */
export const mergeKey = (intoRef: string, fromRef: string): string => `merge ${intoRef} ← ${fromRef}`;

/**
 * Adds the corrections stored through the API to the entries of `overrides.yaml`: a merge of
 * several stories folds each into the first; an entry given twice is applied once.
 */
export function withCorrections(file: Overrides, stored: readonly StoredOverride[]): Overrides {
  const out: Overrides = { split: [...file.split], merge: [...file.merge], pin: [...file.pin] };
  for (const { correction: c } of stored) {
    if (c.action === 'split') out.split.push(c.article);
    else if (c.action === 'pin') out.pin.push({ story: c.story, canonical: c.article });
    else for (const from of c.stories.slice(1)) out.merge.push([c.stories[0] as string, from]);
  }
  const unique = <T>(items: T[], key: (item: T) => string): T[] => [...new Map(items.map((i) => [key(i), i])).values()];
  return {
    split: unique(out.split, splitKey),
    merge: unique(out.merge, ([into, from]) => mergeKey(into, from)),
    pin: unique(out.pin, (p) => `${p.story} ${p.canonical}`),
  };
}

/** The keys of every entry in effect. */
function activeKeys(overrides: Overrides): Set<string> {
  return new Set([...overrides.split.map(splitKey), ...overrides.merge.map(([into, from]) => mergeKey(into, from))]);
}

/** Most rounds of undoing: an article moved by several overrides in turn goes back one step per round. */
const MAX_UNDO_ROUNDS = 8;

/**
 * Undoes the placements of overrides no longer in effect (an entry removed from `overrides.yaml`,
 * a correction undone through the API): each article goes back to the story it was moved out of,
 * which gets its id back if it had ceased to exist, with the decision it had before recorded again.
 */
async function undoRemoved(store: Store, active: ReadonlySet<string>, touched: TouchedStories, ctx: { runId: number; now: string; logger: Logger }): Promise<number> {
  let undone = 0;
  for (let round = 0; round < MAX_UNDO_ROUNDS; round++) {
    const stale = (await store.decisions.overridePlacements()).filter((d) => d.evidence.override !== undefined && !active.has(d.evidence.override) && d.evidence.movedFrom !== undefined);
    if (stale.length === 0) break;
    const articles = await store.articles.getArticles(stale.map((d) => d.articleId));
    const stored = await store.stories.storedStoryIds(stale.map((d) => d.evidence.movedFrom as string));
    for (const d of stale) {
      const article = articles.get(d.articleId);
      if (!article) continue;
      const back = d.evidence.movedFrom as string;
      const before = d.evidence.replaced ?? { action: 'overridden' as const, score: 1, evidence: { note: `${d.evidence.override} removed` } };
      const restored: Decision = { articleId: article.id, storyId: back, action: before.action, score: before.score, evidence: before.evidence, ...(before.runnerUp ? { runnerUp: before.runnerUp } : {}) };
      await recordDecision(store, ctx.logger, ctx.runId, ctx.now, article, restored);
      ctx.logger.info({ override: d.evidence.override, article: { id: article.id, title: article.title }, story: back }, 'override no longer in effect: undone');
      touch(touched, d.storyId, false, true, ctx.now);
      touch(touched, back, !stored.has(back), true, ctx.now);
      undone++;
    }
  }
  return undone;
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
  // Moves made by entries no longer in force are undone first; they count as moves too.
  let moved = await undoRemoved(store, activeKeys(overrides), touched, ctx);
  const move = async (article: Article, to: string, note: string, key: string, isNewStory: boolean): Promise<void> => {
    moved++;
    const from = await storyOf(store, article.id);
    const before = await latestDecision(store, article.id);
    const replaced = before ? { action: before.action, score: before.score, evidence: before.evidence, ...(before.runnerUp ? { runnerUp: before.runnerUp } : {}) } : undefined;
    const evidence = { note, override: key, ...(from ? { movedFrom: from } : {}), ...(replaced ? { replaced } : {}) };
    await recordDecision(store, ctx.logger, ctx.runId, ctx.now, article, { articleId: article.id, storyId: to, action: 'overridden', score: 1, evidence });
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
    if (storyId !== target && (await members(store, storyId)).length > 1) await move(article, target, `split out by override (${ref})`, splitKey(ref), true);
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
    for (const article of await members(store, from)) await move(article, into, mergeNote(intoRef, fromRef), mergeKey(intoRef, fromRef), false);
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
  // A pin removed: the story's canonical is chosen by the policy again.
  for (const storyId of await store.stories.storiesWithReason(PINNED_REASON_PREFIX)) if (!pins.has(storyId)) touch(touched, storyId, false, false);
  for (const ref of unresolved) ctx.logger.warn({ override: ref }, 'override names no stored article or story; ignored');
  return { pins, unresolved, moved };
}

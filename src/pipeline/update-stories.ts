import type { Logger } from 'pino';
import { chooseCanonical, type CanonicalPolicy } from '../canonical/choose-canonical.js';
import type { Article } from '../model/article.js';
import type { Decision, StoryIndex, StoryMerge } from '../model/story.js';
import type { Store } from '../store/store.js';

/** Stories touched by a run: new ones, and ones that gained or lost a version. */
export type TouchedStories = Map<string, { isNew: boolean; memberChange: boolean }>;

/** Marks a story as touched by this run. */
export function touch(touched: TouchedStories, storyId: string, isNew: boolean, memberChange: boolean): void {
  const prev = touched.get(storyId);
  touched.set(storyId, { isNew: (prev?.isNew ?? false) || isNew, memberChange: (prev?.memberChange ?? false) || memberChange });
}

/** Persists one decision, logs it with its evidence, and moves the article into its story. */
export function recordDecision(store: Store, logger: Logger, runId: number, now: string, article: Article, d: Decision): void {
  const decisionId = store.insertDecision(runId, d, now);
  store.setMember(d.articleId, d.storyId, decisionId);
  logger.info(
    {
      action: d.action,
      article: { id: article.id, title: article.title, source: article.sourceId, url: article.url, language: article.language },
      story: d.storyId,
      score: Math.round(d.score * 1000) / 1000,
      evidence: d.evidence,
      runnerUp: d.runnerUp,
    },
    'decision',
  );
}

/**
 * Moves every stored member of a merged story into the story it merged into, each with a recorded
 * `merged` decision carrying the story-level evidence; the emptied story leaves the feed when
 * refreshed, and the one it went into keeps its id.
 */
export function applyMerge(store: Store, logger: Logger, runId: number, now: string, merge: StoryMerge, touched: TouchedStories): void {
  for (const member of store.members(merge.from)) {
    const evidence = { ...merge.evidence, note: `${merge.evidence.note ?? 'stories merged'} (${merge.from} → ${merge.into})` };
    recordDecision(store, logger, runId, now, member, { articleId: member.id, storyId: merge.into, action: 'merged', score: merge.score, evidence });
  }
  touch(touched, merge.from, false, true);
  touch(touched, merge.into, false, true);
}

/**
 * Assigns the new articles to stories with the index (which already remembers the window),
 * persisting every decision and applying the story merges the index reports; returns the touched
 * stories.
 */
export function assignArticles(
  store: Store,
  index: StoryIndex,
  articles: readonly Article[],
  ctx: { runId: number; now: string; logger: Logger; checkpoint?: (label: string) => void },
): TouchedStories {
  const touched: TouchedStories = new Map();
  for (const article of articles) {
    const d = index.assign(article);
    const isNew = store.getStory(d.storyId) === undefined && !touched.has(d.storyId);
    recordDecision(store, ctx.logger, ctx.runId, ctx.now, article, d);
    touch(touched, d.storyId, isNew, true);
    for (const merge of d.merges ?? []) applyMerge(store, ctx.logger, ctx.runId, ctx.now, merge, touched);
    ctx.checkpoint?.('decision');
  }
  return touched;
}

/**
 * Recomputes canonical version, published and updated of each touched story. `updated` moves to
 * `now` only on a significant change (RFC 4287 §4.2.15): a version joined or left, or the
 * canonical changed. Stories left without members are deleted.
 */
export function refreshStories(store: Store, touched: TouchedStories, pins: ReadonlyMap<string, string>, policy: CanonicalPolicy, now: string): { created: number; updated: number } {
  let created = 0;
  let updated = 0;
  for (const [storyId, change] of [...touched.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const members = store.members(storyId);
    const existing = store.getStory(storyId);
    if (members.length === 0) {
      if (existing) store.deleteStory(storyId);
      continue;
    }
    const choice = chooseCanonical(members, policy, pins.get(storyId));
    const published = members.map((m) => m.firstSeen).sort()[0] as string;
    const significant = !existing || change.memberChange || existing.canonicalId !== choice.articleId;
    if (!existing && change.isNew) created++;
    else if (significant) updated++;
    store.upsertStory({
      id: storyId,
      canonicalId: choice.articleId,
      canonicalReason: choice.reason,
      published,
      updated: significant ? now : (existing as NonNullable<typeof existing>).updated,
      lastSeen: now,
    });
  }
  return { created, updated };
}

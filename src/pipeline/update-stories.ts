import type { Logger } from 'pino';
import { chooseCanonical, type CanonicalPolicy } from '../canonical/choose-canonical.js';
import type { Article } from '../model/article.js';
import type { Decision, StoryIndex, StoryMerge } from '../model/story.js';
import type { Store } from '../store/store.js';
import { earliestDate, isoOf, latestDate, publishedOf, updatedOf } from './article-dates.js';

/**
 * Stories touched by a run: new ones, ones that gained or lost a version, ones whose versions were
 * edited. `changedAt` is the date of the latest significant change (a joining version's own date,
 * an edited canonical's date, an override's run time); `editedAt` dates an edit that matters only
 * if it changes the canonical.
 */
export type TouchedStories = Map<string, { isNew: boolean; memberChange: boolean; changedAt?: string; editedAt?: string }>;

/** Marks a story as touched by this run, keeping the latest date of a significant change. */
export function touch(touched: TouchedStories, storyId: string, isNew: boolean, memberChange: boolean, changedAt?: string, editedAt?: string): void {
  const prev = touched.get(storyId);
  const latest = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined ? b : b === undefined ? a : latestDate(a, b));
  const next: { isNew: boolean; memberChange: boolean; changedAt?: string; editedAt?: string } = {
    isNew: (prev?.isNew ?? false) || isNew,
    memberChange: (prev?.memberChange ?? false) || memberChange,
  };
  const at = latest(prev?.changedAt, changedAt);
  const edited = latest(prev?.editedAt, editedAt);
  if (at !== undefined) next.changedAt = at;
  if (edited !== undefined) next.editedAt = edited;
  touched.set(storyId, next);
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
 * refreshed, and the one it went into keeps its id. `changedAt` dates the change.
 */
export function applyMerge(store: Store, logger: Logger, runId: number, now: string, merge: StoryMerge, touched: TouchedStories, changedAt: string): void {
  for (const member of store.members(merge.from)) {
    const evidence = { ...merge.evidence, note: `${merge.evidence.note ?? 'stories merged'} (${merge.from} → ${merge.into})` };
    recordDecision(store, logger, runId, now, member, { articleId: member.id, storyId: merge.into, action: 'merged', score: merge.score, evidence });
  }
  // Dated by the version whose arrival brought the two together, like a join.
  touch(touched, merge.from, false, true, changedAt);
  touch(touched, merge.into, false, true, changedAt);
}

/**
 * Assigns the new articles to stories with the index (which already remembers the window),
 * persisting every decision and applying the story merges the index reports; returns the touched
 * stories (added to `touched` when given).
 */
export function assignArticles(
  store: Store,
  index: StoryIndex,
  articles: readonly Article[],
  ctx: { runId: number; now: string; logger: Logger; checkpoint?: (label: string) => void },
  touched: TouchedStories = new Map(),
): TouchedStories {
  for (const article of articles) {
    const d = index.assign(article);
    const isNew = store.getStory(d.storyId) === undefined && !touched.has(d.storyId);
    recordDecision(store, ctx.logger, ctx.runId, ctx.now, article, d);
    // The join is dated by the joining version itself, never by the run that read it.
    touch(touched, d.storyId, isNew, true, updatedOf(article));
    for (const merge of d.merges ?? []) applyMerge(store, ctx.logger, ctx.runId, ctx.now, merge, touched, updatedOf(article));
    ctx.checkpoint?.('decision');
  }
  return touched;
}

/**
 * Returns a touched story's published (its earliest member date) and updated (its newest member
 * date when new, else moved to a significant change's own date), per RFC 4287 §4.2.15.
 */
export function storyDates(
  members: readonly Article[],
  existing: { updated: string } | undefined,
  change: { changedAt?: string; editedAt?: string },
  significant: boolean,
  now: string,
): { published: string; updated: string } {
  const published = isoOf(earliestDate(...(members.map(publishedOf) as [string, ...string[]])));
  if (!existing) return { published, updated: isoOf(latestDate(published, ...members.map(updatedOf))) };
  // The run's `now` only where nothing dates the change; never backwards, never before published.
  const at = significant ? (change.changedAt ?? change.editedAt ?? now) : existing.updated;
  return { published, updated: isoOf(latestDate(published, existing.updated, at)) };
}

/**
 * Recomputes canonical version, published and updated of each touched story. `updated` moves only
 * on a significant change: a version joined or left, the canonical changed, or it was edited.
 * Stories left without members are deleted.
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
    const significant = !existing || change.memberChange || change.changedAt !== undefined || existing.canonicalId !== choice.articleId;
    if (!existing && change.isNew) created++;
    else if (significant) updated++;
    const dates = storyDates(members, existing, change, significant, now);
    store.upsertStory({ id: storyId, canonicalId: choice.articleId, canonicalReason: choice.reason, ...dates, lastSeen: now });
  }
  return { created, updated };
}

import type { Logger } from 'pino';
import { chooseCanonical, type CanonicalPolicy } from '../canonical/choose-canonical.js';
import type { Article } from '../model/article.js';
import type { Decision, StoryIndex, StoryMerge } from '../model/story.js';
import { gatherWrites } from '../log/safe-destination.js';
import type { Store, StoryRow } from '../store/store.js';
import { earliestDate, isoOf, latestDate, publishedOf, updatedOf } from './article-dates.js';
import { timed, type RunProfile } from './run-profile.js';

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
export async function recordDecision(store: Store, logger: Logger, runId: number, now: string, article: Article, d: Decision): Promise<void> {
  await store.decisions.recordDecisions(runId, [d], now);
  logDecision(logger, article, d);
}

/** Logs a decision with its evidence. */
function logDecision(logger: Logger, article: Article, d: Decision): void {
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

/** A story merge the index reported, dated by the version whose arrival brought the two stories together. */
export interface DatedMerge {
  merge: StoryMerge;
  changedAt: string;
}

/** Earliest first-seen first, then by id: the order the store lists a story's members in. */
function byFirstSeen(a: Article, b: Article): number {
  return a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Moves every stored member of each merged story into the story it merged into, in the order the
 * index reported the merges, each member with a recorded `merged` decision carrying the story-level
 * evidence; an emptied story leaves the feed when refreshed, and the one it went into keeps its id.
 * The members of all merged stories are read in one lookup and the decisions written in one call,
 * however many merges a batch makes: a story that merged into another which merged on in turn
 * passes its members along in memory. The batch's own decisions must be written first.
 */
export async function applyMerges(store: Store, logger: Logger, runId: number, now: string, merges: readonly DatedMerge[], touched: TouchedStories): Promise<void> {
  if (merges.length === 0) return;
  const membersOf = await store.stories.membersOf([...new Set(merges.map((m) => m.merge.from))]);
  const decisions: Decision[] = [];
  for (const { merge, changedAt } of merges) {
    const evidence = { ...merge.evidence, note: `${merge.evidence.note ?? 'stories merged'} (${merge.from} → ${merge.into})` };
    const moved = membersOf.get(merge.from) ?? [];
    membersOf.set(merge.from, []);
    // Only a story that merges on later needs its members kept.
    const into = membersOf.get(merge.into);
    if (into !== undefined) membersOf.set(merge.into, [...into, ...moved].sort(byFirstSeen));
    for (const member of moved) {
      const d: Decision = { articleId: member.id, storyId: merge.into, action: 'merged', score: merge.score, evidence };
      decisions.push(d);
      logDecision(logger, member, d);
    }
    touch(touched, merge.from, false, true, changedAt);
    touch(touched, merge.into, false, true, changedAt);
  }
  await store.decisions.recordDecisions(runId, decisions, now);
}

/**
 * Assigns the new articles to stories with the index (which already remembers the window),
 * persisting every decision and applying the story merges the index reports; returns the touched
 * stories (added to `touched` when given).
 */
export async function assignArticles(
  store: Store,
  index: StoryIndex,
  articles: readonly Article[],
  ctx: { runId: number; now: string; logger: Logger; checkpoint?: (label: string) => void; profile?: RunProfile; tally?: { joins: number } },
  touched: TouchedStories = new Map(),
): Promise<TouchedStories> {
  // Decisions are written together (the batch's unit of work holds them all anyway), and before the
  // merges, which move the stored members of stories.
  const pending: Decision[] = [];
  const merges: DatedMerge[] = [];
  // Stories an assignment touched first: new ones unless stored (the run writes no story before refreshStories).
  const firstTouched: string[] = [];
  const outer = ctx.profile?.switchTo('cluster');
  // The decisions' log records are written together once the batch is assigned, before its decisions are stored: a
  // write(2) a record took about 4 % of the CPU time of a first run of 1,000 feeds (src/log/safe-destination.ts).
  gatherWrites(() => {
    for (const article of articles) {
      const d = index.assign(article);
      if (!touched.has(d.storyId)) firstTouched.push(d.storyId);
      pending.push(d);
      if (ctx.tally && (d.action === 'joined' || d.action === 'exact-duplicate')) ctx.tally.joins += 1;
      logDecision(ctx.logger, article, d);
      // The join is dated by the joining version itself, never by the run that read it.
      touch(touched, d.storyId, false, true, updatedOf(article));
      // Dated by the version whose arrival brought the two together, like a join.
      for (const merge of d.merges ?? []) merges.push({ merge, changedAt: updatedOf(article) });
      ctx.checkpoint?.('decision');
    }
  });
  ctx.profile?.switchTo('store');
  await store.decisions.recordDecisions(ctx.runId, pending, ctx.now);
  await applyMerges(store, ctx.logger, ctx.runId, ctx.now, merges, touched);
  const storedStories = await store.stories.storedStoryIds(firstTouched);
  for (const storyId of firstTouched) if (!storedStories.has(storyId)) touch(touched, storyId, true, true);
  ctx.profile?.switchTo(outer);
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

/** The stories one refresh made, changed (significantly) and deleted, by id. */
export interface StoryChanges {
  created: string[];
  updated: string[];
  deleted: string[];
}

/**
 * Recomputes canonical version, published and updated of each touched story. `updated` moves only
 * on a significant change: a version joined or left, the canonical changed, or it was edited.
 * Stories left without members are deleted. The stories are read together, then written together;
 * `inserted` holds the articles this run stored, which need not be read back. Returns the ids of the
 * stories made, changed and deleted, so that a run of several batches counts each story once.
 */
export async function refreshStories(
  store: Store,
  touched: TouchedStories,
  pins: ReadonlyMap<string, string>,
  policy: CanonicalPolicy,
  now: string,
  opts: { inserted?: ReadonlyMap<string, Article>; profile?: RunProfile } = {},
): Promise<StoryChanges> {
  const { inserted, profile } = opts;
  const created: string[] = [];
  const updated: string[] = [];
  const changes = [...touched.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const ids = changes.map(([storyId]) => storyId);
  const [membersOf, stories] = await timed(profile, 'store', () => Promise.all([store.stories.membersOf(ids, inserted), store.stories.getStories(ids)]));
  const emptied: string[] = [];
  const rows: StoryRow[] = [];
  timed(profile, 'cluster', () => {
    for (const [storyId, change] of changes) {
      const members = membersOf.get(storyId) ?? [];
      const existing = stories.get(storyId);
      if (members.length === 0) {
        if (existing) emptied.push(storyId);
        continue;
      }
      const choice = chooseCanonical(members, policy, pins.get(storyId));
      const significant = !existing || change.memberChange || change.changedAt !== undefined || existing.canonicalId !== choice.articleId;
      if (!existing && change.isNew) created.push(storyId);
      else if (significant) updated.push(storyId);
      const dates = storyDates(members, existing, change, significant, now);
      rows.push({ id: storyId, canonicalId: choice.articleId, canonicalReason: choice.reason, ...dates, lastSeen: now });
    }
  });
  await timed(profile, 'store', async () => {
    await store.stories.deleteStories(emptied);
    await store.stories.upsertStories(rows);
  });
  return { created, updated, deleted: emptied };
}

import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import type { Overrides } from '../config/overrides.js';
import type { StoryView } from '../model/story.js';
import { ARTICLE_PAGES_DIR, articlePageName } from '../publish/render-article-page.js';
import type { CompactResult, PruneResult, Store } from '../store/store.js';
import { resolveArticle, resolveStory } from './apply-overrides.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What one run's pruning did. */
export interface PruneOutcome extends Omit<PruneResult, 'articles'> {
  articles: number;
  pages: number;
  compact: CompactResult;
}

/**
 * The time before which stored state may go: older than the clustering window (no new article can
 * join it), the feed's age (no entry shows it) and `retention.minDays`, whichever reaches back furthest.
 */
export function pruneCutoff(config: Config, now: string): string {
  const keepMs = Math.max(config.cluster.windowHours * HOUR_MS, config.feed.maxAgeDays * DAY_MS, config.retention.minDays * DAY_MS);
  return new Date(Date.parse(now) - keepMs).toISOString();
}

/** Every reference an override makes to a story or an article. */
function overrideRefs(overrides: Overrides): string[] {
  return [...overrides.split, ...overrides.merge.flat(), ...overrides.pin.flatMap((p) => [p.story, p.canonical])];
}

/**
 * Resolves what the overrides name, so pruning keeps it: the stories they name (by id, or by one
 * of their articles) and the articles they name. A correction keeps working however old its story.
 */
async function overrideKeeps(store: Store, overrides: Overrides): Promise<{ stories: Set<string>; articles: Set<string> }> {
  const stories = new Set<string>();
  const articles = new Set<string>();
  for (const ref of new Set(overrideRefs(overrides))) {
    const story = await resolveStory(store, ref);
    if (story) stories.add(story);
    const article = await resolveArticle(store, ref);
    if (article) articles.add(article.id);
  }
  return { stories, articles };
}

/**
 * Prunes the state a run no longer needs, after the run is recorded: stories older than the cutoff
 * (pruneCutoff) with every member, their decisions, the pages of local articles among them, runs
 * older than `retention.runsDays`, and tombstones not listed for `retention.tombstoneDays`. The
 * stories of the published feed and those the overrides name are kept whatever their age, so the
 * feed written is the same before and after. The store is compacted when enough of it is free.
 * Returns undefined when retention is off.
 */
export async function pruneState(
  deps: { config: Config; store: Store; now: string; logger: Logger; overrides: Overrides; articleBaseUrl: string },
  published: readonly StoryView[],
): Promise<PruneOutcome | undefined> {
  const { config, store, now } = deps;
  if (!config.retention.enabled) return undefined;
  const log = deps.logger.child({ stage: 'retention' });
  const nowMs = Date.parse(now);
  const result = await store.unitOfWork(async () => {
    const keeps = await overrideKeeps(store, deps.overrides);
    return store.retention.prune({
      now,
      before: pruneCutoff(config, now),
      keepStories: [...new Set([...published.map((v) => v.id), ...keeps.stories])],
      keepArticles: [...keeps.articles],
      runsBefore: new Date(nowMs - config.retention.runsDays * DAY_MS).toISOString(),
      tombstonesBefore: new Date(nowMs - config.retention.tombstoneDays * DAY_MS).toISOString(),
      limit: config.retention.maxPerRun,
    });
  });
  // After the commit: a run killed before it keeps both the articles and their pages.
  let pages = 0;
  for (const a of result.articles) {
    const name = articlePageName(a.url, deps.articleBaseUrl);
    if (!name) continue;
    await rm(path.join(config.outDir, ARTICLE_PAGES_DIR, name), { force: true });
    pages += 1;
  }
  const compact = await store.retention.compact(config.retention.vacuumFreeShare);
  const outcome: PruneOutcome = { ...result, articles: result.articles.length, pages, compact };
  if (outcome.articles + outcome.stories + outcome.runs + outcome.tombstones > 0 || compact.mode !== 'none') {
    log.info({ pruned: outcome }, `retention: pruned ${outcome.articles} articles, ${outcome.stories} stories, ${outcome.runs} runs, ${outcome.tombstones} tombstones${compact.mode === 'none' ? '' : ` (store compacted: ${compact.mode})`}`);
  }
  return outcome;
}

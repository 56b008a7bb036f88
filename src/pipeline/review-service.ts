import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import type { Overrides } from '../config/overrides.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../cluster/create-story-index.js';
import { FeedfoldError } from '../model/errors.js';
import type { Correction, StoredOverride } from '../model/override.js';
import type { CorrectionResult, ReviewService, ReviewSource, ReviewStory, ReviewVersion, StoryListQuery, StoryPage } from '../model/review.js';
import type { StoryView } from '../model/story.js';
import { getStory } from '../store/lookups.js';
import { PINNED_REASON_PREFIX } from '../store/review-query.js';
import type { Store, StoryRow } from '../store/store.js';
import { applyOverrides, resolveArticle, resolveStory, withCorrections } from './apply-overrides.js';
import { buildStoryViews } from './build-views.js';
import { refreshStories, type TouchedStories } from './update-stories.js';

/** Entries of the audit list shown and returned. */
const AUDIT_LIMIT = 500;

/** What the review service is made of; the clock and the overrides file are read on each call. */
export interface ReviewDeps {
  config: Config;
  /** The store, or undefined while no run has created it (read-only servers). */
  store: () => Promise<Store | undefined>;
  logger: Logger;
  /** The wall clock, ISO 8601: when a correction is made or undone (the audit list). */
  now: () => string;
  /** The entries of `overrides.yaml` as they are now. */
  fileOverrides: () => Overrides;
  /** Writes the feed and report from the store (under the run lock). */
  publish: () => Promise<{ entries: number }>;
  writable: boolean;
}

/** Creates the review app's view of the store: stories with their decisions, sources, corrections. */
export function createReviewService(deps: ReviewDeps): ReviewService {
  const { config } = deps;
  const threshold = config.cluster.threshold ?? DEFAULT_CLUSTER_OPTIONS.threshold;
  const margin = config.review.closeCallMargin;
  const pageSize = config.review.pageSize;

  const requireStore = async (): Promise<Store> => {
    const store = await deps.store();
    if (!store) throw new FeedfoldError('review', 'no-store', 'no run has created the store yet');
    return store;
  };

  /** Turns views into API stories, naming each runner-up story by its canonical title. */
  async function toReviewStories(store: Store, views: readonly StoryView[]): Promise<ReviewStory[]> {
    const runnerIds = [...new Set(views.flatMap((v) => Object.values(v.decisions).flatMap((d) => (d.runnerUp ? [d.runnerUp.storyId] : []))))];
    const runnerRows = await store.stories.getStories(runnerIds);
    const runnerArticles = await store.articles.getArticles([...runnerRows.values()].map((r) => r.canonicalId));
    const titleOf = (storyId: string): string | null => runnerArticles.get(runnerRows.get(storyId)?.canonicalId ?? '')?.title ?? null;
    return views.map((view) => {
      const versions = [view.canonical, ...view.others].map((a): ReviewVersion => {
        const d = view.decisions[a.id];
        return {
          article: a.id,
          url: a.url ?? null,
          title: a.title,
          source: a.sourceId,
          sourceTitle: a.sourceTitle,
          language: a.language,
          published: a.published ?? null,
          canonical: a.id === view.canonical.id,
          action: d?.action ?? null,
          score: d?.score ?? null,
          evidence: d?.evidence ?? null,
          runnerUp: d?.runnerUp ? { story: d.runnerUp.storyId, title: titleOf(d.runnerUp.storyId), score: d.runnerUp.score } : null,
          closeCall: d?.action === 'joined' && Math.abs(d.score - threshold) <= margin,
        };
      });
      const overridden = view.canonicalReason.startsWith(PINNED_REASON_PREFIX) || versions.some((v) => v.action === 'overridden');
      return { id: view.id, title: view.canonical.title, published: view.published, updated: view.updated, canonicalReason: view.canonicalReason, overridden, threshold, margin, versions };
    });
  }

  async function storiesOf(store: Store, rows: readonly StoryRow[]): Promise<ReviewStory[]> {
    return toReviewStories(store, await buildStoryViews(store, rows));
  }

  /** Checks that every story and article a correction names is stored, before it is kept. */
  async function checkResolves(store: Store, c: Correction): Promise<void> {
    const missing: string[] = [];
    if (c.action === 'split' && !(await resolveArticle(store, c.article))) missing.push(c.article);
    if (c.action === 'merge') for (const ref of c.stories) if (!(await resolveStory(store, ref))) missing.push(ref);
    if (c.action === 'pin') {
      const story = await resolveStory(store, c.story);
      const article = await resolveArticle(store, c.article);
      if (!story) missing.push(c.story);
      if (!article) missing.push(c.article);
      else if (story && (await store.stories.storiesOf([article.id])).get(article.id) !== story) throw new FeedfoldError('review', 'unresolved', `article ${c.article} is not a version of story ${c.story}`);
    }
    if (missing.length > 0) throw new FeedfoldError('review', 'unresolved', `no stored story or article matches ${missing.join(', ')}`);
  }

  /** Applies every correction in effect (file and store) to the stored stories, as a run's last batch does. */
  async function applyAll(store: Store): Promise<string[]> {
    const [latest] = await store.runs.recentRuns(1);
    if (!latest) throw new FeedfoldError('review', 'no-run', 'no run has finished yet');
    // Stories are dated by the latest run's time, as that run would have dated the correction: the feed
    // stays a function of the runs' injected times, and a correction never dates a story after the next run.
    const now = latest.startedAt;
    return store.unitOfWork(async () => {
      const overrides = withCorrections(deps.fileOverrides(), await store.overrides.activeOverrides());
      const touched: TouchedStories = new Map();
      const { pins, unresolved } = await applyOverrides(store, overrides, touched, { runId: latest.runId, now, logger: deps.logger.child({ stage: 'cluster' }) });
      await refreshStories(store, touched, pins, config.canonical, now);
      return unresolved;
    });
  }

  return {
    writable: deps.writable,
    async listStories(query: StoryListQuery): Promise<StoryPage> {
      const store = await deps.store();
      if (!store) return { stories: [], page: 1, pages: 1, total: 0, pageSize, threshold, margin };
      const filters = { filters: query.filters, threshold, margin, ...(query.source ? { source: query.source } : {}), ...(query.language ? { language: query.language } : {}), ...(query.q ? { q: query.q } : {}) };
      const { rows, total } = await store.stories.reviewPage({ ...filters, limit: pageSize, offset: (query.page - 1) * pageSize });
      return { stories: await storiesOf(store, rows), page: query.page, pages: Math.max(1, Math.ceil(total / pageSize)), total, pageSize, threshold, margin };
    },
    async getStory(ref: string): Promise<ReviewStory | undefined> {
      const store = await deps.store();
      const id = store ? await resolveStory(store, ref) : undefined;
      const row = store && id ? await getStory(store, id) : undefined;
      return store && row ? (await storiesOf(store, [row]))[0] : undefined;
    },
    async listSources(): Promise<ReviewSource[]> {
      const store = await deps.store();
      if (!store) return [];
      return (await store.sources.listSources()).map((row) => ({
        id: row.spec.id,
        title: row.spec.title ?? row.feedTitle ?? null,
        kind: row.spec.kind,
        location: row.spec.location,
        errorCount: row.state.errorCount,
        lastError: row.state.lastError ?? null,
        lastErrorKind: row.state.lastErrorKind ?? null,
        lastStatus: row.state.lastStatus ?? null,
        lastSuccessAt: row.state.lastSuccessAt ?? null,
        nextFetchAt: row.state.nextFetchAt ?? null,
        retired: row.state.retired,
      }));
    },
    async listOverrides(): Promise<StoredOverride[]> {
      const store = await deps.store();
      return store ? store.overrides.listOverrides(AUDIT_LIMIT) : [];
    },
    async addCorrection(correction: Correction, by: string): Promise<CorrectionResult> {
      const store = await requireStore();
      await checkResolves(store, correction);
      const id = await store.unitOfWork(() => store.overrides.addOverride(correction, by, deps.now()));
      const unresolved = await applyAll(store);
      deps.logger.info({ override: { id, ...correction }, by }, 'correction made through the review app');
      return { id, unresolved };
    },
    async undoCorrection(id: number, by: string): Promise<StoredOverride | undefined> {
      const store = await requireStore();
      const undone = await store.unitOfWork(() => store.overrides.undoOverride(id, by, deps.now()));
      if (undone) {
        await applyAll(store);
        deps.logger.info({ override: { id, ...undone.correction }, by }, 'correction undone through the review app');
      }
      return undone;
    },
    publishNow: () => deps.publish(),
    async close(): Promise<void> {
      await (await deps.store())?.close();
    },
  };
}

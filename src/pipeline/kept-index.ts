import type { Config } from '../config/load-config.js';
import type { Overrides } from '../config/overrides.js';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS } from '../cluster/create-story-index.js';
import type { StoryIndex } from '../model/story.js';
import type { Store } from '../store/store.js';
import { splitStoryIds } from './apply-overrides.js';
import { timed, type RunProfile } from './run-profile.js';
import { storyIdOfFounder } from './story-ids.js';

const HOUR_MS = 3_600_000;

/** What building or reusing an index needs from the run. */
export interface IndexRun {
  config: Config;
  store: Store;
  now: string;
  overrides: Overrides;
  profile?: RunProfile;
}

/** The start of the clustering window of a run at `now`, ISO 8601. */
export function windowStart(config: Config, now: string): string {
  return new Date(Date.parse(now) - config.cluster.windowHours * HOUR_MS).toISOString();
}

/** Builds the story index and lets it remember the stored articles of the window (all but `fresh`, the ones to assign). */
export async function buildIndex(run: IndexRun, fresh: ReadonlyMap<string, unknown>): Promise<StoryIndex> {
  const { config, store, now } = run;
  const index = createStoryIndex(
    { ...DEFAULT_CLUSTER_OPTIONS, windowHours: config.cluster.windowHours, ...(config.cluster.threshold !== undefined ? { threshold: config.cluster.threshold } : {}) },
    storyIdOfFounder,
  );
  const window = await timed(run.profile, 'store', () => store.articles.windowArticles(windowStart(config, now)));
  timed(run.profile, 'cluster', () => {
    for (const { article, storyId } of window) if (!fresh.has(article.id)) index.remember(article, storyId);
    index.fit();
  });
  await keepSplitsApart(run, index);
  return index;
}

/** An operator's split wins over automatic merging: the split-out story is never merged back. */
async function keepSplitsApart(run: IndexRun, index: StoryIndex): Promise<void> {
  for (const id of await splitStoryIds(run.store, run.overrides)) index.keepApart(id);
}

/** Where a run stands: its id, and the articles' generation it read before taking an index. */
export interface RunMark {
  runId: number;
  generation: number;
}

/** An index kept after a run, and what it was kept under. */
interface Kept {
  index: StoryIndex;
  /** The run that last used it: it holds the store as that run left it. */
  runId: number;
  /** The articles' generation that run read (see ArticleStore.generation): no edit or re-dating since. */
  generation: number;
  /** The overrides it was kept under (a split removed from them cannot be taken back from an index). */
  overrides: string;
}

/**
 * Keeps the story index of a long-lived process (the daemon, the clustering leader) between its runs, so a run
 * does not read and index the whole window again: it lets go of what left the window and adds what it assigns.
 *
 * A kept index is used only while it holds exactly what the store holds: the run before this one must be the run that
 * last used it (no other process ran in between: a second leader before a take-over, a `feedfold run`), that run must
 * have ended (a run that failed midway may have indexed a batch it never committed), the overrides must be the same
 * and must have moved nothing, and the articles' generation must not have moved (no edit, by this process or a
 * worker, and no re-dating since). Otherwise it is rebuilt from the store.
 */
export class IndexKeeper {
  private kept: Kept | undefined;
  /** Runs that read the window from the store, and runs that used the kept index (benches, tests, logs). */
  rebuilds = 0;
  reuses = 0;

  /** Takes the kept index for the run `runId` when it is still exact; else undefined. Nothing stays kept either way. */
  private take(run: IndexRun, mark: RunMark): Kept | undefined {
    const kept = this.kept;
    this.kept = undefined;
    if (kept === undefined || kept.runId !== mark.runId - 1 || kept.generation !== mark.generation || kept.overrides !== overridesKey(run.overrides)) return undefined;
    return kept;
  }

  /** Returns the index for a run's first batch: the kept one when exact (see take), else one built from the store. */
  async indexFor(run: IndexRun, mark: RunMark, fresh: ReadonlyMap<string, unknown>): Promise<StoryIndex> {
    const kept = this.take(run, mark);
    if (kept === undefined) {
      this.rebuilds++;
      return buildIndex(run, fresh);
    }
    this.reuses++;
    retire(run, kept.index);
    await keepSplitsApart(run, kept.index);
    return kept.index;
  }

  /**
   * Keeps `index` after the run marked `mark` ended: the one it assigned with, or (a run with nothing to assign) the
   * one kept before, when still exact. `overridesMoved`: the run's overrides moved articles the index placed
   * elsewhere, so nothing is kept.
   */
  keep(run: IndexRun, mark: RunMark, index: StoryIndex | undefined, overridesMoved: boolean): void {
    // A run with nothing to assign still lets go of what left the window: a quiet stretch frees memory too.
    const usable = overridesMoved ? undefined : (index ?? this.take(run, mark)?.index);
    if (index === undefined && usable !== undefined) retire(run, usable);
    this.kept = usable === undefined ? undefined : { index: usable, runId: mark.runId, generation: mark.generation, overrides: overridesKey(run.overrides) };
  }

  /** Drops the kept index (a run failed, leadership was lost): the next run rebuilds. */
  drop(): void {
    this.kept = undefined;
  }

  /** Articles the kept index holds (0 when none is kept). */
  size(): number {
    return this.kept?.index.size() ?? 0;
  }
}

/** Lets an index go of the articles first seen before the run's window (see StoryIndex.retireSeenBefore). */
function retire(run: IndexRun, index: StoryIndex): void {
  timed(run.profile, 'cluster', () => index.retireSeenBefore(Date.parse(windowStart(run.config, run.now))));
}

/** The overrides as one comparable string. */
function overridesKey(overrides: Overrides): string {
  return JSON.stringify(overrides);
}

import { FeedfoldError } from '../model/errors.js';
import type { StoryView } from '../model/story.js';

const MS_PER_DAY = 86_400_000;

function instant(value: string): number {
  const ms = Date.parse(value);
  // Unparseable dates sort as oldest, so one bad record never jumps to the top of the feed.
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function compareNewestFirst(a: StoryView, b: StoryView): number {
  const byUpdated = instant(b.updated) - instant(a.updated);
  if (byUpdated !== 0 && !Number.isNaN(byUpdated)) return byUpdated;
  const byPublished = instant(b.published) - instant(a.published);
  if (byPublished !== 0 && !Number.isNaN(byPublished)) return byPublished;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Returns a new array of the stories, most recently updated first, ties broken by published then id. */
export function sortStoriesNewestFirst(stories: readonly StoryView[]): StoryView[] {
  return [...stories].sort(compareNewestFirst);
}

/** How many stories the feed keeps and for how long. */
export interface RetentionPolicy {
  /** Keep at most this many entries (the newest). */
  maxEntries: number;
  /** Drop stories whose last update is older than this many days before `now`. */
  maxAgeDays: number;
}

/**
 * Returns the stories the feed keeps: updated within `maxAgeDays` of `now`, newest first, at most
 * `maxEntries` of them; throws a FeedfoldError when `now` is not a date.
 */
export function applyRetention(stories: readonly StoryView[], policy: RetentionPolicy, now: string): StoryView[] {
  const nowMs = Date.parse(now);
  if (Number.isNaN(nowMs)) throw new FeedfoldError('publish', 'invalid-date', `retention needs a valid now, got ${JSON.stringify(now)}`);
  const oldestMs = nowMs - policy.maxAgeDays * MS_PER_DAY;
  const kept = stories.filter((story) => instant(story.updated) >= oldestMs);
  return sortStoriesNewestFirst(kept).slice(0, Math.max(0, Math.floor(policy.maxEntries)));
}

import type { Article } from '../model/article.js';
import { parseTimeMs } from '../model/iso-time.js';

/**
 * How far in the future an article's date may lie before it is clamped to the run's time: clocks
 * of feed servers drift a little, but a date hours ahead is an error (or a scheduled post that
 * would otherwise sit at the top of the feed until its date passes).
 */
export const FUTURE_SKEW_MS = 10 * 60_000;

/** A date an article entered with that lay too far in the future, and what it became. */
export interface ClampedDate {
  field: 'published' | 'updated';
  given: string;
  clamped: string;
}

const ms = parseTimeMs;

/** Returns the instant as ISO 8601 UTC with milliseconds, the one form stored and compared. */
export function isoOf(value: string): string {
  return new Date(ms(value)).toISOString();
}

/** Returns the latest of the dates (compared as instants, not strings). */
export function latestDate(first: string, ...rest: string[]): string {
  return rest.reduce((a, b) => (ms(b) > ms(a) ? b : a), first);
}

/** Returns the earliest of the dates (compared as instants, not strings). */
export function earliestDate(first: string, ...rest: string[]): string {
  return rest.reduce((a, b) => (ms(b) < ms(a) ? b : a), first);
}

/**
 * Clamps an entering article's dates that lie more than FUTURE_SKEW_MS after `now` to `now`, so
 * the stored article carries the clamped date and later runs see the same one; returns the
 * article (a copy when something changed) and what was clamped.
 */
export function clampFutureDates(article: Article, now: string): { article: Article; clamped: ClampedDate[] } {
  const limit = ms(now) + FUTURE_SKEW_MS;
  const clamped: ClampedDate[] = [];
  let out: Article | undefined;
  for (const field of ['published', 'updated'] as const) {
    const given = article[field];
    if (given !== undefined && ms(given) > limit) {
      out ??= { ...article };
      out[field] = isoOf(now);
      clamped.push({ field, given, clamped: out[field] as string });
    }
  }
  return { article: out ?? article, clamped };
}

/** Returns when an article was published: its own date, else when feedfold first saw it. */
export function publishedOf(article: Article): string {
  return article.published ?? article.firstSeen;
}

/** Returns when an article last changed by its own account: updated, else published, else first seen. */
export function updatedOf(article: Article): string {
  return latestDate(publishedOf(article), ...(article.updated !== undefined ? [article.updated] : []));
}

/**
 * Returns the date of an edit the source re-sent: the edited article's own `updated` when the
 * source moved it past the stored one, else `now` (the source did not date the edit, so the run
 * that saw it does).
 */
export function editDateOf(stored: Article, edited: Article, now: string): string {
  return ms(updatedOf(edited)) > ms(updatedOf(stored)) ? updatedOf(edited) : isoOf(now);
}

/** Tells whether an article's own date is older than `cutoff` (it would fall outside retention). */
export function olderThan(article: Article, cutoff: string): boolean {
  return ms(updatedOf(article)) < ms(cutoff);
}

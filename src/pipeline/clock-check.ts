import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { FUTURE_SKEW_MS, isoOf } from './article-dates.js';

/** What a run found when it compared its time with the last run's. */
export interface ClockCheck {
  /** The last run's time, when this run's is earlier. */
  wentBackFrom?: string;
  /** Articles and stories re-dated because their dates lay in this run's future. */
  redated: { articles: number; stories: number };
}

/**
 * Warns when the run's `now` is earlier than the last run's (a clock that was ahead, or a run
 * given `--now 2030-…`), and re-dates what that run stored in the future: every first-seen,
 * published and updated date more than FUTURE_SKEW_MS after `now` becomes `now`, the clamp an
 * article gets when it enters with a future date. Left alone, such dates would hold the top of the
 * feed (and the clustering window) until the clock caught up. Runs inside the run's first
 * unit of work, so the re-dating and the run's record are committed together.
 */
export async function checkClock(store: Store, now: string, logger: Logger): Promise<ClockCheck> {
  const last = await store.runs.lastRunStartedAt();
  if (last === undefined || !(Date.parse(now) < Date.parse(last))) return { redated: { articles: 0, stories: 0 } };
  const limit = new Date(Date.parse(now) + FUTURE_SKEW_MS).toISOString();
  const redated = await store.runs.redateAfter(limit, isoOf(now));
  // A kept story index holds the dates from before.
  if (redated.articles > 0) await store.articles.bumpGeneration();
  logger.warn(
    { now, lastRun: last, redated },
    `the clock went backwards: this run's time ${now} is before the last run's ${last}; ` +
      `${redated.articles} article(s) and ${redated.stories} story(ies) dated after ${limit} were re-dated to ${isoOf(now)}, and next fetch times beyond any back-off are brought back`,
  );
  return { wentBackFrom: last, redated };
}

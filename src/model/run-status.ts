import type { FailingSource, RunOutcome, RunStatus, RunSummary } from './run.js';

/** How a run ended, from its summary. */
export function runOutcome(s: RunSummary): RunOutcome {
  if (s.sourcesOk > 0 || s.clusterOnly === true) return 'ok';
  return s.sourcesFailed > 0 ? 'all-sources-failed' : 'nothing-read';
}

/** Adds `more` into `into`, key by key. */
function addCounts(into: Record<string, number>, more: Readonly<Record<string, number>> | undefined): Record<string, number> {
  const sum = { ...into };
  for (const [k, v] of Object.entries(more ?? {})) sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

/** The status after a run: `previous` (undefined for the first run, or after `out/` was emptied) with this run added. */
export function nextRunStatus(previous: RunStatus | undefined, summary: RunSummary, failing: FailingSource[]): RunStatus {
  const outcome = runOutcome(summary);
  const totals = previous?.totals ?? { runs: {}, articles: 0, storiesNew: 0, storiesUpdated: 0, joins: 0, outcomes: {} };
  const lastSuccessAt = outcome === 'ok' ? summary.startedAt : previous?.lastSuccessAt;
  return {
    lastRun: { ...summary, outcome },
    ...(lastSuccessAt === undefined ? {} : { lastSuccessAt }),
    failing,
    totals: {
      runs: addCounts(totals.runs, { [outcome]: 1 }),
      articles: totals.articles + summary.articlesNew,
      storiesNew: totals.storiesNew + summary.storiesNew,
      storiesUpdated: totals.storiesUpdated + summary.storiesUpdated,
      joins: totals.joins + (summary.joins ?? 0),
      outcomes: addCounts(totals.outcomes, summary.outcomes),
    },
  };
}

/** Reads the text of `out/status.json`; undefined when it is not one (the next run rewrites it). */
export function parseRunStatus(text: string): RunStatus | undefined {
  try {
    const status = JSON.parse(text) as RunStatus;
    const whole = typeof status === 'object' && status !== null && typeof status.lastRun === 'object' && typeof status.totals === 'object' && Array.isArray(status.failing);
    return whole ? status : undefined;
  } catch {
    return undefined;
  }
}

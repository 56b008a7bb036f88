import type { RunStatus } from '../model/run.js';

/** What /healthz answers: the HTTP status and the JSON body. */
export interface HealthAnswer {
  code: 200 | 503;
  body: Record<string, unknown>;
}

/** Failing sources named in /healthz at most; the rest are counted. */
const NAMED_FAILING = 20;

/**
 * The health of the published feed: 503 once the last successful run (one that read at least one source) is older
 * than `staleAfterSeconds`, or when runs are recorded but none succeeded; the body says when the last run was, how it
 * ended and which sources fail. Without a recorded run (a server over a folder from an older version, or before the
 * first run) it reports on the feed file alone, as before.
 */
export function healthAnswer(status: RunStatus | undefined, feed: { exists: boolean; updated: string | null }, nowMs: number, staleAfterSeconds: number): HealthAnswer {
  if (status === undefined) return { code: 200, body: { status: 'ok', feed } };
  const last = status.lastRun;
  const successMs = status.lastSuccessAt === undefined ? NaN : Date.parse(status.lastSuccessAt);
  const ageSeconds = Number.isNaN(successMs) ? undefined : Math.max(0, Math.round((nowMs - successMs) / 1000));
  const healthy = ageSeconds !== undefined && ageSeconds <= staleAfterSeconds;
  return {
    code: healthy ? 200 : 503,
    body: {
      status: healthy ? 'ok' : ageSeconds === undefined ? 'no-successful-run' : 'stale',
      feed,
      lastRun: { at: last.startedAt, outcome: last.outcome, durationMs: last.durationMs, sourcesOk: last.sourcesOk, sourcesFailed: last.sourcesFailed, sourcesSkipped: last.sourcesSkipped },
      lastSuccessAt: status.lastSuccessAt ?? null,
      secondsSinceSuccess: ageSeconds ?? null,
      staleAfterSeconds,
      failingSources: status.failing.length,
      failing: status.failing.slice(0, NAMED_FAILING),
    },
  };
}

import type { FailureKind } from './errors.js';

/** Summary of one pipeline run, stored in the `runs` table and shown in the report. */
export interface RunSummary {
  runId: number;
  /** The injected `now` of the run, ISO 8601. */
  startedAt: string;
  /** Wall time in milliseconds (measured, not injected). */
  durationMs: number;
  sourcesOk: number;
  sourcesFailed: number;
  sourcesSkipped: number;
  articlesNew: number;
  storiesNew: number;
  storiesUpdated: number;
  /** The published feed changed (new bytes written). */
  feedChanged: boolean;
  /** Sources by how their read ended: `ok`, `not-modified`, `skipped`, or the error kind of a failure (`fetch.timeout`). */
  outcomes?: Record<string, number>;
  /** Articles placed in a story that already had a version (joined, exact duplicates). */
  joins?: number;
  /** Entries of the published feed. */
  feedEntries?: number;
  /** Articles the clustering index held (the window); 0 when the run had nothing to assign. */
  indexArticles?: number;
  /** The run read no source by design (`run --no-fetch`, a leader's cycle): workers read them. */
  clusterOnly?: boolean;
}

/** Where a run is, as the pipeline reports it. */
export interface RunProgress {
  stage: 'read' | 'cluster' | 'publish';
  sourcesDone: number;
  sourcesTotal: number;
  /** Articles read so far. */
  articles: number;
}

/** A source that failed in the last run, as /healthz and /metrics name it. */
export interface FailingSource {
  source: string;
  title?: string;
  /** How it failed, `fetch.timeout` (see ERROR_KINDS). */
  kind: FailureKind;
}

/**
 * What the last runs left for the server (`out/status.json`): the last run, the last successful one, the sources
 * failing now, and running totals for /metrics (they restart from zero with a new `out/`, as counters may).
 */
export interface RunStatus {
  lastRun: RunSummary & { outcome: RunOutcome };
  /** The time (`startedAt`) of the last run that read at least one source, ISO 8601. */
  lastSuccessAt?: string;
  failing: FailingSource[];
  totals: {
    runs: Record<string, number>;
    articles: number;
    storiesNew: number;
    storiesUpdated: number;
    joins: number;
    outcomes: Record<string, number>;
  };
}

/**
 * How a run ended: it read something (or, reading none by design, clustered and published what workers read), every
 * source it read failed, or there was nothing to read.
 */
export type RunOutcome = 'ok' | 'all-sources-failed' | 'nothing-read';

/** Feed-level metadata of the merged Atom feed (RFC 4287 §4.1.1). */
export interface FeedMeta {
  /** Stable atom:id of the feed. */
  id: string;
  title: string;
  subtitle?: string;
  /** URL the feed is served at (link rel="self"). */
  selfUrl: string;
  /** Page for people (link rel="alternate"), e.g. the report. */
  homeUrl?: string;
  author: { name: string; uri?: string; email?: string };
  generator: { name: string; version: string; uri?: string };
  /** ISO 8601: the latest `updated` of the published entries, or the run's now when there are none. */
  updated: string;
}

/** Who holds a named lock of the store (the run lock), as recorded in its row. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Wall-clock time the lock was taken, ISO 8601. */
  acquiredAt: string;
  /** Wall-clock end of the holder's lease, ISO 8601; absent in rows written before leases. */
  expiresAt?: string;
}

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
}

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

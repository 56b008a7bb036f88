import type { ErrorKey } from './errors.js';

/** Kinds of source a config can name. */
export type SourceKind = 'feed-url' | 'feed-file' | 'article-dir';

/** A configured source, resolved from config or OPML. */
export interface SourceSpec {
  /** Stable id: from config, else derived from the location. */
  id: string;
  kind: SourceKind;
  /** URL for feed-url, absolute path otherwise. */
  location: string;
  title?: string;
  /** Higher is preferred as canonical. */
  rank: number;
}

/** Fetch state of a feed URL kept between runs. */
export interface SourceState {
  sourceId: string;
  /** Current URL: a permanent redirect replaces the configured one. */
  url: string;
  etag?: string;
  lastModified?: string;
  /** Consecutive failures; reset on success. */
  errorCount: number;
  /** The last failure's message, naming its stage (`fetch: http 404 for https://…`). */
  lastError?: string;
  /** The last failure's stable key (`fetch.http-not-found`, `parse.malformed`), kept apart from its message. */
  lastErrorKind?: ErrorKey;
  lastStatus?: number;
  /** ISO 8601: do not fetch before this (back-off, Retry-After). */
  nextFetchAt?: string;
  /** ISO 8601 of the last successful fetch. */
  lastSuccessAt?: string;
  /** 410 Gone: never fetched again. */
  retired: boolean;
}

import { FeedfoldError } from '../model/errors.js';
import type { FetchOutcome } from '../model/fetch.js';
import type { SourceState } from '../model/source.js';

/** How long a failing feed waits before its next fetch. */
export interface BackoffPolicy {
  /** Delay after the first failure; it doubles with each further consecutive failure. */
  baseMs: number;
  /** Ceiling of the exponential delay. */
  maxMs: number;
  /** Ceiling of a server's Retry-After, so a hostile or broken value cannot park a feed for years. */
  maxRetryAfterMs: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Default back-off: 15 min, 30 min, 1 h … capped at 24 h; Retry-After honoured up to 7 days. */
export const DEFAULT_BACKOFF_POLICY: Readonly<BackoffPolicy> = Object.freeze({
  baseMs: 15 * MINUTE_MS,
  maxMs: 24 * HOUR_MS,
  maxRetryAfterMs: 7 * 24 * HOUR_MS,
});

// 2^52 already exceeds any sensible ceiling; stopping there keeps baseMs * factor finite.
const MAX_EXPONENT = 52;

function parseInstant(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new FeedfoldError('fetch', 'invalid-time', `${what} is not an ISO 8601 instant: ${iso}`);
  return ms;
}

/** Computes the exponential delay after `errorCount` consecutive failures, capped at policy.maxMs. */
export function backoffDelayMs(errorCount: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(errorCount - 1, 0), MAX_EXPONENT);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

/** Returns the source state after one fetch outcome: resets or grows back-off, stores validators, follows moves, retires gone feeds. */
export function applyFetchOutcome(state: SourceState, outcome: FetchOutcome, now: string, policy: BackoffPolicy): SourceState {
  const nowMs = parseInstant(now, 'now');
  const url = outcome.permanentUrl ?? state.url;
  if (outcome.kind === 'error') {
    const errorCount = state.errorCount + 1;
    const retryAfterMs = Math.min(outcome.retryAfterMs ?? 0, policy.maxRetryAfterMs);
    const delayMs = Math.max(backoffDelayMs(errorCount, policy), retryAfterMs);
    const next: SourceState = {
      ...state,
      url,
      errorCount,
      lastError: outcome.message,
      lastErrorKind: `fetch.${outcome.error}`,
      nextFetchAt: new Date(nowMs + delayMs).toISOString(),
      // RFC 9110 §15.5.11: 410 Gone is permanent; the feed is never fetched again.
      retired: state.retired || outcome.error === 'http-gone',
    };
    if (outcome.status === undefined) delete next.lastStatus;
    else next.lastStatus = outcome.status;
    return next;
  }
  const next: SourceState = { ...state, url, errorCount: 0, lastSuccessAt: new Date(nowMs).toISOString() };
  delete next.lastError;
  delete next.lastErrorKind;
  delete next.nextFetchAt;
  // Validators describe one representation: a 200 replaces them (dropping stale ones it lacks), a 304
  // confirms them (RFC 9110 §15.4.5), any other 2xx leaves none we could trust.
  delete next.etag;
  delete next.lastModified;
  const etag = outcome.kind === 'not-modified' ? (outcome.etag ?? state.etag) : outcome.status === 200 ? outcome.etag : undefined;
  const lastModified =
    outcome.kind === 'not-modified' ? (outcome.lastModified ?? state.lastModified) : outcome.status === 200 ? outcome.lastModified : undefined;
  if (etag !== undefined) next.etag = etag;
  if (lastModified !== undefined) next.lastModified = lastModified;
  next.lastStatus = outcome.kind === 'ok' ? outcome.status : 304;
  return next;
}

/** Tells whether a source may be fetched at `now`: not retired and past any back-off or Retry-After. */
export function isDue(state: SourceState, now: string): boolean {
  const nowMs = parseInstant(now, 'now');
  if (state.retired) return false;
  if (state.nextFetchAt === undefined) return true;
  return parseInstant(state.nextFetchAt, 'nextFetchAt') <= nowMs;
}

/**
 * Brings a next-fetch time that lies further ahead of `now` than any back-off or Retry-After can
 * reach (written by a run whose clock was ahead, e.g. `--now 2030-…`) back to the delay the
 * source's failures call for, counted from `now`; returns the state unchanged otherwise.
 */
export function clampNextFetch(state: SourceState, now: string, policy: BackoffPolicy): SourceState {
  if (state.nextFetchAt === undefined) return state;
  const nowMs = parseInstant(now, 'now');
  const next = Date.parse(state.nextFetchAt);
  const horizonMs = Math.max(policy.maxMs, policy.maxRetryAfterMs);
  if (!Number.isNaN(next) && next <= nowMs + horizonMs) return state;
  return { ...state, nextFetchAt: new Date(nowMs + backoffDelayMs(state.errorCount, policy)).toISOString() };
}

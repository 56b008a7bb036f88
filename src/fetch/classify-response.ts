import type { FetchErrorKind } from '../model/fetch.js';
import { parseRetryAfter } from './retry-after.js';

/** Response headers as node:http exposes them (lower-case names). */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What fetchFeed should do with a response, decided from its status line and headers alone. */
export type ResponseAction =
  | { action: 'ok' }
  | { action: 'not-modified' }
  | { action: 'redirect'; permanent: boolean; location: string }
  | { action: 'error'; error: FetchErrorKind; reason: string; retryAfterMs?: number };

/** Returns the first value of a header, whatever shape node:http gave it. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

// RFC 9110 §15.4: 301 and 308 are permanent (the stored URL should change), 302/303/307 are not.
const PERMANENT_REDIRECTS = new Set([301, 308]);
const TEMPORARY_REDIRECTS = new Set([302, 303, 307]);

function withRetryAfter(error: FetchErrorKind, status: number, headers: ResponseHeaders, nowMs: number): ResponseAction {
  const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'), nowMs);
  const action: ResponseAction = { action: 'error', error, reason: `http ${status}` };
  return retryAfterMs === undefined ? action : { ...action, retryAfterMs };
}

/** Maps a status code and headers to one action with a stable error kind, in the manner of miniflux's error keys. */
export function classifyResponse(status: number, headers: ResponseHeaders, nowMs: number): ResponseAction {
  if (status === 304) return { action: 'not-modified' };
  if (status >= 200 && status < 300) return { action: 'ok' };
  if (PERMANENT_REDIRECTS.has(status) || TEMPORARY_REDIRECTS.has(status)) {
    const location = headerValue(headers, 'location');
    if (location === undefined || location.trim() === '') {
      return { action: 'error', error: 'http-server-error', reason: `http ${status} without Location` };
    }
    return { action: 'redirect', permanent: PERMANENT_REDIRECTS.has(status), location: location.trim() };
  }
  if (status === 404) return { action: 'error', error: 'http-not-found', reason: 'http 404' };
  // RFC 9110 §15.5.11: 410 means the feed is gone for good; the source is retired.
  if (status === 410) return { action: 'error', error: 'http-gone', reason: 'http 410' };
  // RFC 6585 §4 (429) and RFC 9110 §15.6.4 (503) may carry Retry-After (§10.2.3); honour it on any 5xx.
  if (status === 429) return withRetryAfter('http-too-many-requests', status, headers, nowMs);
  if (status >= 500 && status < 600) return withRetryAfter('http-server-error', status, headers, nowMs);
  if (status >= 400 && status < 500) return { action: 'error', error: 'http-client-error', reason: `http ${status}` };
  // 1xx never reaches here through node:http; 300, 305 and unknown codes are not something a feed reader can follow.
  return { action: 'error', error: 'http-client-error', reason: `unexpected http ${status}` };
}

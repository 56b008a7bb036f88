import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFetchOutcome, backoffDelayMs, DEFAULT_BACKOFF_POLICY, isDue, type BackoffPolicy } from '../../src/fetch/backoff.js';
import { FeedfoldError } from '../../src/model/errors.js';
import type { FetchOutcome } from '../../src/model/fetch.js';
import type { SourceState } from '../../src/model/source.js';

const NOW = '2026-01-01T00:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const POLICY: BackoffPolicy = { baseMs: 1000, maxMs: 10_000, maxRetryAfterMs: 60_000 };
const START: SourceState = { sourceId: 'feed-a', url: 'https://a.example/feed', etag: '"old"', lastModified: 'Wed, 31 Dec 2025 00:00:00 GMT', errorCount: 0, retired: false };
const SERVER_ERROR: FetchOutcome = { kind: 'error', error: 'http-server-error', status: 500, message: 'fetch: http 500 for https://a.example/feed' };
const OK: FetchOutcome = { kind: 'ok', status: 200, finalUrl: START.url, body: Buffer.from('<rss/>'), etag: '"new"', lastModified: 'Thu, 01 Jan 2026 00:00:00 GMT' };

const delayOf = (s: SourceState): number => Date.parse(s.nextFetchAt!) - NOW_MS;

describe('applyFetchOutcome: back-off', () => {
  it('doubles the delay with each consecutive failure and caps it at maxMs', () => {
    let state = START;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      state = applyFetchOutcome(state, SERVER_ERROR, NOW, POLICY);
      delays.push(delayOf(state));
    }
    expect(state.errorCount).toBe(7);
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('records the stable kind and message, keeps validators, and is not due before nextFetchAt', () => {
    const state = applyFetchOutcome(START, SERVER_ERROR, NOW, POLICY);
    expect(state.lastError).toBe('fetch: http 500 for https://a.example/feed');
    expect(state.lastErrorKind).toBe('fetch.http-server-error');
    expect(state.lastStatus).toBe(500);
    expect(state).toMatchObject({ etag: START.etag, lastModified: START.lastModified, retired: false });
    expect(isDue(state, NOW)).toBe(false);
    expect(isDue(state, state.nextFetchAt!)).toBe(true);
  });

  it('resets everything on success and stores the 200 validators', () => {
    const failing = applyFetchOutcome(applyFetchOutcome(START, SERVER_ERROR, NOW, POLICY), SERVER_ERROR, NOW, POLICY);
    const ok = applyFetchOutcome(failing, OK, '2026-01-02T00:00:00Z', POLICY);
    expect(ok).toMatchObject({ errorCount: 0, etag: '"new"', lastStatus: 200, lastSuccessAt: '2026-01-02T00:00:00.000Z' });
    expect(ok.nextFetchAt).toBeUndefined();
    expect(ok.lastError).toBeUndefined();
    expect(ok.lastErrorKind).toBeUndefined();
    expect(isDue(ok, '2026-01-02T00:00:00Z')).toBe(true);
    // The next failure starts again from the base delay.
    expect(delayOf(applyFetchOutcome(ok, SERVER_ERROR, NOW, POLICY))).toBe(POLICY.baseMs);
  });

  it('drops stale validators on a 200 without them, and on a non-200 success', () => {
    const bare: FetchOutcome = { kind: 'ok', status: 200, finalUrl: START.url, body: Buffer.alloc(0) };
    const s200 = applyFetchOutcome(START, bare, NOW, POLICY);
    expect(s200.etag).toBeUndefined();
    expect(s200.lastModified).toBeUndefined();
    const s203 = applyFetchOutcome(START, { ...OK, status: 203 }, NOW, POLICY);
    expect(s203.etag).toBeUndefined();
  });

  it('keeps validators on a 304 that does not repeat them', () => {
    const state = applyFetchOutcome(START, { kind: 'not-modified', finalUrl: START.url }, NOW, POLICY);
    expect(state).toMatchObject({ etag: START.etag, lastModified: START.lastModified, lastStatus: 304, errorCount: 0 });
  });

  it('waits for Retry-After when it is longer than the back-off, within maxRetryAfterMs', () => {
    const delayWith = (retryAfterMs: number): number =>
      delayOf(applyFetchOutcome(START, { ...SERVER_ERROR, status: 503, retryAfterMs }, NOW, POLICY));
    expect(delayWith(30_000)).toBe(30_000);
    expect(delayWith(10)).toBe(POLICY.baseMs);
    expect(delayWith(10 ** 12)).toBe(POLICY.maxRetryAfterMs);
  });

  it('retires a gone feed and follows a permanent move even on failure', () => {
    const gone: FetchOutcome = { kind: 'error', error: 'http-gone', status: 410, message: 'fetch: http 410 for https://b.example/feed', permanentUrl: 'https://b.example/feed' };
    const state = applyFetchOutcome(START, gone, NOW, POLICY);
    expect(state).toMatchObject({ retired: true, url: 'https://b.example/feed' });
    expect(isDue(state, '2099-01-01T00:00:00Z')).toBe(false);
  });

  it('clears lastStatus when a network error has none', () => {
    const withStatus = applyFetchOutcome(START, SERVER_ERROR, NOW, POLICY);
    const network = applyFetchOutcome(withStatus, { kind: 'error', error: 'network', message: 'fetch: ECONNREFUSED for x' }, NOW, POLICY);
    expect(network.lastStatus).toBeUndefined();
  });

  it('rejects a now that is not an instant', () => {
    expect(() => applyFetchOutcome(START, OK, 'yesterday', POLICY)).toThrow(FeedfoldError);
    expect(() => isDue(START, 'soon')).toThrow(FeedfoldError);
  });

  it('does not mutate the state it is given', () => {
    const copy = structuredClone(START);
    applyFetchOutcome(START, SERVER_ERROR, NOW, POLICY);
    applyFetchOutcome(START, OK, NOW, POLICY);
    expect(START).toEqual(copy);
  });
});

describe('backoffDelayMs', () => {
  it('is non-decreasing in errorCount, never above maxMs, and finite for huge counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 10 }), (n, baseMs, maxMs) => {
        const policy = { baseMs, maxMs, maxRetryAfterMs: 0 };
        const d = backoffDelayMs(n, policy);
        expect(Number.isFinite(d)).toBe(true);
        expect(d).toBeLessThanOrEqual(maxMs);
        expect(backoffDelayMs(n + 1, policy)).toBeGreaterThanOrEqual(d);
      }),
    );
  });

  it('defaults to 15 minutes growing to at most 24 hours', () => {
    expect(backoffDelayMs(1, DEFAULT_BACKOFF_POLICY)).toBe(15 * 60_000);
    expect(backoffDelayMs(100, DEFAULT_BACKOFF_POLICY)).toBe(24 * 3_600_000);
  });
});

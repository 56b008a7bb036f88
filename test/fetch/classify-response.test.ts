import { describe, expect, it } from 'vitest';
import { classifyResponse, type ResponseAction, type ResponseHeaders } from '../../src/fetch/classify-response.js';

const NOW_MS = Date.UTC(2026, 0, 1, 0, 0, 0);
const LOC = { location: 'https://example.org/new' };

describe('classifyResponse: status and headers → action', () => {
  const table: Array<[number, ResponseHeaders, Partial<ResponseAction> & { action: ResponseAction['action'] }]> = [
    [200, {}, { action: 'ok' }],
    [203, {}, { action: 'ok' }],
    [304, {}, { action: 'not-modified' }],
    [301, LOC, { action: 'redirect', permanent: true, location: LOC.location }],
    [308, LOC, { action: 'redirect', permanent: true, location: LOC.location }],
    [302, LOC, { action: 'redirect', permanent: false, location: LOC.location }],
    [303, LOC, { action: 'redirect', permanent: false, location: LOC.location }],
    [307, LOC, { action: 'redirect', permanent: false, location: LOC.location }],
    [301, {}, { action: 'error', error: 'http-server-error' }],
    [300, LOC, { action: 'error', error: 'http-client-error' }],
    [400, {}, { action: 'error', error: 'http-client-error' }],
    [401, {}, { action: 'error', error: 'http-client-error' }],
    [403, {}, { action: 'error', error: 'http-client-error' }],
    [404, {}, { action: 'error', error: 'http-not-found' }],
    [410, {}, { action: 'error', error: 'http-gone' }],
    [429, {}, { action: 'error', error: 'http-too-many-requests' }],
    [429, { 'retry-after': '60' }, { action: 'error', error: 'http-too-many-requests', retryAfterMs: 60_000 }],
    [500, {}, { action: 'error', error: 'http-server-error' }],
    [502, {}, { action: 'error', error: 'http-server-error' }],
    [503, { 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' }, { action: 'error', error: 'http-server-error', retryAfterMs: 60_000 }],
    [503, { 'retry-after': 'whenever' }, { action: 'error', error: 'http-server-error' }],
    [404, { 'retry-after': '60' }, { action: 'error', error: 'http-not-found' }],
  ];

  it.each(table)('%i %j', (status, headers, expected) => {
    const action = classifyResponse(status, headers, NOW_MS);
    expect(action).toMatchObject(expected);
    if (action.action === 'error' && !('retryAfterMs' in expected)) expect(action.retryAfterMs).toBeUndefined();
  });

  it('names the status in the reason so messages read "http 404"', () => {
    const action = classifyResponse(404, {}, NOW_MS);
    expect(action.action === 'error' && action.reason).toBe('http 404');
  });

  it('takes the first value when a header arrives as an array', () => {
    expect(classifyResponse(302, { location: ['/a', '/b'] }, NOW_MS)).toMatchObject({ location: '/a' });
  });
});

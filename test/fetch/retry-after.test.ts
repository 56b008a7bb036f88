import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from '../../src/fetch/retry-after.js';

const NOW_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const cases: Array<[string, string | undefined, number | undefined]> = [
    ['delta-seconds', '120', 120_000],
    ['delta-seconds with spaces', '  30 ', 30_000],
    ['zero seconds', '0', 0],
    ['IMF-fixdate five minutes ahead', 'Thu, 01 Jan 2026 00:05:00 GMT', 300_000],
    ['rfc850 date one hour ahead', 'Thursday, 01-Jan-26 01:00:00 GMT', 3_600_000],
    ['asctime date ten seconds ahead', 'Thu Jan  1 00:00:10 2026', 10_000],
    ['date in the past means now', 'Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['absent header', undefined, undefined],
    ['negative seconds are not delta-seconds', '-5', undefined],
    ['fractional seconds are not delta-seconds', '1.5', undefined],
    ['free text', 'soon', undefined],
    ['ISO 8601 is not an HTTP-date', '2026-01-01T00:05:00Z', undefined],
    ['unknown month', 'Thu, 01 Foo 2026 00:05:00 GMT', undefined],
  ];
  it.each(cases)('%s: %j → %j', (_name, value, expected) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(expected);
  });
});

describe('parseHttpDate', () => {
  it('reads a two-digit rfc850 year more than 50 years ahead as the past century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW_MS)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it('gives the same instant for the three forms of one date', () => {
    const forms = ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994'];
    const parsed = forms.map((f) => parseHttpDate(f, NOW_MS));
    expect(new Set(parsed).size).toBe(1);
    expect(parsed[0]).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });
});

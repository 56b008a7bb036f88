import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/parse/parse-date.js';

describe('parseDate', () => {
  it.each([
    ['Mon, 06 Jan 2025 08:30:00 +0100', '2025-01-06T07:30:00.000Z'],
    ['Mon, 06 Jan 2025 08:30:00 GMT', '2025-01-06T08:30:00.000Z'],
    ['Tue, 06 Jan 2025 08:30 EST', '2025-01-06T13:30:00.000Z'],
    ['6 Jan 25 08:30:00 PDT', '2025-01-06T15:30:00.000Z'],
    ['Sun, 1 Jan 2020', '2020-01-01T00:00:00.000Z'],
    ['Thursday, 01-Jan-04 12:00:00 UT', '2004-01-01T12:00:00.000Z'],
    ['2025-02-01T10:00:00+02:00', '2025-02-01T08:00:00.000Z'],
    ['2025-02-01T10:00:00.123Z', '2025-02-01T10:00:00.123Z'],
    ['2025-02-01 10:00:00', '2025-02-01T10:00:00.000Z'],
    ['2025-02', '2025-02-01T00:00:00.000Z'],
    ['2025', '2025-01-01T00:00:00.000Z'],
    ['20040105T151622Z', '2004-01-05T15:16:22.000Z'],
    ['March 1, 2025', '2025-03-01T00:00:00.000Z'],
  ])('reads %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each(['', 'garbage', 'Mon, 32 Jan 2025 00:00:00 GMT', '2025-02-30', '2025-13-01', 'Foo, 1 Bar 2020'])('gives undefined for %j', (input) => {
    expect(parseDate(input)).toBeUndefined();
  });
});

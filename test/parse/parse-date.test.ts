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

/** Date.UTC-free reading of a date's parts (what parseDate did for every year): the reference for its Date.UTC path. */
function referenceIso(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, offsetMin: number): string | undefined {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second > 60) return undefined;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() + (month === 2 && !((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0) ? -1 : 0);
  if (day > daysInMonth) return undefined;
  if (hour === 24 && (minute !== 0 || second !== 0)) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, Math.min(second, 59), ms);
  return new Date(d.getTime() - offsetMin * 60_000).toISOString();
}

describe('parseDate on generated dates', () => {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  let seed = 20261130;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };

  it('reads every year, month end, leap day, hour 24, leap second and offset as setUTCFullYear does', () => {
    for (let k = 0; k < 5000; k++) {
      const year = [1, 99, 100, 1900, 2000, 2024, 2100, 9999][rand(8)]! + (rand(3) === 0 ? rand(50) : 0);
      const month = 1 + rand(13);
      const day = 1 + rand(31);
      const hour = rand(26);
      const minute = rand(61);
      const second = rand(62);
      const ms = rand(1000);
      const offset = rand(2) === 0 ? 0 : (rand(2) === 0 ? -1 : 1) * (rand(15) * 60 + rand(4) * 15);
      const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
      const iso = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(ms, 3)}${zone}`;
      expect(parseDate(iso), iso).toBe(referenceIso(year, month, day, hour, minute, second, ms, offset));
    }
  });

  it('reads a date with any whitespace as with single spaces', () => {
    const spaces = [' ', '  ', '\t', '\n', ' \u00a0', '\u2003', '\r\n '];
    for (let k = 0; k < 2000; k++) {
      const parts = [['Mon,', 'Tue,', ''][rand(3)]!, String(1 + rand(31)), ['Jan', 'Feb', 'Sept', 'Dez'][rand(4)]!, String(1990 + rand(40)), `${pad(rand(24), 2)}:${pad(rand(60), 2)}:${pad(rand(60), 2)}`, ['GMT', '+0100', 'EST', ''][rand(4)]!].filter((part) => part !== '');
      const single = parts.join(' ');
      const spaced = parts.map((part) => part + spaces[rand(spaces.length)]!).join('');
      expect(parseDate(spaced), JSON.stringify(spaced)).toBe(parseDate(single));
    }
  });
});

/**
 * Dates as toISOString writes them (`2025-03-04T10:12:00.000Z`), the form feed parsers, the store and batch lines carry
 * most dates in, read from their digits: Date.parse costs several times more.
 */

/** Days of each month of a common year; February of a leap year has one more. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MS_PER_DAY = 86_400_000;

/** The value of the `count` ASCII digits of `value` from `at`; -1 when one of them is no digit. */
function digitsAt(value: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (what Date.parse counts), in integer arithmetic:
 * years counted from March, so the leap day ends a year (H. Hinnant, "chrono-compatible low-level date algorithms").
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The time in milliseconds of a date written exactly as toISOString writes it, years 0001–9999, when it names a real
 * moment (a day its month has, hours to 23, minutes and seconds to 59): what Date.parse reads of it. NaN for anything
 * else (another form, February 30, 24:00, the year 0000), which callers read their own way.
 */
export function isoTimeMs(value: string): number {
  if (value.length !== 24 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || value.charCodeAt(19) !== 46 || value.charCodeAt(23) !== 90) {
    return Number.NaN;
  }
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hours = digitsAt(value, 11, 2);
  const minutes = digitsAt(value, 14, 2);
  const seconds = digitsAt(value, 17, 2);
  const ms = digitsAt(value, 20, 3);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59 || ms < 0) return Number.NaN;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (MONTH_DAYS[month - 1] as number) + (leap ? 1 : 0)) return Number.NaN;
  return daysFromCivil(year, month, day) * MS_PER_DAY + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + ms;
}

/**
 * A date's time in milliseconds as Date.parse reads it: a date in toISOString form (what normalize writes and the store
 * holds) from its digits (isoTimeMs), anything else by Date.parse.
 */
export function parseTimeMs(value: string): number {
  const ms = isoTimeMs(value);
  return Number.isNaN(ms) ? Date.parse(value) : ms;
}

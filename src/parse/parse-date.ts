import type { RawEntry } from '../model/raw-entry.js';
/** Month names and common abbreviations (English, plus the few non-English forms seen in feeds). */
const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  mär: 3, mrz: 3, mai: 5, okt: 10, dez: 12, juni: 6, juli: 7,
};

/** Zone names in minutes east of UTC: RFC 822 §5.1 names, plus ones servers send anyway. */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  bst: 60, ist: 330, cet: 60, cest: 120, met: 60, mest: 120, eet: 120, eest: 180, msk: 180,
  jst: 540, kst: 540, hkt: 480, sgt: 480, awst: 480, acst: 570, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
  // RFC 822 military zones; RFC 1123 §5.2.14 notes their sign was defined backwards, so only Z is trusted.
  a: 0, m: 0, n: 0, y: 0,
};

const ISO_RE = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[Tt\s]+(\d{1,2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const RFC822_RE = /^(?:[A-Za-z]+\.?,?\s*)?(\d{1,2})(?:\s+|-)([A-Za-zäÄ]+)\.?,?(?:\s+|-)(\d{2,4})(?:[\sT,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(?:([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})(?:\s*\(.*\))?)?\.?$/;
// "Mon Jan 02 2006 15:04:05 GMT+0000" and ctime-like "Mon Jan  2 15:04:05 2006".
const MONTH_FIRST_RE = /^(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:[\s,]+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(?:GMT|UTC)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?$/;
const CTIME_RE = /^[A-Za-z]+\s+([A-Za-z]+)\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(?:([A-Za-z]{1,5})\s+)?(\d{4})$/;

/** Parses a feed date (RFC 822/1123 and real-world variants, RFC 3339, ISO 8601, W3CDTF) into ISO 8601 UTC, or undefined. */
export function parseDate(s: string): string | undefined {
  const t = collapseSpaces(s.trim());
  if (t === '' || t.length > 100) return undefined;
  let m = ISO_RE.exec(t);
  if (m) {
    const frac = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    return build(num(m[1]), num(m[2], 1), num(m[3], 1), num(m[4], 0), num(m[5], 0), num(m[6], 0), frac, zoneOffset(m[8]));
  }
  m = RFC822_RE.exec(t);
  if (m) {
    const month = monthOf(m[2]);
    if (month === undefined) return undefined;
    return build(fullYear(m[3] as string), month, num(m[1]), num(m[4], 0), num(m[5], 0), num(m[6], 0), 0, zoneOffset(m[7]));
  }
  m = MONTH_FIRST_RE.exec(t);
  if (m) {
    const month = monthOf(m[1]);
    if (month === undefined) return undefined;
    return build(num(m[3]), month, num(m[2]), num(m[4], 0), num(m[5], 0), num(m[6], 0), 0, zoneOffset(m[7]));
  }
  m = CTIME_RE.exec(t);
  if (m) {
    const month = monthOf(m[1]);
    if (month === undefined) return undefined;
    return build(num(m[7]), month, num(m[2]), num(m[3]), num(m[4]), num(m[5]), 0, zoneOffset(m[6]));
  }
  return undefined;
}

/**
 * Returns a trimmed date with each run of whitespace as one space, as `replace(/\s+/g, ' ')` makes it: without the
 * replacement (a new string) when every character is printable ASCII and no two spaces meet, as in most dates.
 */
function collapseSpaces(t: string): string {
  for (let i = 0; i < t.length; i++) {
    const code = t.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || (code === 0x20 && t.charCodeAt(i + 1) === 0x20)) return t.replace(/\s+/g, ' ');
  }
  return t;
}

function num(s: string | undefined, fallback = NaN): number {
  return s === undefined ? fallback : Number(s);
}

function monthOf(name: string | undefined): number | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  return MONTHS[n] ?? MONTHS[n.slice(0, 3)];
}

// RFC 2822 §4.3: two-digit years below 50 are 20xx, others 19xx; three digits add 1900.
function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  if (y.length === 3) return 1900 + n;
  return n;
}

/** Returns minutes east of UTC, NaN for an unknown zone; a missing zone is read as UTC. */
function zoneOffset(z: string | undefined): number {
  if (z === undefined || z === '') return 0;
  const signed = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (signed) {
    const minutes = Number(signed[2]) * 60 + Number(signed[3] ?? '0');
    return signed[1] === '-' ? -minutes : minutes;
  }
  // An unknown name is read as UTC rather than losing the date: off by hours, not by years.
  return ZONES[z.toLowerCase()] ?? 0;
}

/** Days of each month in a leap year (February's 29 is one less in other years). */
const LEAP_YEAR_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, offsetMin: number): string | undefined {
  if (!(Number.isFinite(year) && Number.isFinite(month) && Number.isFinite(day) && Number.isFinite(hour) && Number.isFinite(minute) && Number.isFinite(second) && Number.isFinite(offsetMin))) return undefined;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second > 60) return undefined;
  const daysInMonth = (LEAP_YEAR_MONTH_DAYS[month - 1] as number) + (month === 2 && !isLeap(year) ? -1 : 0);
  if (day > daysInMonth) return undefined;
  if (hour === 24 && (minute !== 0 || second !== 0)) return undefined;
  let time: number;
  if (year >= 100) {
    time = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  } else {
    const d = new Date(0);
    // setUTCFullYear keeps years 0–99 literal, where Date.UTC would add 1900.
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(hour, minute, Math.min(second, 59), ms);
    time = d.getTime();
  }
  time -= offsetMin * 60_000;
  if (!Number.isFinite(time)) return undefined;
  return new Date(time).toISOString();
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Sets an entry's published and updated dates from the source's raw strings: the raw string is
 * always kept, the ISO date only when it parses (a bad date never fails the item).
 */
export function setEntryDates(e: RawEntry, publishedRaw: string | undefined, updatedRaw: string | undefined): void {
  if (publishedRaw) {
    e.publishedRaw = publishedRaw;
    const iso = parseDate(publishedRaw);
    if (iso) e.published = iso;
  }
  if (updatedRaw) {
    e.updatedRaw = updatedRaw;
    const iso = parseDate(updatedRaw);
    if (iso) e.updated = iso;
  }
}

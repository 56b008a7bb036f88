const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MS_PER_SECOND = 1000;

// The three HTTP-date forms of RFC 9110 §5.6.7; recipients must accept all three.
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(year: number, month: string, day: string, h: string, m: string, s: string): number | undefined {
  const monthIndex = MONTHS.findIndex((name) => name.toLowerCase() === month.toLowerCase());
  if (monthIndex < 0) return undefined;
  const t = Date.UTC(year, monthIndex, Number(day.trim()), Number(h), Number(m), Number(s));
  return Number.isNaN(t) ? undefined : t;
}

/** Parses an HTTP-date (RFC 9110 §5.6.7) into epoch milliseconds, or undefined when it is none of the three forms. */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
  const v = value.trim();
  let m = IMF_FIXDATE.exec(v);
  if (m) return utc(Number(m[3]), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  m = ASCTIME_DATE.exec(v);
  if (m) return utc(Number(m[6]), m[1]!, m[2]!, m[3]!, m[4]!, m[5]!);
  m = RFC850_DATE.exec(v);
  if (!m) return undefined;
  // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future means the past century.
  const nowYear = new Date(nowMs).getUTCFullYear();
  let year = Math.floor(nowYear / 100) * 100 + Number(m[3]);
  if (year > nowYear + 50) year -= 100;
  return utc(year, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
}

/** Converts a Retry-After value (RFC 9110 §10.2.3: delta-seconds or HTTP-date) into milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const ms = Number(v) * MS_PER_SECOND;
    return Number.isFinite(ms) ? ms : undefined;
  }
  const at = parseHttpDate(v, nowMs);
  // A date in the past means "retry now", not a negative delay.
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}

/**
 * HTTP validator logic for the server (RFC 9110 §8.8, §13.1): pure functions, table-testable.
 */

/** Returns the opaque-tag of an entity tag, dropping the weak indicator `W/`. */
function opaqueTag(tag: string): string {
  const trimmed = tag.trim();
  return trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed;
}

/**
 * Evaluates If-None-Match (RFC 9110 §13.1.2): true when the header is `*` or lists a tag that
 * matches one of `current` under weak comparison (opaque-tags equal, `W/` ignored).
 */
export function ifNoneMatchMatches(header: string, current: readonly string[]): boolean {
  const value = header.trim();
  if (value === '*') return true;
  const wanted = new Set(current.map(opaqueTag));
  // An opaque-tag may itself contain commas (RFC 9110 §8.8.3 etagc), so tags are read as quoted
  // strings rather than split on commas.
  for (const match of value.matchAll(/(?:W\/)?"[^"]*"/g)) {
    if (wanted.has(opaqueTag(match[0]))) return true;
  }
  return false;
}

/**
 * Evaluates If-Modified-Since (RFC 9110 §13.1.3): true when the resource has not changed since the
 * given HTTP-date (compared at one-second resolution, as Last-Modified carries); false when the
 * date is invalid, so an unreadable header never produces a 304.
 */
export function notModifiedSince(header: string, lastModifiedMs: number): boolean {
  const since = Date.parse(header);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModifiedMs / 1000) <= Math.floor(since / 1000);
}

/**
 * Tells whether a request's Accept-Encoding (RFC 9110 §12.5.3) allows gzip: `gzip`, `x-gzip` or
 * `*` with a non-zero quality, unless gzip itself is listed with q=0.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [rawCoding, ...params] = part.split(';');
    const coding = (rawCoding ?? '').trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [key, val] = param.split('=');
      if ((key ?? '').trim().toLowerCase() === 'q') {
        const parsed = Number((val ?? '').trim());
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    if (coding === 'gzip' || coding === 'x-gzip') gzip = Math.max(gzip ?? 0, q);
    else if (coding === '*') star = q;
  }
  if (gzip !== undefined) return gzip > 0;
  return star !== undefined && star > 0;
}

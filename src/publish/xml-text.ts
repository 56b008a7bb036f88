/**
 * Text helpers for the Atom document: XML-safe strings, RFC 3339 dates, and the minimal
 * post-processing feedsmith's pretty-printed output needs.
 */

// XML 1.0 §2.2 Char: tab, LF, CR and U+0020 upwards, minus surrogates and U+FFFE/U+FFFF.
// A lone surrogate or a control character would make the whole feed ill-formed for every reader.
const NON_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes characters that XML 1.0 does not allow, so one bad title cannot break the feed. */
export function xmlSafe(value: string): string {
  return value.replace(NON_XML_CHARS, '');
}

// Unicode bidirectional controls (UAX #9: embeddings, overrides, isolates, marks) and the C1
// controls (but NEL, U+0085, a line break): invisible, and in a title or a name they reorder what
// follows (a "U+202E" title shows its words backwards, and can make one name look like another),
// so one-line text never keeps them.
const DISPLAY_CONTROLS = /[\u0080-\u0084\u0086-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Longest one-line value (a title, a name) published, in characters; a longer one is cut with "…". */
export const LINE_MAX_CHARS = 1000;

/**
 * Makes single-line text of a title or a name: XML-safe, without bidirectional or other control
 * characters, whitespace runs collapsed to one space, trimmed, and cut at LINE_MAX_CHARS.
 */
export function oneLine(value: string): string {
  const line = xmlSafe(value).replace(DISPLAY_CONTROLS, '').replace(/[\s\u0085]+/g, ' ').trim();
  if (line.length <= LINE_MAX_CHARS) return line;
  let cut = LINE_MAX_CHARS - 1;
  // Never end between the two halves of a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(line.charAt(cut - 1))) cut--;
  return `${line.slice(0, cut).trimEnd()}…`;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return xmlSafe(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// RFC 4287 §3.1.1.1: type="text" content is shown as is, so markup in it is shown, not rendered.
// The W3C feed validator warns ("may contain HTML") on an end tag or a character reference in a
// text construct; such a value is published as type="html", escaped, which shows the same text.
const READS_AS_MARKUP = /<\/[A-Za-z][\w:.-]*\s*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);/;

/** Returns an Atom text construct for plain text: type="text", or escaped type="html" when it would read as markup. */
export function textConstruct(value: string): { value: string; type: 'text' | 'html' } {
  return READS_AS_MARKUP.test(value) ? { value: escapeHtml(value), type: 'html' } : { value, type: 'text' };
}

/**
 * Formats an ISO 8601 instant as an RFC 3339 date-time in UTC (`2025-03-01T00:00:00Z`), keeping
 * milliseconds only when they are not zero; returns undefined for unparseable input.
 */
export function toRfc3339(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Returns true for absolute http(s) URLs, the only ones worth a link in a feed reader. */
export function isHttpUrl(value: string | undefined): value is string {
  if (value === undefined) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// RFC 4287 §4.2.7.4 hreflang is an RFC 3066 tag; atom.rnc checks this exact pattern.
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

/** Returns true when the value is a language tag atom.rnc accepts. */
export function isLanguageTag(value: string | undefined): value is string {
  return value !== undefined && LANGUAGE_TAG.test(value);
}

const FRACTION_ZERO_DATE = /<(updated|published)>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000Z<\/\1>/g;

/**
 * Tightens feedsmith's pretty-printed XML: pretty-printing puts a newline and indentation around
 * every CDATA section, which would become part of the title, id or name value (RFC 4287 §4.2.6
 * compares ids character by character), and its dates always carry `.000` milliseconds.
 * CDATA sections are located exactly (they end at the first `]]>`), and only the whitespace
 * outside them is touched, so no content changes.
 */
export function tightenFeedsmithXml(xml: string): string {
  let out = '';
  let last = 0;
  // Each section ends at the first `]]>` after its start; one without an end ends the search.
  for (let start = xml.indexOf('<![CDATA['); start !== -1; start = xml.indexOf('<![CDATA[', last)) {
    const close = xml.indexOf(']]>', start + 9);
    if (close === -1) break;
    out += xml.slice(last, start).replace(/>\n[ \t]*$/, '>').replace(/^\n[ \t]*(?=<\/)/, '');
    out += xml.slice(start, close + 3);
    last = close + 3;
  }
  out += xml.slice(last).replace(/^\n[ \t]*(?=<\/)/, '');
  // Dates live outside CDATA (they never hold <, > or &), so a plain replace is safe here.
  return out.replace(FRACTION_ZERO_DATE, '<$1>$2Z</$1>');
}

import { isBareEmail, nameAfterEmail } from './author-email.js';
import { normalizeLine } from './clean-text.js';
import { htmlToText } from './html-to-text.js';
import { trimEndWhere } from './trim-end.js';
import { isoTimeMs } from '../model/iso-time.js';

/** Longest derived title, in characters, ellipsis included. */
export const DERIVED_TITLE_MAX_CHARS = 110;
/** Longest title, name or category kept, in characters, ellipsis included: no headline comes near it. */
export const LINE_MAX_CHARS = 1000;
/** Earliest and latest years accepted in a date: outside them the date is a parse accident. */
const MIN_YEAR = 1970;
const MAX_YEAR = 2100;

// A tag opens with '<' and a letter, '/' or '!' and closes with a later '>'; a character reference is
// '&name;' or '&#digits;'. Tested apart: /<[a-z/!][^>]*>/ retried from every '<' to the end of the
// text, time quadratic in a run of unclosed tags.
const TAG_OPEN = /<[a-z/!]/i;
const CHARACTER_REFERENCE = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;
const FOUR_DIGIT_YEAR = /\b(?:19|20)\d{2}\b/;
const FIRST_SENTENCE = /^(.+?[.!?])(?:["”’)]?)(?:\s|$)/u;
const TRAILING_PUNCTUATION = /[\s,;:–—-]/u;

/** Returns true when a string holds markup or character references and must be read as HTML. */
export function looksLikeHtml(value: string): boolean {
  const tag = TAG_OPEN.exec(value);
  // The first tag opening is the one with the most text after it: a '>' anywhere after it closes a tag.
  if (tag !== null && value.indexOf('>', tag.index + 2) !== -1) return true;
  return CHARACTER_REFERENCE.test(value);
}

/**
 * Returns a one-line plain title: markup stripped, entities decoded, NFKC, no bidirectional or
 * control characters, whitespace collapsed, cut at LINE_MAX_CHARS with "…".
 */
export function cleanTitle(title: string | undefined): string {
  if (typeof title !== 'string') return '';
  const line = normalizeLine(looksLikeHtml(title) ? htmlToText(title) : title);
  if (line.length <= LINE_MAX_CHARS) return line;
  let cut = LINE_MAX_CHARS - 1;
  // Never end between the two halves of a surrogate pair.
  const last = line.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${line.slice(0, cut).trimEnd()}…`;
}

/** Derives a title from article text: its first sentence or line, cut at a word boundary with "…" when long. */
export function deriveTitle(text: string): string {
  const firstLine = (text.split('\n').find((line) => line.trim() !== '') ?? '').trim();
  const sentence = FIRST_SENTENCE.exec(firstLine)?.[1] ?? firstLine;
  if (sentence.length <= DERIVED_TITLE_MAX_CHARS) return sentence;
  const cut = sentence.slice(0, DERIVED_TITLE_MAX_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${trimEndWhere(space > DERIVED_TITLE_MAX_CHARS / 2 ? cut.slice(0, space) : cut, (ch) => TRAILING_PUNCTUATION.test(ch))}…`;
}

/** Returns the author's display name: "jane@example.com (Jane Doe)" (RSS 2.0 form) becomes "Jane Doe"; undefined when empty. */
export function cleanAuthor(author: string | undefined): string | undefined {
  if (typeof author !== 'string') return undefined;
  let name = cleanTitle(author);
  const withName = nameAfterEmail(name);
  if (withName !== undefined) name = withName.trim();
  else if (name.startsWith('noreply@') && isBareEmail(name)) return undefined;
  return name === '' ? undefined : name;
}

/** Returns the categories cleaned, without empties and without case-insensitive repeats, in feed order. */
export function cleanCategories(categories: readonly string[] | undefined): string[] {
  if (!Array.isArray(categories)) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of categories) {
    if (typeof raw !== 'string') continue;
    const category = cleanTitle(raw);
    const key = category.toLowerCase();
    if (category === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(category);
  }
  return out;
}

/** The first moment validIso keeps (MIN_YEAR) and the first past it (after MAX_YEAR), in milliseconds. */
const MIN_MS = Date.UTC(MIN_YEAR, 0, 1);
const PAST_MAX_MS = Date.UTC(MAX_YEAR + 1, 0, 1);

/**
 * Tells whether `value` is already what validIso returns for it: a date as toISOString writes it
 * (`2025-03-04T10:12:00.000Z`) of a year validIso keeps, naming a real day and time. Most dates reach
 * normalize in this form (a feed parser's output, a batch line's), and are then kept as they are
 * without being parsed and written again.
 */
export function isCanonicalIso(value: string): boolean {
  const ms = isoTimeMs(value);
  return ms >= MIN_MS && ms < PAST_MAX_MS;
}

function validIso(value: string): string | undefined {
  if (isCanonicalIso(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR ? date.toISOString() : undefined;
}

/**
 * Returns an ISO 8601 UTC date from the parsed value, else from the raw string when it names a
 * year; undefined when neither is a plausible date (a bad date never fails an item).
 */
export function normalizeDate(iso: string | undefined, raw: string | undefined): string | undefined {
  if (typeof iso === 'string' && iso.trim() !== '') {
    const valid = validIso(iso.trim());
    if (valid !== undefined) return valid;
  }
  if (typeof raw === 'string' && FOUR_DIGIT_YEAR.test(raw)) return validIso(raw.trim());
  return undefined;
}

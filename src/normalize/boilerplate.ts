import { trimEndWhere } from './trim-end.js';
import { hasWords, isBoilerplateLine, isEndMarker, isSeparatorLine, stripTrailingFurniture } from './boilerplate-lines.js';
import { collapseWhitespace, hasNormalSpacing, isAscii, nfkc } from './clean-text.js';
import { mapPacked } from '../model/packed-map.js';

/** What a source's other items tell about this one. */
export interface BoilerplateContext {
  /** Line keys (see {@link lineKey}) repeated across the source's items: template lines. */
  repeatedLines?: ReadonlySet<string>;
  /** True when the text is normalizeText's (or a cut of it): its lines then have no whitespace to collapse, and none is looked for. */
  normalized?: boolean;
}

/** Words from which a line is an article paragraph rather than a heading, caption or list item. */
export const BODY_LINE_MIN_WORDS = 20;
/** Words from which a line after an end marker is prose that must be kept (not a sidebar item)… */
export const PROSE_LINE_MIN_WORDS = 50;
/** …or from which a finished sentence after it is. */
export const PROSE_SENTENCE_MIN_WORDS = 20;
/** Words up to which a line without closing punctuation reads as a headline. */
export const HEADLINE_MAX_WORDS = 35;
/** Headline-like lines that make a trailing run a list of other stories. */
export const TRAILING_RUN_MIN_LINES = 3;
/** Share of a source's items a line must appear in to be a template line (with at least two items). */
export const REPEATED_LINE_MIN_SHARE = 0.3;
/** Items a line must appear in, at the least, to be a template line. */
export const REPEATED_LINE_MIN_ITEMS = 2;

const BLANK_LINE_RUN = /\n{3,}/g;
// A line "ends" a sentence when its last visible character (after quotes/brackets) is one of these.
const CLOSING_WRAPPER = /["”’'»)\]]/u;
const TERMINAL_PUNCTUATION = /[.!?:;]$/u;
const ELLIPSIS_END = /(?:\.\.\.|…)$/u;

/** Returns a line without the quotes and brackets that close it. */
function withoutClosingWrappers(line: string): string {
  return trimEndWhere(line, (ch) => CLOSING_WRAPPER.test(ch));
}

/** Returns the key under which a line is compared across items: NFKC, lower case, whitespace collapsed. */
export function lineKey(line: string): string {
  return collapseWhitespace(nfkc(line).toLowerCase());
}

/**
 * Returns lineKey for lines of text as `normalized` says it is: an ASCII line of normalizeText's
 * is NFKC and collapsed already, and only lower-cased. (Another may hold the "…" of a cut, which
 * NFKC changes.)
 */
function lineKeyFor(normalized: boolean | undefined): (line: string) => string {
  return normalized === true ? (line) => (isAscii(line) ? line.toLowerCase() : lineKey(line)) : lineKey;
}

/** A short line that does not end a sentence: a headline, teaser or link title. */
function isHeadlineLike(line: string): boolean {
  if (hasWords(line, HEADLINE_MAX_WORDS + 1)) return false;
  const bare = withoutClosingWrappers(line);
  return ELLIPSIS_END.test(bare) || !TERMINAL_PUNCTUATION.test(bare);
}

/**
 * Finds template lines of one source: lines (by {@link lineKey}) that occur in at least
 * REPEATED_LINE_MIN_ITEMS items and in at least REPEATED_LINE_MIN_SHARE of all items. `normalized`
 * says the texts are normalizeText's (see BoilerplateContext).
 */
export function findRepeatedLines(texts: readonly string[], normalized?: boolean): Set<string> {
  // Fewer items than a template line needs to appear in: none can be one.
  if (texts.length < REPEATED_LINE_MIN_ITEMS) return new Set();
  const keyOf = lineKeyFor(normalized);
  const counts = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    // The lines of a normalized ASCII text are their own keys but for case: the text is lower-cased once, not line by line.
    const whole = normalized === true && isAscii(text);
    for (const line of (whole ? text.toLowerCase() : text).split('\n')) {
      const key = whole ? line : keyOf(line);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const minItems = Math.max(REPEATED_LINE_MIN_ITEMS, Math.ceil(texts.length * REPEATED_LINE_MIN_SHARE));
  const repeated = new Set<string>();
  for (const [key, count] of counts) if (count >= minItems) repeated.add(key);
  return repeated;
}

/** A line that reads as article prose: long, or a finished sentence of some length. */
function isProse(line: string): boolean {
  return hasWords(line, PROSE_LINE_MIN_WORDS) || (hasWords(line, PROSE_SENTENCE_MIN_WORDS) && TERMINAL_PUNCTUATION.test(withoutClosingWrappers(line)));
}

/** Index of the first line long enough to be article body, or -1. */
function firstBodyLine(lines: readonly string[]): number {
  return lines.findIndex((line) => hasWords(line, BODY_LINE_MIN_WORDS));
}

/** Drops everything from a sidebar/tags/related header on, when what follows holds no prose. */
function cutAtEndMarker(lines: string[], bodyStart: number): string[] {
  for (let i = bodyStart + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!isEndMarker(line)) continue;
    const rest = lines.slice(i + 1);
    if (!rest.some(isProse)) return lines.slice(0, i);
  }
  return lines;
}

/** Drops the site name, repeated headline, kicker and byline lines that precede the first paragraph. */
function dropLeadingHeader(lines: string[], bodyStart: number): string[] {
  let start = 0;
  while (start < bodyStart) {
    const line = lines[start] ?? '';
    if (line !== '' && !isHeadlineLike(line)) break;
    start++;
  }
  return lines.slice(start);
}

/** Drops a closing run of headline-like lines (a list of other stories) after the article's end. */
function dropTrailingHeadlines(lines: string[]): string[] {
  let end = lines.length;
  let headlines = 0;
  let cut = lines.length;
  while (end > 0) {
    const line = lines[end - 1] ?? '';
    if (line === '' || isSeparatorLine(line)) {
      end--;
      continue;
    }
    if (!isHeadlineLike(line)) break;
    headlines++;
    end--;
    cut = end;
  }
  // Keep the run when nothing before it is article body: then the list is the item.
  if (headlines < TRAILING_RUN_MIN_LINES || firstBodyLine(lines.slice(0, cut)) === -1) return lines;
  return lines.slice(0, cut);
}

/**
 * Joins the lines kept, blank-line runs shortened and the ends trimmed. `lines` still being `split`, the lines `text`
 * was split into, the text is its own join: most texts lose no line, and are then not copied again.
 */
function joinLines(lines: readonly string[], text: string, split: readonly string[]): string {
  const joined = sameLines(lines, split) ? text : lines.join('\n');
  return (joined.includes('\n\n\n') ? joined.replace(BLANK_LINE_RUN, '\n\n') : joined).trim();
}

/** Tells whether two lists hold the same lines in the same order. */
function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Removes boilerplate from normalized article text: lines that are furniture by their wording
 * (share prompts, bylines, copyright, credits, related/newsletter/cookie notices), caption
 * sentences ending in an agency credit, everything after a sidebar/tags/related header, the
 * header lines before the first paragraph, a closing run of other stories' headlines, and the
 * source's template lines from `ctx.repeatedLines` (skipped if it would leave nothing). The text
 * returned is spaced as normalizeText spaces text (see hasNormalSpacing), whatever the input's spacing.
 */
export function removeBoilerplate(text: string, ctx: BoilerplateContext = {}): string {
  const split = text.split('\n');
  let lines = ctx.normalized === true || hasNormalSpacing(text) ? split : mapPacked(split, collapseWhitespace);
  const repeated = ctx.repeatedLines;
  if (repeated !== undefined && repeated.size > 0) {
    const keyOf = lineKeyFor(ctx.normalized);
    const kept = mapPacked(lines, (line) => (repeated.has(keyOf(line)) ? '' : line));
    if (kept.some((line) => line !== '')) lines = kept;
  }
  const bodyStart = firstBodyLine(lines);
  if (bodyStart !== -1) lines = cutAtEndMarker(lines, bodyStart);
  lines = mapPacked(lines, (line) => (line === '' || isBoilerplateLine(line) ? '' : stripTrailingFurniture(line)));
  const bodyAfterLines = firstBodyLine(lines);
  if (bodyAfterLines !== -1) {
    lines = dropLeadingHeader(lines, bodyAfterLines);
    lines = dropTrailingHeadlines(lines);
  }
  return joinLines(lines, text, split);
}

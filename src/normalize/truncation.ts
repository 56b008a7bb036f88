import { countWords } from './clean-text.js';

/**
 * Markers a feed puts at the end of a cut excerpt: an ellipsis ("…", "...", "[…]", "[...]"),
 * "(more…)", or a read-on link ("Read more", "Continue reading", "Weiterlesen", "Lire la suite",
 * "Leer más"), possibly followed by the title or site and an arrow.
 */
const CUT_MARKER = new RegExp(
  '(?:(?:…|\\.{3}|\\[\\s*(?:…|\\.{3})\\s*\\]|\\(\\s*more\\s*(?:…|\\.{3})?\\s*\\))' +
    '|(?:^|[\\n.…!?)\\]|–—-]\\s*)(?:read more|read the (?:full|rest of the) (?:story|article|post)|continue reading|keep reading|weiterlesen|mehr lesen|lire la suite|leer más|seguir leyendo|continua a leggere|lees verder|leia mais)' +
    '(?:[\\s:]+[^.!?\\n]{0,120})?(?:…|\\.{3})?)' +
    '[\\s»›→>]*$',
  'iu',
);

/**
 * Words below which a summary-only item is an excerpt rather than a full article: feeds that
 * carry full text in <description> run to hundreds of words (news stories rarely go under
 * 150), while teasers stay within two or three sentences.
 */
export const EXCERPT_MAX_WORDS = 100;

/** What may follow a cut marker (the end of CUT_MARKER). */
const MARKER_CLOSER = /[\s»›→>]/u;

/**
 * Returns true when text ends with an excerpt's cut marker (ellipsis or a read-more link). No marker ends in "!" or
 * "?", nor in a "." but that of "...": a text that ends so before the closers (a finished sentence, as most do) has
 * none, known without the pattern, which is tried at each of the last 300 characters.
 */
export function endsWithCutMarker(text: string): boolean {
  const tail = text.slice(-300).trimEnd();
  let end = tail.length;
  while (end > 0 && MARKER_CLOSER.test(tail[end - 1] as string)) end--;
  const last = tail.charCodeAt(end - 1);
  if (last === 0x21 || last === 0x3f || (last === 0x2e && !tail.endsWith('...', end))) return false;
  return CUT_MARKER.test(tail);
}

/**
 * Decides whether only an excerpt of the article is known. The rule: the body ends with a cut
 * marker (see {@link endsWithCutMarker}), or the feed gave no full content and its summary (as
 * `cleanText`, its words counted only then, and only up to the limit) is shorter than EXCERPT_MAX_WORDS words (an item with
 * no body at all counts as truncated).
 */
export function looksTruncated(bodyText: string, hasFullContent: boolean, cleanText: string): boolean {
  if (endsWithCutMarker(bodyText)) return true;
  return !hasFullContent && countWords(cleanText, EXCERPT_MAX_WORDS) < EXCERPT_MAX_WORDS;
}

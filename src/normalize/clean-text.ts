// Precompiled once: normalizeText runs for every article.
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LINE_ENDINGS = /\r\n?|[\u2028\u2029\u0085]/g;
const HORIZONTAL_SPACE_RUN = /[^\S\n]+/g;
const BLANK_LINE_RUN = /\n{3,}/g;
const ANY_WHITESPACE_RUN = /\s+/g;
// Unicode bidirectional controls (UAX #9: embeddings, overrides, isolates, marks) and the C1
// controls but NEL (a line break, see LINE_ENDINGS): in a title or a name they reorder what follows ("U+202E" shows the rest backwards).
const DISPLAY_CONTROLS = /[\u0080-\u0084\u0086-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Normalizes text for storage and comparison: Unicode NFKC (UAX #15: compatibility forms such
 * as no-break spaces, ligatures and full-width letters become their plain equivalents), no
 * zero-width or control characters, one space between words, trimmed lines, at most one blank
 * line between paragraphs.
 */
export function normalizeText(text: string): string {
  const lines = text
    .normalize('NFKC')
    .replace(LINE_ENDINGS, '\n')
    .replace(ZERO_WIDTH, '')
    .replace(CONTROL_CHARS, ' ')
    .replace(HORIZONTAL_SPACE_RUN, ' ')
    .split('\n');
  for (let i = 0; i < lines.length; i++) lines[i] = (lines[i] ?? '').trim();
  return lines.join('\n').replace(BLANK_LINE_RUN, '\n\n').trim();
}

/**
 * Normalizes a one-line string (a title, an author, an outlet's name): as {@link normalizeText},
 * without bidirectional or C1 control characters, all whitespace collapsed to single spaces.
 */
export function normalizeLine(text: string): string {
  return normalizeText(text.replace(DISPLAY_CONTROLS, '')).replace(ANY_WHITESPACE_RUN, ' ');
}

/** Counts the words (whitespace-separated tokens) of `text`. */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || code === 10 || code === 9 || code === 13;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

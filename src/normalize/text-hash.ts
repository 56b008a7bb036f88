import { hash } from 'node:crypto';
import { codePointAt, isPunctuationOrSymbol } from './char-classes.js';
import { isAscii, isWhitespace } from './clean-text.js';

/** Hex characters kept from a sha256 digest: 64 bits, ample for per-source ids and duplicate keys. */
export const SHORT_HASH_HEX_CHARS = 16;

/** Returns the first `hexChars` hex digits of the sha256 of `input` (UTF-8), the same for the same input. */
export function shortHash(input: string, hexChars: number = SHORT_HASH_HEX_CHARS): string {
  return hash('sha256', input, 'hex').slice(0, hexChars);
}

/** ASCII whitespace (`\s`) and punctuation and symbols (`[\p{P}\p{S}]`: every printable character but letters and digits). */
const ASCII_SEPARATORS: Uint8Array = (() => {
  const table = new Uint8Array(0x80);
  for (let code = 0; code < 0x80; code++) {
    const printable = code >= 0x21 && code <= 0x7e;
    const alphanumeric = (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
    if (isWhitespace(code) || (printable && !alphanumeric)) table[code] = 1;
  }
  return table;
})();

/**
 * The same in a pattern for lower-case ASCII text: a run of separators (all but digits, a–z and the
 * controls that are not whitespace) that starts with one other than the space. Written as negated
 * classes, which are scanned faster.
 */
const ASCII_SEPARATOR_RUN = /[^ 0-9a-z\x00-\x08\x0e-\x1f\x7f][^0-9a-z\x00-\x08\x0e-\x1f\x7f]*/g;
const SPACE_RUN = / {2,}/g;

/** Tells whether a code point separates words in the duplicate-comparison form: whitespace, punctuation or a symbol. */
function isSeparator(codePoint: number): boolean {
  if (codePoint < 0x80) return ASCII_SEPARATORS[codePoint] === 1;
  return isWhitespace(codePoint) || isPunctuationOrSymbol(codePoint);
}

/**
 * Reduces text to the form compared for exact duplicates: NFKC, lower case, punctuation and
 * symbols removed, whitespace collapsed, so typographic quotes or dashes do not split duplicates.
 * As `[\p{P}\p{S}]+` and `\s+` replaced by a space, then trimmed: for ASCII text (NFKC already)
 * by two native patterns, else in one pass over the NFKC form, its runs between separators copied
 * whole, a lone space staying in its run.
 */
export function textForHash(text: string): string {
  if (isAscii(text)) {
    // The spaces left before a separator run (as in "word (AP)") are collapsed after.
    const spaced = text.toLowerCase().replace(ASCII_SEPARATOR_RUN, ' ');
    return (spaced.includes('  ') ? spaced.replace(SPACE_RUN, ' ') : spaced).trim();
  }
  const lower = text.normalize('NFKC').toLowerCase();
  const n = lower.length;
  let out = '';
  let run = -1;
  let separated = false;
  for (let i = 0; i < n; i++) {
    const codePoint = codePointAt(lower, i);
    const last = codePoint > 0xffff ? i + 1 : i;
    if (!isSeparator(codePoint)) {
      if (run === -1) {
        if (separated && out !== '') out += ' ';
        run = i;
        separated = false;
      }
      i = last;
      continue;
    }
    if (run !== -1 && codePoint === 0x20 && i + 1 < n && !isSeparator(codePointAt(lower, i + 1))) continue;
    if (run !== -1) {
      out += lower.slice(run, i);
      run = -1;
    }
    separated = true;
    i = last;
  }
  if (run !== -1) out = out === '' ? lower.slice(run) : out + lower.slice(run);
  return out;
}

/** Hashes the duplicate-comparison form of `text` (see {@link textForHash}). */
export function contentHash(text: string): string {
  return shortHash(textForHash(text));
}

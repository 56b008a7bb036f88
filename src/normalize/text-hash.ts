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
 * What the duplicate-comparison form makes of each ASCII character: of a separator (see ASCII_SEPARATORS) a space, of
 * a capital its lower case, of anything else (digits, small letters, the controls that are not whitespace) itself.
 */
const ASCII_FOLDED: Uint8Array = (() => {
  const table = new Uint8Array(0x80);
  for (let code = 0; code < 0x80; code++) table[code] = ASCII_SEPARATORS[code] === 1 ? 0x20 : code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
  return table;
})();

/** Bytes of the scratch buffer the ASCII form is written in: enough for most articles (a longer text gets its own). */
const SCRATCH_BYTES = 64 * 1024;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

/**
 * Writes the duplicate-comparison form of ASCII text (see textForHash) as bytes, the same as its UTF-8 form, and
 * returns them: a view of a scratch buffer, valid until the next call. The text is copied in one byte a character,
 * then folded in place. Each character moves the end on by one unless it is a space after a space (or at the start),
 * as a select rather than a branch: with a separator every few characters, a branch was mispredicted too often.
 */
function asciiHashBytes(text: string): Buffer {
  const n = text.length;
  const bytes = n <= SCRATCH_BYTES ? scratch : Buffer.allocUnsafe(n);
  bytes.write(text, 0, n, 'latin1');
  let end = 0;
  let previous = 0x20;
  for (let i = 0; i < n; i++) {
    const folded = ASCII_FOLDED[bytes[i] as number] as number;
    bytes[end] = folded;
    end += ((folded ^ 0x20) | (previous ^ 0x20)) === 0 ? 0 : 1;
    previous = folded;
  }
  if (end > 0 && bytes[end - 1] === 0x20) end--;
  return bytes.subarray(0, end);
}

/** Tells whether a code point separates words in the duplicate-comparison form: whitespace, punctuation or a symbol. */
function isSeparator(codePoint: number): boolean {
  if (codePoint < 0x80) return ASCII_SEPARATORS[codePoint] === 1;
  return isWhitespace(codePoint) || isPunctuationOrSymbol(codePoint);
}

/**
 * Reduces text to the form compared for exact duplicates: NFKC, lower case, punctuation and
 * symbols removed, whitespace collapsed, so typographic quotes or dashes do not split duplicates.
 * As `[\p{P}\p{S}]+` and `\s+` replaced by a space, then trimmed: for ASCII text (NFKC already)
 * byte by byte (see asciiHashBytes), else in one pass over the NFKC form, its runs between
 * separators copied whole, a lone space staying in its run.
 */
export function textForHash(text: string): string {
  if (isAscii(text)) return asciiHashBytes(text).toString('latin1');
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

/** Hashes the duplicate-comparison form of `text` (see {@link textForHash}); that of ASCII text is hashed as the bytes it is written in. */
export function contentHash(text: string): string {
  if (isAscii(text)) return hash('sha256', asciiHashBytes(text), 'hex').slice(0, SHORT_HASH_HEX_CHARS);
  return shortHash(textForHash(text));
}

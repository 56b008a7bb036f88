import { createHash } from 'node:crypto';

/** Hex characters kept from a sha256 digest: 64 bits, ample for per-source ids and duplicate keys. */
export const SHORT_HASH_HEX_CHARS = 16;

/** Returns the first `hexChars` hex digits of the sha256 of `input` (UTF-8), the same for the same input. */
export function shortHash(input: string, hexChars: number = SHORT_HASH_HEX_CHARS): string {
  return createHash('sha256').update(input, 'utf8').digest('hex').slice(0, hexChars);
}

// Precompiled: this runs once per article on the hot path.
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]+/gu;
const WHITESPACE_RUN = /\s+/gu;

/**
 * Reduces text to the form compared for exact duplicates: NFKC, lower case, punctuation and
 * symbols removed, whitespace collapsed, so typographic quotes or dashes do not split duplicates.
 */
export function textForHash(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(PUNCTUATION_OR_SYMBOL, ' ')
    .replace(WHITESPACE_RUN, ' ')
    .trim();
}

/** Hashes the duplicate-comparison form of `text` (see {@link textForHash}). */
export function contentHash(text: string): string {
  return shortHash(textForHash(text));
}

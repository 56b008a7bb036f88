/**
 * Dice similarity of titles exactly as `string-similarity`'s compareTwoStrings computes it
 * (whitespace removed, multiset of two-character bigrams), with each title's bigrams prepared once
 * per article instead of once per compared pair: the hot loop then merges two sorted arrays and
 * allocates nothing. test/cluster/title-bigrams.test.ts checks it against string-similarity.
 */
import { intersectSorted } from './minhash.js';
import { isSpace } from './text-features.js';

export interface TitleBigrams {
  /** The title with all whitespace removed. */
  compact: string;
  /** Each bigram as its two UTF-16 code units in one 32-bit integer, sorted ascending. */
  bigrams: Int32Array;
}

/** Prepares a title for repeated Dice comparisons. */
export function titleBigrams(title: string): TitleBigrams {
  const compact = title.replace(/\s+/g, '');
  const bigrams = new Int32Array(Math.max(0, compact.length - 1));
  for (let i = 0; i < bigrams.length; i++) bigrams[i] = (compact.charCodeAt(i) << 16) | compact.charCodeAt(i + 1);
  bigrams.sort();
  return { compact, bigrams };
}

/** Returns the Dice coefficient of two prepared titles (string-similarity's compareTwoStrings). */
export function titleDice(a: TitleBigrams, b: TitleBigrams): number {
  if (a.compact === b.compact) return 1;
  if (a.compact.length < 2 || b.compact.length < 2) return 0;
  return bigramDice(a.bigrams, 0, a.bigrams.length, b.bigrams, 0, b.bigrams.length);
}

/**
 * Returns the Dice coefficient of two titles of two characters or more that differ once whitespace is removed, from
 * their sorted bigrams x[x0, x1) and y[y0, y1) (a title of n characters has n − 1).
 */
export function bigramDice(x: Int32Array, x0: number, x1: number, y: Int32Array, y0: number, y1: number): number {
  // A merge of two sorted arrays counts repeated bigrams as a multiset, as compareTwoStrings does.
  return (2 * intersectSorted(x, y, x0, x1, y0, y1)) / (x1 - x0 + (y1 - y0));
}

/** Tells whether two folded titles are one once whitespace is removed (their `compact` forms are equal). */
export function compactTitlesEqual(a: string, b: string): boolean {
  if (a === b) return true;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && isSpace(a.charCodeAt(i))) i++;
    while (j < b.length && isSpace(b.charCodeAt(j))) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a.charCodeAt(i++) !== b.charCodeAt(j++)) return false;
  }
}

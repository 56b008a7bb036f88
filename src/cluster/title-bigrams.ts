/**
 * Dice similarity of titles exactly as `string-similarity`'s compareTwoStrings computes it
 * (whitespace removed, multiset of two-character bigrams), with each title's bigrams prepared once
 * per article instead of once per compared pair: the hot loop then merges two sorted arrays and
 * allocates nothing. test/cluster/title-bigrams.test.ts checks it against string-similarity.
 */
import { intersectSorted } from './minhash.js';

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
  // A merge of two sorted arrays counts repeated bigrams as a multiset, as compareTwoStrings does.
  return (2 * intersectSorted(a.bigrams, b.bigrams)) / (a.compact.length + b.compact.length - 2);
}

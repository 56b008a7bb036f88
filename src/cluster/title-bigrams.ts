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
  // A merge of two sorted arrays counts repeated bigrams as a multiset, as compareTwoStrings does.
  return (2 * intersectSorted(a.bigrams, b.bigrams)) / (a.compact.length + b.compact.length - 2);
}

/** Set in a packed title's first word when its code units are one byte each (all below 256), packed four to a word. */
const ONE_BYTE = 1 << 30;
const LENGTH_MASK = ONE_BYTE - 1;

/** Whether every code unit of a title is below 256. */
function oneByte(title: string): boolean {
  for (let i = 0; i < title.length; i++) if (title.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * A title packed into 32-bit words, as the index keeps it: its length (with ONE_BYTE when its code units are all below
 * 256), then its code units four to a word when they are, else two to a word (the first in the lowest bits). Returns
 * the words written at out[at…] (packedTitleWords of the title).
 */
export function packTitle(title: string, out: Int32Array, at: number): number {
  const n = title.length;
  if (oneByte(title)) {
    out[at] = n | ONE_BYTE;
    for (let i = 0; i < n; i += 4) {
      let word = 0;
      for (let k = 0; k < 4 && i + k < n; k++) word |= title.charCodeAt(i + k) << (k << 3);
      out[at + 1 + (i >> 2)] = word;
    }
  } else {
    out[at] = n;
    for (let i = 0; i < n; i += 2) out[at + 1 + (i >> 1)] = title.charCodeAt(i) | (i + 1 < n ? title.charCodeAt(i + 1) << 16 : 0);
  }
  return packedTitleWords(title);
}

/** Words a packed title takes. */
export function packedTitleWords(title: string): number {
  return wordsOf(title.length, oneByte(title) ? 2 : 1);
}

/** Words of a packed title of `length` code units, 2^k to a word. */
function wordsOf(length: number, k: number): number {
  return 1 + ((length + (1 << k) - 1) >> k);
}

/** The length of the packed title at ints[at]. */
export function packedTitleLength(ints: Int32Array, at: number): number {
  return (ints[at] as number) & LENGTH_MASK;
}

/** k of the packed title at ints[at]: its code units are 2^k to a word (see codeAt). */
function unitsShift(ints: Int32Array, at: number): number {
  return ((ints[at] as number) & ONE_BYTE) !== 0 ? 2 : 1;
}

/** The i-th code unit of the packed title at ints[at], whose code units are 2^k to a word (see unitsShift). */
function codeAt(ints: Int32Array, at: number, i: number, k: number): number {
  return ((ints[at + 1 + (i >> k)] as number) >>> ((i & ((1 << k) - 1)) << (5 - k))) & ((1 << (32 >> k)) - 1);
}

/** Tells whether two packed titles are one title (one title always packs alike). */
export function packedTitlesEqual(x: Int32Array, a: number, y: Int32Array, b: number): boolean {
  if (x[a] !== y[b]) return false;
  const words = wordsOf(packedTitleLength(x, a), unitsShift(x, a));
  for (let k = 1; k < words; k++) if (x[a + k] !== y[b + k]) return false;
  return true;
}

/** Tells whether two packed titles are one once whitespace is removed (their `compact` forms are equal). */
function compactEqual(x: Int32Array, a: number, y: Int32Array, b: number): boolean {
  const la = packedTitleLength(x, a);
  const lb = packedTitleLength(y, b);
  const ka = unitsShift(x, a);
  const kb = unitsShift(y, b);
  let i = 0;
  let j = 0;
  // One step a round: past whitespace on either side, else past a unit both sides share. Every round runs the same
  // steps: most titles differ at once, so loops of their own over whitespace were first run late in a run, and threw
  // away the optimized code of the Dice comparison they were inlined in.
  for (;;) {
    const ca = i < la ? codeAt(x, a, i, ka) : -1;
    const cb = j < lb ? codeAt(y, b, j, kb) : -1;
    const spaceA = ca >= 0 && isWhitespace(ca);
    const spaceB = cb >= 0 && isWhitespace(cb);
    if (!spaceA && !spaceB && ca !== cb) return false;
    if (ca < 0 && cb < 0) return true;
    i += spaceA || !spaceB ? 1 : 0;
    j += spaceB || !spaceA ? 1 : 0;
  }
}

/**
 * One title's bigrams counted in a small hash table, to take its Dice coefficient with many packed titles, each read
 * once: a title compared with the few candidates of an arriving article costs a pass over each candidate's title, and
 * the window keeps no bigram lists. The result is titleDice's, bigram for bigram.
 */
export class TitleProbe {
  private keys = new Int32Array(128);
  private counts = new Int32Array(128);
  /** How many of a bigram's occurrences the current comparison has matched (valid where stamps hold its number). */
  private matched = new Int32Array(128);
  private stamps = new Int32Array(128);
  private stamp = 0;
  private mask = 127;
  /** The loaded title's length with whitespace removed, -1 when nothing is loaded. */
  private compactLength = -1;

  /** Forgets the loaded title. */
  clear(): void {
    this.compactLength = -1;
  }

  get loaded(): boolean {
    return this.compactLength >= 0;
  }

  /** Loads the packed title at ints[at]. */
  load(ints: Int32Array, at: number): void {
    const length = packedTitleLength(ints, at);
    const k = unitsShift(ints, at);
    let capacity = 128;
    while (capacity < 2 * length) capacity <<= 1;
    if (capacity > this.keys.length) {
      this.keys = new Int32Array(capacity);
      this.counts = new Int32Array(capacity);
      this.matched = new Int32Array(capacity);
      this.stamps = new Int32Array(capacity);
    } else this.counts.fill(0, 0, capacity);
    this.mask = capacity - 1;
    let compact = 0;
    let previous = -1;
    for (let i = 0; i < length; i++) {
      const c = codeAt(ints, at, i, k);
      if (isWhitespace(c)) continue;
      compact++;
      if (previous >= 0) this.insert((previous << 16) | c);
      previous = c;
    }
    this.compactLength = compact;
  }

  /** The Dice coefficient of the loaded title (packed at ints[at]) and the packed title at y[b]. */
  dice(x: Int32Array, a: number, y: Int32Array, b: number): number {
    if (compactEqual(x, a, y, b)) return 1;
    const stamp = this.nextStamp();
    const length = packedTitleLength(y, b);
    const k = unitsShift(y, b);
    let compact = 0;
    let shared = 0;
    let previous = -1;
    for (let i = 0; i < length; i++) {
      const c = codeAt(y, b, i, k);
      if (isWhitespace(c)) continue;
      compact++;
      if (previous >= 0) shared += this.take((previous << 16) | c, stamp);
      previous = c;
    }
    if (this.compactLength < 2 || compact < 2) return 0;
    // The multiset of shared bigrams, as the merge of sorted bigrams counts it.
    return (2 * shared) / (this.compactLength + compact - 2);
  }

  /** A number for the next comparison, never one the stamps hold from an earlier one. */
  private nextStamp(): number {
    this.stamp = (this.stamp + 1) | 0;
    if (this.stamp === 0) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  private insert(bigram: number): void {
    for (let slot = hashBigram(bigram) & this.mask; ; slot = (slot + 1) & this.mask) {
      if (this.counts[slot] === 0) {
        this.keys[slot] = bigram;
        this.counts[slot] = 1;
        return;
      }
      if (this.keys[slot] === bigram) {
        this.counts[slot] = (this.counts[slot] as number) + 1;
        return;
      }
    }
  }

  /** Matches one occurrence of a bigram against the loaded title's: 1 when one is left, else 0. */
  private take(bigram: number, stamp: number): number {
    for (let slot = hashBigram(bigram) & this.mask; ; slot = (slot + 1) & this.mask) {
      const count = this.counts[slot] as number;
      if (count === 0) return 0;
      if (this.keys[slot] !== bigram) continue;
      const matched = this.stamps[slot] === stamp ? (this.matched[slot] as number) : 0;
      if (matched >= count) return 0;
      this.stamps[slot] = stamp;
      this.matched[slot] = matched + 1;
      return 1;
    }
  }
}

/** JavaScript's \s (isSpace), with the space a folded title is made of tried first. */
function isWhitespace(c: number): boolean {
  return c === 32 || (c < 128 ? c >= 9 && c <= 13 : isSpace(c));
}

function hashBigram(bigram: number): number {
  return Math.imul(bigram, 0x9e3779b1) >>> 16;
}

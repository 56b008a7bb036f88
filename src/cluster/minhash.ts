import { combineHash, fmix32 } from './hash.js';

/**
 * Computes a MinHash signature of `slots` values by one-permutation hashing with optimal densification (Li, Owen &
 * Zhang 2012; Shrivastava 2017). Each shingle hash falls into one of the slots by its high bits and each slot keeps
 * the smallest hash it receives; an empty slot borrows the value of the first filled slot that a fixed hash of (slot,
 * attempt) points at. Two sets then agree in a slot with probability equal to their Jaccard resemblance, as with
 * `slots` independent permutations (Broder 1997), but in one pass over the shingles instead of one per permutation.
 * The shingle hashes must already be avalanched (they are: see combineHash). The signature is written to `sig` (its
 * first `slots` values), a new array unless given.
 */
export function minhashSignature(shingles: Int32Array, slots: number, sig: Int32Array = new Int32Array(slots)): Int32Array {
  if (filledScratch.length < slots) filledScratch = new Uint8Array(slots);
  const filled = filledScratch;
  filled.fill(0, 0, slots);
  let filledCount = 0;
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s] as number;
    const slot = slotOf(x, slots);
    if (filled[slot] === 0) {
      filled[slot] = 1;
      filledCount++;
      sig[slot] = x;
    } else if (x < (sig[slot] as number)) sig[slot] = x;
  }
  if (filledCount === 0) return sig.fill(0, 0, slots);
  if (filledCount === slots) return sig;
  for (let slot = 0; slot < slots; slot++) {
    if (filled[slot] === 1) continue;
    // Optimal densification: the same probe sequence for every set, so two sets borrow from the same slot whenever
    // the slots they skip are empty in both.
    for (let attempt = 1; ; attempt++) {
      const from = slotOf(combineHash(DENSIFY_SEED + slot, attempt), slots);
      if (filled[from] === 1) {
        sig[slot] = sig[from] as number;
        break;
      }
    }
  }
  return sig;
}

/** Which slots received a shingle; scratch reused across signatures. */
let filledScratch = new Uint8Array(64);

/** Seed of the densification probes; fixed so signatures are comparable across runs and processes. */
const DENSIFY_SEED = 0x5eed1234;

/** Maps a 32-bit hash to one of `slots` slots by its high bits (slots at most 65,536). */
function slotOf(x: number, slots: number): number {
  return ((x >>> 16) * slots) >>> 16;
}

/** Hashes each band of `rows` signature slots into one bucket key, salted by the band number, written to out[at…]. */
export function writeBandKeys(sig: Int32Array, bands: number, rows: number, out: Int32Array, at: number): void {
  for (let band = 0; band < bands; band++) {
    let h = fmix32(0xb1d0 + band);
    for (let r = 0; r < rows; r++) h = combineHash(h, sig[band * rows + r] as number);
    out[at + band] = h;
  }
}

/**
 * Writes the distinct values of the sorted ranges a[aFrom, aTo) and b[bFrom, bTo) (each of distinct values), sorted, into
 * `out` from index 0; returns how many. `out` holds at least the two ranges' lengths together.
 */
export function unionSortedInto(a: Int32Array, aFrom: number, aTo: number, b: Int32Array, bFrom: number, bTo: number, out: Int32Array): number {
  let i = aFrom;
  let j = bFrom;
  let n = 0;
  while (i < aTo && j < bTo) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) {
      out[n++] = x;
      i++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  while (i < aTo) out[n++] = a[i++] as number;
  while (j < bTo) out[n++] = b[j++] as number;
  return n;
}

/** The distinct values of two sorted arrays of distinct values, sorted. */
export function unionSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  const n = unionSortedInto(a, 0, a.length, b, 0, b.length, out);
  return n === out.length ? out : out.slice(0, n);
}

/**
 * Counts the common values of two sorted arrays, or of the ranges a[aFrom, aTo) and b[bFrom, bTo); repeated values count
 * as a multiset (each match uses one of each).
 */
export function intersectSorted(a: Int32Array, b: Int32Array, aFrom = 0, aTo = a.length, bFrom = 0, bTo = b.length): number {
  let i = aFrom;
  let j = bFrom;
  let n = 0;
  while (i < aTo && j < bTo) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** Sorts an integer array in place and returns its distinct values (the array itself when none repeat). */
export function sortUnique(arr: Int32Array): Int32Array {
  arr.sort();
  let n = 0;
  for (let i = 0; i < arr.length; i++) {
    if (i === 0 || arr[i] !== arr[n - 1]) arr[n++] = arr[i] as number;
  }
  return n === arr.length ? arr : arr.slice(0, n);
}

/** Sorts hashes and drops repeats, returning a compact typed array. */
export function uniqueSorted(values: readonly number[]): Int32Array {
  const arr = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) arr[i] = values[i] as number;
  return sortUnique(arr);
}

/**
 * Counts, exactly, how many values of other sets a fixed set shares: the fixed set goes into an open-addressing table
 * once, then each other set is probed value by value. Comparing one article's shingles with several candidates this
 * way avoids the sorted merge's unpredictable branch per step.
 */
export class SetProbe {
  /**
   * Room for 1,024 values from the start (16 kB): an article's shingles fit, so the table grows only for a long read,
   * and not first in the middle of a run, where the growth's allocation, never met before, threw away the optimized
   * code of the function it was inlined in (shingleHashes, the scoring).
   */
  private table = new Int32Array(4096);
  private mask = 0;
  /** Zero marks an empty slot, so a member equal to 0 is remembered apart. */
  private hasZero = false;

  /** Empties the set, sized for up to `expected` values. */
  clear(expected: number): void {
    let capacity = 16;
    while (capacity < expected * 4) capacity <<= 1;
    if (this.table.length < capacity) this.table = new Int32Array(capacity);
    else this.table.fill(0, 0, capacity);
    this.mask = capacity - 1;
    this.hasZero = false;
  }

  /** Adds a value; true when it was not in the set yet. */
  insert(x: number): boolean {
    if (x === 0) {
      const added = !this.hasZero;
      this.hasZero = true;
      return added;
    }
    const table = this.table;
    const mask = this.mask;
    for (let slot = x & mask; ; slot = (slot + 1) & mask) {
      const v = table[slot] as number;
      if (v === x) return false;
      if (v === 0) {
        table[slot] = x;
        return true;
      }
    }
  }

  /** Loads a set of values, values[from, to) (replacing the previous set). */
  load(values: Int32Array, from = 0, to = values.length): void {
    this.clear(to - from);
    for (let i = from; i < to; i++) this.insert(values[i] as number);
  }

  /** Counts the values of a set of distinct values, values[from, to), that the loaded set holds too. */
  countShared(values: Int32Array, from = 0, to = values.length): number {
    const table = this.table;
    const mask = this.mask;
    let shared = 0;
    for (let i = from; i < to; i++) {
      const x = values[i] as number;
      if (x === 0) {
        if (this.hasZero) shared++;
        continue;
      }
      for (let slot = x & mask; ; slot = (slot + 1) & mask) {
        const v = table[slot] as number;
        if (v === x) {
          shared++;
          break;
        }
        if (v === 0) break;
      }
    }
    return shared;
  }
}

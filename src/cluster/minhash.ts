import { combineHash, fmix32 } from './hash.js';

/** Seed of the permutation coefficients; fixed so signatures are comparable across runs and processes. */
const PERMUTATION_SEED = 0x5eed1234;

/** Multiply-add coefficients of a family of hash permutations over 32-bit shingle hashes. */
export interface Permutations {
  a: Uint32Array;
  b: Uint32Array;
}

/** Creates `count` deterministic hash permutations (odd multipliers, random offsets). */
export function createPermutations(count: number): Permutations {
  const a = new Uint32Array(count);
  const b = new Uint32Array(count);
  let state = PERMUTATION_SEED;
  for (let i = 0; i < count; i++) {
    state = fmix32(state + 0x9e3779b9);
    a[i] = (state | 1) >>> 0;
    state = fmix32(state + 0x9e3779b9);
    b[i] = state;
  }
  return { a, b };
}

/** Computes the MinHash signature of a set of shingle hashes (Broder 1997), one minimum per permutation. */
export function minhashSignature(shingles: Uint32Array, perms: Permutations): Uint32Array {
  const k = perms.a.length;
  const sig = new Uint32Array(k).fill(0xffffffff);
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s] as number;
    for (let i = 0; i < k; i++) {
      // fmix-free multiply-add keeps this loop allocation-free; the shingle hashes are already avalanched.
      const h = (Math.imul(perms.a[i] as number, x) + (perms.b[i] as number)) >>> 0;
      if (h < (sig[i] as number)) sig[i] = h;
    }
  }
  return sig;
}

/** Hashes each band of `rows` signature slots into one bucket key, salted by the band number. */
export function bandKeys(sig: Uint32Array, bands: number, rows: number): Uint32Array {
  const keys = new Uint32Array(bands);
  for (let band = 0; band < bands; band++) {
    let h = fmix32(0xb1d0 + band);
    for (let r = 0; r < rows; r++) h = combineHash(h, sig[band * rows + r] as number);
    keys[band] = h;
  }
  return keys;
}

/** Counts the common values of two sorted arrays; repeated values count as a multiset (each match uses one of each). */
export function intersectSorted(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
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

/** Sorts hashes and drops repeats, returning a compact typed array. */
export function uniqueSorted(values: number[]): Uint32Array {
  const arr = Uint32Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < arr.length; i++) {
    if (i === 0 || arr[i] !== arr[n - 1]) arr[n++] = arr[i] as number;
  }
  return arr.slice(0, n);
}

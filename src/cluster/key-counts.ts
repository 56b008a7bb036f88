/**
 * Positive counts per integer key, kept in the order keys were first counted (a Map's order: a key counted down to
 * zero leaves, and comes back last). A story holds a few of these (its title words, its names, its sources), mostly of
 * a few keys: those are one flat array [key, count, key, count, …], a tenth of a Map's size, and become a Map once
 * they hold more keys than a scan of the array should cross. The order matters: sums of floating-point weights are
 * taken over it.
 */
export type KeyCounts = number[] | Map<number, number>;

/** Keys an array holds before it becomes a Map. */
const MAX_ARRAY_KEYS = 24;

/** The key's count, 0 when absent. */
export function keyCount(counts: KeyCounts, key: number): number {
  if (!Array.isArray(counts)) return counts.get(key) ?? 0;
  for (let i = 0; i < counts.length; i += 2) {
    // Read before the key is compared: read only on a match, which may first come late in a run (the story's first
    // member from the source asked about), the read had no type feedback and threw the caller's optimized code away.
    const count = counts[i + 1] as number;
    if (counts[i] === key) return count;
  }
  return 0;
}

/**
 * Adds `delta` to the key's count (a count that reaches zero or below removes the key) and returns the counts, which
 * are another object when they outgrew the array.
 */
export function addKeyCount(counts: KeyCounts, key: number, delta: number): KeyCounts {
  if (!Array.isArray(counts)) {
    const next = (counts.get(key) ?? 0) + delta;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
    return counts;
  }
  for (let i = 0; i < counts.length; i += 2) {
    if (counts[i] !== key) continue;
    const next = (counts[i + 1] as number) + delta;
    if (next > 0) counts[i + 1] = next;
    else removePair(counts, i);
    return counts;
  }
  if (delta <= 0) return counts;
  if (counts.length < 2 * MAX_ARRAY_KEYS) {
    const longer = extended(counts, 2);
    longer[counts.length] = key;
    longer[counts.length + 1] = delta;
    return longer;
  }
  const map = new Map<number, number>();
  for (let i = 0; i < counts.length; i += 2) map.set(counts[i] as number, counts[i + 1] as number);
  map.set(key, delta);
  return map;
}

/**
 * A copy of the counts with room for `more` words at its end, which the caller fills. Not a push: a pushed array takes
 * room for half its length and 16 more, and a window holds three of these per story. An array made at its length has
 * exactly that room (as concat's copies have), and is filled in a fraction of concat's time.
 */
function extended(counts: number[], more: number): number[] {
  const length = counts.length;
  const longer = new Array<number>(length + more);
  for (let i = 0; i < length; i++) longer[i] = counts[i] as number;
  return longer;
}

/** Scratch of countUp: the keys it found missing, as [key, 1, key, 1, …]. */
const missing: number[] = [];

/**
 * Adds one to the count of each of keys[from, to), in order, and returns the counts, as addKeyCount
 * called for each key would, but an array gets the keys it lacks in one copy, not one copy per key: a story's counts
 * take all of an arriving member's new title words and names at once. `added` is called with each key not counted
 * before, in order.
 */
export function countUp(counts: KeyCounts, keys: ArrayLike<number>, from: number, to: number, added?: (key: number) => void): KeyCounts {
  if (!Array.isArray(counts)) {
    for (let k = from; k < to; k++) {
      const key = keys[k] as number;
      const had = counts.get(key);
      if (had === undefined) added?.(key);
      counts.set(key, (had ?? 0) + 1);
    }
    return counts;
  }
  missing.length = 0;
  const length = counts.length;
  for (let k = from; k < to; k++) {
    const key = keys[k] as number;
    let i = 0;
    while (i < length && counts[i] !== key) i += 2;
    if (i < length) {
      counts[i + 1] = (counts[i + 1] as number) + 1;
      continue;
    }
    // A key met before in this call (lists merged from two kinds can repeat one).
    let j = 0;
    while (j < missing.length && missing[j] !== key) j += 2;
    if (j < missing.length) missing[j + 1] = (missing[j + 1] as number) + 1;
    else {
      missing.push(key, 1);
      added?.(key);
    }
  }
  if (missing.length === 0) return counts;
  if (length + missing.length <= 2 * MAX_ARRAY_KEYS) {
    const longer = extended(counts, missing.length);
    for (let i = 0; i < missing.length; i++) longer[length + i] = missing[i] as number;
    return longer;
  }
  const map = new Map<number, number>();
  for (let i = 0; i < length; i += 2) map.set(counts[i] as number, counts[i + 1] as number);
  for (let i = 0; i < missing.length; i += 2) map.set(missing[i] as number, missing[i + 1] as number);
  return map;
}

/** Removes the pair at i, keeping the order of the rest (splice would allocate the removed pair). */
function removePair(counts: number[], i: number): void {
  for (let k = i + 2; k < counts.length; k++) counts[k - 2] = counts[k] as number;
  counts.length -= 2;
}

/** How many keys are counted. */
export function keyCountSize(counts: KeyCounts): number {
  return Array.isArray(counts) ? counts.length >> 1 : counts.size;
}

/** Visits each key with its count, in order. */
export function forEachKeyCount(counts: KeyCounts, visit: (key: number, count: number) => void): void {
  if (!Array.isArray(counts)) {
    for (const [key, count] of counts) visit(key, count);
    return;
  }
  for (let i = 0; i < counts.length; i += 2) visit(counts[i] as number, counts[i + 1] as number);
}

import { fnv1a } from './hash.js';
import { CompactCounts } from './int-key-map.js';

/**
 * A key (shingle, title word, name, number) counts as a source's template when at least this many of the source's
 * other items in the window carry it: one repeat can be chance, two make a pattern (a podcast intro, a sign-off).
 */
export const TEMPLATE_MIN_ITEMS = 2;

const SALT_SOURCE = 0x50c3;

/** A source with this many items in the window may be followed through a sketch instead of exact counts. */
const SKETCH_MIN_ITEMS = 128;
/**
 * Cells of a source's sketch: with items of some 150 keys (a news article's shingles), a cell carries about a
 * seventeenth of the count a template needs, whatever the source's size.
 */
const SKETCH_CELLS = 1 << 13;

/** Visits the key lists (ints[from, to)) of every item of a source in the window. */
export type SourceItems = (source: number, visit: (keys: Int32Array, from: number, to: number) => void) => void;

/** How many keys hold each count, so that the highest is known at once. */
class HighestCount {
  private byCount = new Int32Array(64);
  highest = 0;

  /** Records that one entry's count went up from `from` to from + 1. */
  up(from: number): void {
    const to = from + 1;
    if (to >= this.byCount.length) {
      const bigger = new Int32Array(2 * this.byCount.length);
      bigger.set(this.byCount);
      this.byCount = bigger;
    }
    const byCount = this.byCount;
    // Count 0 is not kept (its cell stays 0): subtracting nothing from it spares a branch whose first use, late in a
    // run, undid the optimized code of the callers.
    byCount[from] = (byCount[from] as number) - (from > 0 ? 1 : 0);
    byCount[to] = (byCount[to] as number) + 1;
    if (to > this.highest) this.highest = to;
  }

  /** Records that one entry's count went down from `from` (≥ 1) to from − 1. */
  down(from: number): void {
    const byCount = this.byCount;
    const left = (byCount[from] as number) - 1;
    byCount[from] = left;
    if (from > 1) byCount[from - 1] = (byCount[from - 1] as number) + 1;
    // The entry that came down is the highest now if none is left above it.
    if (from === this.highest && left === 0) this.highest = from - 1;
  }
}

/** A sketch of no cells: written into each SourceCounts and replaced at once (see its constructor). */
const NO_CELLS = new Int32Array(0);

/**
 * One source's counts: exact per key, or, for a source of many items whose keys are all far below its template's
 * share, a sketch, each cell the sum of the counts of the keys that fall in it. A cell is never below the count of any
 * of its keys, so while no cell reaches what a template needs no key does, and the source's items need no look-up.
 */
class SourceCounts {
  items = 0;
  exact: CompactCounts | undefined = new CompactCounts();
  sketch: Int32Array | undefined = undefined;
  /** The highest count among the exact keys. */
  highest = new HighestCount();
  /**
   * Of a sketch, a bound on its highest cell: raised as cells go up, left as they come down, and brought back to the
   * highest cell only when a question reaches it (a scan of the cells), so counting an item costs one add per key.
   */
  sketchBound = 0;
  /** Items at which a sketch is tried again, after one that came out too full. */
  sketchAt = SKETCH_MIN_ITEMS;

  constructor() {
    // What trySketch changes, written twice: not taken for constants by the code optimized before a first source is
    // sketched (V8 treats a field written only at construction as one), which that change would otherwise throw away
    // (src/cluster/TUNING.md, "Fields that change late").
    const { exact, highest } = this;
    this.exact = undefined;
    this.exact = exact;
    this.highest = new HighestCount();
    this.highest = highest;
    this.sketch = NO_CELLS;
    this.sketch = undefined;
    this.sketchBound = 1;
    this.sketchBound = 0;
    this.sketchAt = 0;
    this.sketchAt = SKETCH_MIN_ITEMS;
  }
}

/** Counts one item's distinct keys, keys[from, to), up (delta 1, as it enters) or down (-1, as it leaves). */
function count(counts: SourceCounts, keys: Int32Array, from: number, to: number, delta: 1 | -1): void {
  const { exact, sketch, highest } = counts;
  if (exact !== undefined) {
    if (delta > 0) for (let k = from; k < to; k++) highest.up(exact.add(keys[k] as number, 1) - 1);
    else for (let k = from; k < to; k++) highest.down(exact.add(keys[k] as number, -1) + 1);
    return;
  }
  const cells = sketch as Int32Array;
  if (delta < 0) {
    for (let k = from; k < to; k++) {
      const cell = (keys[k] as number) & (SKETCH_CELLS - 1);
      cells[cell] = (cells[cell] as number) - 1;
    }
    return;
  }
  let bound = counts.sketchBound;
  for (let k = from; k < to; k++) {
    const cell = (keys[k] as number) & (SKETCH_CELLS - 1);
    const c = (cells[cell] as number) + 1;
    cells[cell] = c;
    if (c > bound) bound = c;
  }
  counts.sketchBound = bound;
}

/** The highest of a sketch's cells. */
function highestCell(cells: Int32Array): number {
  let highest = 0;
  for (let cell = 0; cell < SKETCH_CELLS; cell++) if ((cells[cell] as number) > highest) highest = cells[cell] as number;
  return highest;
}

/**
 * Counts, per source, how many of its items in the window carry each key, so that evidence a source repeats in
 * item after item (its template: site names, "submitted by", share prompts, podcast intros) can be told apart from
 * evidence that two items really share.
 *
 * A source of many items without a template (most keys of a news feed's items are their own) is followed through a
 * sketch of a few thousand cells instead of a count per key: counting the hundreds of keys of every item in and out of
 * the window is then an add to a cell that stays in the cache, not a probe of a table of millions of keys. When an
 * item's keys must be looked up (some cell reaches what a template needs), the source's exact counts are rebuilt from
 * its items in the window, so every answer is the exact count's.
 */
export class SourceTemplates {
  private readonly sources = new Map<number, SourceCounts>();
  /**
   * The sketch trySketch fills, and the visitor that adds a key's count to its cell: one function for every call (a new
   * closure for each threw away the optimized forEach that called it).
   */
  private cells = NO_CELLS;
  private readonly addToCell = (key: number, c: number): void => {
    const cell = key & (SKETCH_CELLS - 1);
    this.cells[cell] = (this.cells[cell] as number) + c;
  };

  /**
   * `minShare`: the share of a source's other items that must carry a key for it to be template. A news source that
   * covers one event in several pieces repeats the event's name in a few of its many items; a template sits in most.
   * `itemsOf` visits the key lists of a source's items in the window (to rebuild its exact counts).
   */
  constructor(
    private readonly minShare: number,
    private readonly itemsOf: SourceItems,
  ) {}

  /** Hashes a source id once per article; the other methods take the hash. */
  static sourceHash(sourceId: string): number {
    return fnv1a(sourceId, SALT_SOURCE) | 0;
  }

  /**
   * Counts one more item of a source with its distinct keys: keys[ranges[0], ranges[1]), keys[ranges[2], ranges[3])…
   * (its shingles, names and numbers).
   */
  addItem(source: number, keys: Int32Array, ranges: Int32Array): void {
    let counts = this.sources.get(source);
    if (counts === undefined) this.sources.set(source, (counts = new SourceCounts()));
    counts.items++;
    if (counts.exact !== undefined && counts.items >= counts.sketchAt) this.trySketch(counts);
    for (let r = 0; r < ranges.length; r += 2) count(counts, keys, ranges[r] as number, ranges[r + 1] as number, 1);
  }

  /** Forgets one item of a source counted by addItem, with the same keys. */
  removeItem(source: number, keys: Int32Array, ranges: Int32Array): void {
    const counts = this.sources.get(source) as SourceCounts;
    for (let r = 0; r < ranges.length; r += 2) count(counts, keys, ranges[r] as number, ranges[r + 1] as number, -1);
    if (--counts.items <= 0) this.sources.delete(source);
  }

  /**
   * Returns the keys that are not the source's template, as counted over its items in the window (the item asking
   * is not counted yet). The same array comes back when nothing is dropped, so a source with few items costs nothing.
   */
  distinctive(source: number, keys: Int32Array): Int32Array {
    const counts = this.sources.get(source);
    const others = counts?.items ?? 0;
    if (counts === undefined || others < TEMPLATE_MIN_ITEMS || keys.length === 0) return keys;
    const minCount = this.minCount(others);
    // No key of the source is counted that often (a sketch's cells bound its keys' counts): nothing to look up.
    if (counts.exact !== undefined ? counts.highest.highest < minCount : this.sketchHighest(counts, minCount) < minCount) return keys;
    const exact = counts.exact ?? this.rebuildExact(source, counts);
    let kept: Int32Array | undefined;
    let n = 0;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as number;
      const template = exact.get(key) >= minCount;
      if (template && kept === undefined) {
        kept = new Int32Array(keys.length);
        kept.set(keys.subarray(0, k), 0);
        n = k;
      }
      if (!template && kept !== undefined) kept[n++] = key;
    }
    return kept === undefined ? keys : kept.slice(0, n);
  }

  /** A sketch's bound on its highest cell, brought back to the highest cell when it reaches `minCount`. */
  private sketchHighest(counts: SourceCounts, minCount: number): number {
    if (counts.sketchBound >= minCount) counts.sketchBound = highestCell(counts.sketch as Int32Array);
    return counts.sketchBound;
  }

  /** The count a key needs among `others` items of its source to be template. */
  private minCount(others: number): number {
    return Math.max(TEMPLATE_MIN_ITEMS, Math.ceil(this.minShare * others));
  }

  /**
   * Follows a source through a sketch instead of exact counts when its keys stay far below a template's share (half of
   * it) and the sketch built from them does too; else keeps the exact counts until the source has twice the items.
   */
  private trySketch(counts: SourceCounts): void {
    const exact = counts.exact as CompactCounts;
    const minCount = this.minCount(counts.items);
    counts.sketchAt = 2 * counts.items;
    if (2 * counts.highest.highest >= minCount) return;
    const cells = new Int32Array(SKETCH_CELLS);
    this.cells = cells;
    exact.forEach(this.addToCell);
    this.cells = NO_CELLS;
    const highest = highestCell(cells);
    if (highest >= minCount) return;
    counts.exact = undefined;
    counts.sketch = cells;
    counts.highest = new HighestCount();
    counts.sketchBound = highest;
    counts.sketchAt = SKETCH_MIN_ITEMS;
  }

  /** Counts a sketched source's keys again, exactly, from its items in the window. */
  private rebuildExact(source: number, counts: SourceCounts): CompactCounts {
    const exact = new CompactCounts();
    const highest = new HighestCount();
    this.itemsOf(source, (keys, from, to) => {
      for (let k = from; k < to; k++) highest.up(exact.add(keys[k] as number, 1) - 1);
    });
    counts.exact = exact;
    counts.sketch = undefined;
    counts.highest = highest;
    counts.sketchAt = 2 * counts.items;
    return exact;
  }
}

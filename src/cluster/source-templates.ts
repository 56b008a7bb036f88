import { combineHash, fnv1a } from './hash.js';
import { IntCounts } from './int-key-map.js';

/**
 * A key (shingle, title word, name, number) counts as a source's template when at least this many of the source's
 * other items in the window carry it: one repeat can be chance, two make a pattern (a podcast intro, a sign-off).
 */
export const TEMPLATE_MIN_ITEMS = 2;

const SALT_SOURCE = 0x50c3;

/**
 * Counts, per source, how many of its items in the window carry each key, so that evidence a source repeats in
 * item after item (its template: site names, "submitted by", share prompts, podcast intros) can be told apart from
 * evidence that two items really share.
 */
export class SourceTemplates {
  /** (source, key) → items of the source in the window that carry the key. */
  private readonly counts = new IntCounts();
  /** Source → items in the window. */
  private readonly items = new Map<number, number>();

  /**
   * `minShare`: the share of a source's other items that must carry a key for it to be template. A news source that
   * covers one event in several pieces repeats the event's name in a few of its many items; a template sits in most.
   */
  constructor(private readonly minShare: number) {}

  /** Hashes a source id once per article; the other methods take the hash. */
  static sourceHash(sourceId: string): number {
    return fnv1a(sourceId, SALT_SOURCE) | 0;
  }

  /** Counts one item of a source with its distinct keys (each array holds distinct values). */
  add(source: number, keyLists: readonly Int32Array[]): void {
    this.items.set(source, (this.items.get(source) ?? 0) + 1);
    for (const keys of keyLists) for (let k = 0; k < keys.length; k++) this.counts.add(combineHash(source, keys[k] as number) | 0, 1);
  }

  /** Forgets one item counted by add, with the same key lists. */
  remove(source: number, keyLists: readonly Int32Array[]): void {
    const n = (this.items.get(source) ?? 1) - 1;
    if (n > 0) this.items.set(source, n);
    else this.items.delete(source);
    for (const keys of keyLists) for (let k = 0; k < keys.length; k++) this.counts.add(combineHash(source, keys[k] as number) | 0, -1);
  }

  /**
   * Returns the keys that are not the source's template, as counted over its items in the window (the item asking
   * is not counted yet). The same array comes back when nothing is dropped, so a source with few items costs nothing.
   */
  distinctive(source: number, keys: Int32Array): Int32Array {
    const others = this.items.get(source) ?? 0;
    if (others < TEMPLATE_MIN_ITEMS || keys.length === 0) return keys;
    const minCount = Math.max(TEMPLATE_MIN_ITEMS, Math.ceil(this.minShare * others));
    let kept: Int32Array | undefined;
    let n = 0;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as number;
      const template = this.counts.get(combineHash(source, key) | 0) >= minCount;
      if (template && kept === undefined) {
        kept = new Int32Array(keys.length);
        kept.set(keys.subarray(0, k), 0);
        n = k;
      }
      if (!template && kept !== undefined) kept[n++] = key;
    }
    return kept === undefined ? keys : kept.slice(0, n);
  }
}

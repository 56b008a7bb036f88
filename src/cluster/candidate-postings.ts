import { IntKeyMap } from './int-key-map.js';

/**
 * Posting lists from blocking keys (LSH band hashes, names, title words, numbers) to the articles that carry them.
 * Lists are compacted to the newest article per group (story) when they grow past the cap; a key still shared by
 * more groups than the cap is too common to say anything and is skipped until the window has moved on.
 */
export class CandidatePostings<T extends object> {
  /**
   * Key → its entries: a lone entry is stored as itself, so the many keys held by one article only (most LSH bands)
   * cost no array. T is an object that is never an array.
   */
  private readonly lists = new IntKeyMap<T | T[]>();
  /** Keys found too common, skipped until this time (ms). */
  private readonly commonUntil = new Map<number, number>();

  /**
   * @param maxGroupsPerKey the cap on distinct groups per key
   * @param groupOf the group (story) of an entry
   * @param windowMs how long a too-common key stays skipped
   */
  constructor(
    private readonly maxGroupsPerKey: number,
    private readonly groupOf: (entry: T) => unknown,
    private readonly windowMs: number,
  ) {}

  /** Adds an entry under a key at the given time (the newest time seen). */
  add(key: number, entry: T, nowMs: number): void {
    const until = this.commonUntil.get(key);
    if (until !== undefined) {
      if (until > nowMs) return;
      this.commonUntil.delete(key);
    }
    const held = this.lists.get(key);
    if (held === undefined) {
      this.lists.set(key, entry);
      return;
    }
    if (!Array.isArray(held)) {
      this.lists.set(key, [held, entry]);
      return;
    }
    const list = held;
    list.push(entry);
    if (list.length <= this.maxGroupsPerKey) return;
    // Keep the newest entry per group: candidates are groups, so older entries of one group add nothing.
    const seen = new Set<unknown>();
    const kept: T[] = [];
    for (let i = list.length - 1; i >= 0; i--) {
      const entry = list[i] as T;
      const group = this.groupOf(entry);
      if (!seen.has(group)) {
        seen.add(group);
        kept.push(entry);
      }
    }
    if (kept.length > this.maxGroupsPerKey) {
      this.lists.delete(key);
      this.commonUntil.set(key, nowMs + this.windowMs);
    } else this.lists.set(key, kept.reverse());
  }

  /** Removes an entry from a key's list (no-op when compaction already dropped it). */
  remove(key: number, entry: T): void {
    const held = this.lists.get(key);
    if (held === undefined) return;
    if (!Array.isArray(held)) {
      if (held === entry) this.lists.delete(key);
      return;
    }
    const at = held.indexOf(entry);
    if (at >= 0) held.splice(at, 1);
    if (held.length === 1) this.lists.set(key, held[0] as T);
    else if (held.length === 0) this.lists.delete(key);
  }

  /** Returns the entries under a key (undefined for unknown or too-common keys). */
  get(key: number): readonly T[] | undefined {
    const held = this.lists.get(key);
    return held === undefined || Array.isArray(held) ? held : [held];
  }

  /**
   * Returns what a key holds without copying: one entry, or an array of them (which the caller must not modify), or
   * undefined for unknown or too-common keys.
   */
  lookup(key: number): T | readonly T[] | undefined {
    return this.lists.get(key);
  }
}

/**
 * Posting lists from blocking keys (LSH band hashes, names, title words, numbers) to the articles that carry them.
 * Lists are compacted to the newest article per group (story) when they grow past the cap; a key still shared by
 * more groups than the cap is too common to say anything and is skipped until the window has moved on.
 */
export class CandidatePostings<T> {
  private readonly lists = new Map<number, T[]>();
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
    const list = this.lists.get(key);
    if (list === undefined) {
      this.lists.set(key, [entry]);
      return;
    }
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
    const list = this.lists.get(key);
    if (list === undefined) return;
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.lists.delete(key);
  }

  /** Returns the entries under a key (empty for unknown or too-common keys); the caller must not modify it. */
  get(key: number): readonly T[] | undefined {
    return this.lists.get(key);
  }
}

import { IntKeyMap } from './int-key-map.js';

/**
 * Posting lists from blocking keys (LSH band hashes, names, title words, numbers) to the articles that carry them, each
 * article a slot number. Lists are compacted to the newest article per group (story) when they grow past the cap; a key
 * still shared by more groups than the cap is too common to say anything and is skipped until the window has moved on.
 *
 * A key held by one article maps to that article's slot; a key held by several, to the first node of a list of them
 * (newest first) in two typed arrays, so the lists cost the collector nothing to trace.
 */
export class CandidatePostings {
  /** Key → slot + 1 for a lone entry, -(node + 1) for a list. */
  private readonly heads = new IntKeyMap();
  /** Node → its entry's slot, and the next node of its list (-1 at the end; the next free node for a free one). */
  private nodeSlot = new Int32Array(1024);
  private nodeNext = new Int32Array(1024);
  private freeNode = -1;
  private usedNodes = 0;
  /** Keys found too common, skipped until this time (ms). */
  private readonly commonUntil = new Map<number, number>();
  /** Scratch of compaction: the groups met so far. */
  private readonly groupsSeen: number[] = [];

  /**
   * @param maxGroupsPerKey the cap on distinct groups per key
   * @param groupOf the group (story) of an entry, as a number
   * @param windowMs how long a too-common key stays skipped
   */
  constructor(
    private readonly maxGroupsPerKey: number,
    private readonly groupOf: (slot: number) => number,
    private readonly windowMs: number,
  ) {}

  /** Adds an entry under a key at the given time (the newest time seen). */
  add(key: number, slot: number, nowMs: number): void {
    const until = this.commonUntil.get(key);
    if (until !== undefined) {
      if (until > nowMs) return;
      this.commonUntil.delete(key);
    }
    const held = this.heads.get(key);
    if (held === 0) {
      this.heads.set(key, slot + 1);
      return;
    }
    let first = held > 0 ? this.node(held - 1, -1) : -held - 1;
    first = this.node(slot, first);
    this.heads.set(key, -(first + 1));
    if (this.listLength(first) > this.maxGroupsPerKey) this.compact(key, first, nowMs);
  }

  /** Removes an entry from a key's list (no-op when compaction already dropped it). */
  remove(key: number, slot: number): void {
    const held = this.heads.get(key);
    if (held === 0) return;
    if (held > 0) {
      if (held - 1 === slot) this.heads.delete(key);
      return;
    }
    let first = -held - 1;
    let before = -1;
    let at = first;
    while (at >= 0 && this.nodeSlot[at] !== slot) {
      before = at;
      at = this.nodeNext[at] as number;
    }
    if (at < 0) return;
    const after = this.nodeNext[at] as number;
    if (before < 0) first = after;
    else this.nodeNext[before] = after;
    this.release(at);
    if (first < 0) this.heads.delete(key);
    else if (this.nodeNext[first] === -1) {
      this.heads.set(key, (this.nodeSlot[first] as number) + 1);
      this.release(first);
    } else this.heads.set(key, -(first + 1));
  }

  /**
   * What a key holds: -1 for nothing (unknown or too common), a slot (≥ 0) for a lone entry, or a list as -(node + 2)
   * (≤ -2), read with firstOf, slotAt and nextAt.
   */
  lookup(key: number): number {
    const held = this.heads.get(key);
    return held > 0 ? held - 1 : held === 0 ? -1 : held - 1;
  }

  /** The first node of a list that lookup gave. */
  firstOf(list: number): number {
    return -list - 2;
  }

  /** The slot of a list node. */
  slotAt(node: number): number {
    return this.nodeSlot[node] as number;
  }

  /** The next node of a list, -1 at its end. */
  nextAt(node: number): number {
    return this.nodeNext[node] as number;
  }

  /** The entries under a key, newest first (tests and inspection). */
  get(key: number): number[] | undefined {
    const held = this.lookup(key);
    if (held === -1) return undefined;
    if (held >= 0) return [held];
    const out: number[] = [];
    for (let at = this.firstOf(held); at >= 0; at = this.nextAt(at)) out.push(this.slotAt(at));
    return out;
  }

  /** Keeps the newest entry per group of a list that grew past the cap, or drops the key as too common. */
  private compact(key: number, first: number, nowMs: number): void {
    const seen = this.groupsSeen;
    seen.length = 0;
    let last = -1;
    for (let at = first; at >= 0; ) {
      const next = this.nodeNext[at] as number;
      const group = this.groupOf(this.nodeSlot[at] as number);
      if (seen.includes(group)) {
        this.nodeNext[last] = next;
        this.release(at);
      } else {
        seen.push(group);
        last = at;
      }
      at = next;
    }
    if (seen.length <= this.maxGroupsPerKey) return;
    for (let at = first; at >= 0; ) {
      const next = this.nodeNext[at] as number;
      this.release(at);
      at = next;
    }
    this.heads.delete(key);
    this.commonUntil.set(key, nowMs + this.windowMs);
  }

  private listLength(first: number): number {
    let n = 0;
    for (let at = first; at >= 0; at = this.nodeNext[at] as number) n++;
    return n;
  }

  /** A new node holding `slot`, followed by `next`. */
  private node(slot: number, next: number): number {
    let at = this.freeNode;
    if (at >= 0) this.freeNode = this.nodeNext[at] as number;
    else {
      if (this.usedNodes === this.nodeSlot.length) {
        const slots = new Int32Array(this.nodeSlot.length * 2);
        const nexts = new Int32Array(this.nodeSlot.length * 2);
        slots.set(this.nodeSlot);
        nexts.set(this.nodeNext);
        this.nodeSlot = slots;
        this.nodeNext = nexts;
      }
      at = this.usedNodes++;
    }
    this.nodeSlot[at] = slot;
    this.nodeNext[at] = next;
    return at;
  }

  private release(node: number): void {
    this.nodeNext[node] = this.freeNode;
    this.freeNode = node;
  }
}

import { IntKeyMap } from './int-key-map.js';

/** What a key found too common maps to (no list node is numbered that far): its time is in commonUntil. */
const COMMON = -0x80000000;

/** Words of a list node: its entry's slot and the next node (a list's length is kept apart, see `lengths`). */
const NODE_FIELDS = 2;
const NEXT = 1;
const MIN_NODES = 1024;
/** A node array fitted to what it holds keeps this much room (see fit); one that must grow then grows by NODE_SLACK. */
const NODE_FIT_ROOM = 1.05;
const NODE_SLACK = 1.15;

/**
 * Posting lists from blocking keys (LSH band hashes, names, title words, numbers) to the articles that carry them, each
 * article a slot number. Lists are compacted to the newest article per group (story) when they grow past the cap; a key
 * still shared by more groups than the cap is too common to say anything and is skipped until the window has moved on.
 *
 * A key held by one article maps to that article's slot; a key held by several, to the first node of a list of them
 * (newest first) in typed arrays, so the lists cost the collector nothing to trace.
 */
export class CandidatePostings {
  /** Key → slot + 1 for a lone entry, -(node + 1) for a list, COMMON for a key found too common. */
  private readonly heads = new IntKeyMap();
  /**
   * Nodes, NODE_FIELDS words each side by side (one cache line per step of a list): the entry's slot and the next node
   * of its list (-1 at the end; the next free node for a free one).
   */
  private nodes = new Int32Array(NODE_FIELDS * MIN_NODES);
  /**
   * Per node, read at a list's first node: the list's length. Apart from the nodes, since only first nodes use it: a
   * byte a node where the cap lets a length fit in one (it never exceeds the cap by more than one).
   */
  private lengths: Uint8Array | Int32Array;
  private freeNode = -1;
  private usedNodes = 0;
  /** Nodes in lists (the rest of usedNodes are free). */
  private liveNodes = 0;
  /** Whether fit has run: the window has been full. */
  private fitted = false;
  /** Keys found too common (COMMON in heads), skipped until this time (ms). */
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
  ) {
    this.lengths = this.lengthColumn(MIN_NODES);
    // Both change first when the window does (the first entry removed, the first fit). Written twice here, neither is
    // taken for a constant by the code optimized before then (V8 treats a field written only at construction as one),
    // which that first change would otherwise throw away (src/cluster/TUNING.md, "Fields that change late").
    this.freeNode = 0;
    this.freeNode = -1;
    this.fitted = true;
    this.fitted = false;
  }

  /** Adds an entry under a key at the given time (the newest time seen). */
  add(key: number, slot: number, nowMs: number): void {
    let held = this.heads.get(key);
    if (held === COMMON) {
      if ((this.commonUntil.get(key) as number) > nowMs) return;
      this.commonUntil.delete(key);
      held = 0;
    }
    if (held === 0) {
      this.heads.set(key, slot + 1);
      return;
    }
    let length = 2;
    let next: number;
    if (held > 0) next = this.node(held - 1, -1);
    else {
      next = -held - 1;
      length = (this.lengths[next] as number) + 1;
    }
    const first = this.node(slot, next);
    this.lengths[first] = length;
    this.heads.set(key, -(first + 1));
    if (length > this.maxGroupsPerKey) this.compact(key, first, nowMs);
  }

  /** Removes an entry from a key's list (no-op when compaction already dropped it). */
  remove(key: number, slot: number): void {
    const held = this.heads.get(key);
    if (held === 0 || held === COMMON) return;
    if (held > 0) {
      if (held - 1 === slot) this.heads.delete(key);
      return;
    }
    const nodes = this.nodes;
    let first = -held - 1;
    const length = this.lengths[first] as number;
    let before = -1;
    let at = first;
    while (at >= 0 && nodes[NODE_FIELDS * at] !== slot) {
      before = at;
      at = nodes[NODE_FIELDS * at + NEXT] as number;
    }
    if (at < 0) return;
    const after = nodes[NODE_FIELDS * at + NEXT] as number;
    if (before < 0) first = after;
    else nodes[NODE_FIELDS * before + NEXT] = after;
    this.release(at);
    if (first < 0) this.heads.delete(key);
    else if (nodes[NODE_FIELDS * first + NEXT] === -1) {
      this.heads.set(key, (nodes[NODE_FIELDS * first] as number) + 1);
      this.release(first);
    } else {
      this.lengths[first] = length - 1;
      if (before < 0) this.heads.set(key, -(first + 1));
    }
  }

  /**
   * What a key holds: -1 for nothing (unknown or too common), a slot (≥ 0) for a lone entry, or a list as -(node + 2)
   * (≤ -2), read with firstOf, slotAt and nextAt.
   */
  lookup(key: number): number {
    const held = this.heads.get(key);
    return held > 0 ? held - 1 : held === 0 || held === COMMON ? -1 : held - 1;
  }

  /** The first node of a list that lookup gave. */
  firstOf(list: number): number {
    return -list - 2;
  }

  /** The slot of a list node. */
  slotAt(node: number): number {
    return this.nodes[NODE_FIELDS * node] as number;
  }

  /** The next node of a list, -1 at its end. */
  nextAt(node: number): number {
    return this.nodes[NODE_FIELDS * node + NEXT] as number;
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
    const nodes = this.nodes;
    const seen = this.groupsSeen;
    seen.length = 0;
    let last = -1;
    for (let at = first; at >= 0; ) {
      const next = nodes[NODE_FIELDS * at + NEXT] as number;
      const group = this.groupOf(nodes[NODE_FIELDS * at] as number);
      if (seen.includes(group)) {
        nodes[NODE_FIELDS * last + NEXT] = next;
        this.release(at);
      } else {
        seen.push(group);
        last = at;
      }
      at = next;
    }
    // The first node is never dropped (its group is the first seen): it keeps its place and counts the nodes kept.
    this.lengths[first] = seen.length;
    if (seen.length <= this.maxGroupsPerKey) return;
    for (let at = first; at >= 0; ) {
      const next = nodes[NODE_FIELDS * at + NEXT] as number;
      this.release(at);
      at = next;
    }
    this.heads.set(key, COMMON);
    this.commonUntil.set(key, nowMs + this.windowMs);
  }

  /**
   * Moves the lists into a node array NODE_FIT_ROOM times what they hold, when the array is larger: it doubles as the
   * window fills and never shrinks by itself. Each list keeps its order; only the nodes' numbers change.
   */
  fit(): void {
    this.fitted = true;
    const wanted = Math.max(MIN_NODES, Math.ceil(this.liveNodes * NODE_FIT_ROOM));
    if (NODE_FIELDS * wanted >= this.nodes.length) return;
    const old = this.nodes;
    const nodes = new Int32Array(NODE_FIELDS * wanted);
    const oldLengths = this.lengths;
    const lengths = this.lengthColumn(wanted);
    let used = 0;
    this.heads.mapValues((held) => {
      if (held > 0 || held === COMMON) return held;
      const first = used;
      for (let at = -held - 1; at >= 0; at = old[NODE_FIELDS * at + NEXT] as number) {
        nodes[NODE_FIELDS * used] = old[NODE_FIELDS * at] as number;
        nodes[NODE_FIELDS * used + NEXT] = used + 1;
        used++;
      }
      nodes[NODE_FIELDS * (used - 1) + NEXT] = -1;
      lengths[first] = oldLengths[-held - 1] as number;
      return -(first + 1);
    });
    this.nodes = nodes;
    this.lengths = lengths;
    this.usedNodes = used;
    this.liveNodes = used;
    this.freeNode = -1;
  }

  /** A new node holding `slot`, followed by `next`. */
  private node(slot: number, next: number): number {
    let at = this.freeNode;
    if (at >= 0) this.freeNode = this.nodes[NODE_FIELDS * at + NEXT] as number;
    else {
      if (NODE_FIELDS * this.usedNodes === this.nodes.length) {
        // Doubled while the window fills; once fitted to a full window, grown by NODE_SLACK.
        const n = Math.ceil(this.usedNodes * (this.fitted ? NODE_SLACK : 2));
        const nodes = new Int32Array(NODE_FIELDS * n);
        nodes.set(this.nodes);
        this.nodes = nodes;
        const lengths = this.lengthColumn(n);
        lengths.set(this.lengths);
        this.lengths = lengths;
      }
      at = this.usedNodes++;
    }
    this.liveNodes++;
    this.nodes[NODE_FIELDS * at] = slot;
    this.nodes[NODE_FIELDS * at + NEXT] = next;
    return at;
  }

  /** A column of lengths for n nodes: bytes when every length a list can have (up to the cap plus one) fits in one. */
  private lengthColumn(n: number): Uint8Array | Int32Array {
    return this.maxGroupsPerKey < 255 ? new Uint8Array(n) : new Int32Array(n);
  }

  private release(node: number): void {
    this.liveNodes--;
    this.nodes[NODE_FIELDS * node + NEXT] = this.freeNode;
    this.freeNode = node;
  }
}

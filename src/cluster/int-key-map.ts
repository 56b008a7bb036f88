/**
 * Hash tables keyed by 32-bit integers that are already hashes (every blocking key is avalanched), so the low bits
 * pick the slot directly. Open addressing with linear probing keeps a key and its neighbours in one typed array: a
 * lookup in the window's hundreds of thousands of keys touches one or two cache lines, where a JS Map follows a
 * bucket, then an entry, then the value. Deletion shifts the following entries back (no tombstones), so a table that
 * sees every key of a sliding window come and go stays as short to probe as when it was new.
 */

/**
 * Smallest capacity; tables double past MAX_PROBED_LOAD and never shrink (the window's size is steady). Small, so that
 * a table first grows while its user warms up: a growth met first after the code reading the table was optimized threw
 * that code away.
 */
const MIN_CAPACITY = 16;
/**
 * The load the linear-probing tables grow past: three quarters full, a missing key's search crosses a few slots of one
 * or two cache lines, and a window of blocking keys takes half the memory it took at half full.
 */
const MAX_PROBED_LOAD = 0.75;

/** The slot a deletion frees is refilled from the entries after it that may move back without leaving their probe path. */
function mayMoveBack(home: number, from: number, hole: number, mask: number): boolean {
  // Distance from the entry's home slot to where it sits, against the distance from the hole to where it sits.
  return ((from - home) & mask) >= ((from - hole) & mask);
}

/**
 * Integer key → non-zero integer value (0 reads as absent). Slot i holds its key at 2i and its value at 2i + 1, side by
 * side so a probe reads one cache line, and no value is an object the collector has to trace.
 */
export class IntKeyMap {
  private slots = new Int32Array(2 * MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The key's value, 0 when absent. */
  get(key: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const value = slots[2 * slot + 1] as number;
      if (value === 0 || slots[2 * slot] === key) return value;
    }
  }

  /** Sets the key's value (not 0). */
  set(key: number, value: number): void {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const held = slots[2 * slot + 1] as number;
      if (held === 0) {
        slots[2 * slot] = key;
        slots[2 * slot + 1] = value;
        if (++this.count > MAX_PROBED_LOAD * (mask + 1)) this.grow();
        return;
      }
      if (slots[2 * slot] === key) {
        slots[2 * slot + 1] = value;
        return;
      }
    }
  }

  delete(key: number): boolean {
    const slots = this.slots;
    const mask = this.mask;
    // The probe steps before it looks, from the slot before the key's own, so the step has run before the first
    // collision (met only then, it threw away the caller's optimized code for want of the step's types).
    let hole = ((key & mask) + mask) & mask;
    for (;;) {
      hole = (hole + 1) & mask;
      if (slots[2 * hole + 1] === 0) return false;
      if (slots[2 * hole] === key) break;
    }
    for (let from = (hole + 1) & mask; slots[2 * from + 1] !== 0; from = (from + 1) & mask) {
      if (!mayMoveBack((slots[2 * from] as number) & mask, from, hole, mask)) continue;
      slots[2 * hole] = slots[2 * from] as number;
      slots[2 * hole + 1] = slots[2 * from + 1] as number;
      hole = from;
    }
    slots[2 * hole + 1] = 0;
    this.count--;
    return true;
  }

  /** Replaces each value with `next(value)` (not 0), keys in place. */
  mapValues(next: (value: number) => number): void {
    const slots = this.slots;
    for (let i = 1; i < slots.length; i += 2) if ((slots[i] as number) !== 0) slots[i] = next(slots[i] as number);
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Int32Array(2 * capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if ((old[i + 1] as number) !== 0) this.set(old[i] as number, old[i + 1] as number);
  }
}

/** Integer key → positive count; a count that falls to zero removes its key. */
export class IntCounts {
  /** Slot i: its key at 2i and its count at 2i + 1 (0 marks an empty slot), side by side so a probe reads one cache line. */
  private slots = new Int32Array(2 * MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The key's count, 0 when absent. */
  get(key: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const n = slots[2 * slot + 1] as number;
      if (n === 0 || slots[2 * slot] === key) return n;
    }
  }

  /** Adds `delta` (positive or negative) to the key's count and returns the new count; at zero the key goes. */
  add(key: number, delta: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const n = slots[2 * slot + 1] as number;
      if (n === 0) {
        if (delta <= 0) return 0;
        slots[2 * slot] = key;
        slots[2 * slot + 1] = delta;
        if (++this.count > MAX_PROBED_LOAD * (mask + 1)) this.grow();
        return delta;
      }
      if (slots[2 * slot] === key) {
        const next = n + delta;
        if (next > 0) slots[2 * slot + 1] = next;
        else this.removeAt(slot);
        return Math.max(0, next);
      }
    }
  }

  private removeAt(slot: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let hole = slot;
    for (let from = (hole + 1) & mask; slots[2 * from + 1] !== 0; from = (from + 1) & mask) {
      if (!mayMoveBack((slots[2 * from] as number) & mask, from, hole, mask)) continue;
      slots[2 * hole] = slots[2 * from] as number;
      slots[2 * hole + 1] = slots[2 * from + 1] as number;
      hole = from;
    }
    slots[2 * hole + 1] = 0;
    this.count--;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Int32Array(2 * capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if ((old[i + 1] as number) > 0) this.add(old[i] as number, old[i + 1] as number);
  }
}

/** Bits of a CompactCounts slot that hold its displacement from its home slot. */
const DISPLACEMENT_BITS = 8;
const MAX_DISPLACEMENT = (1 << DISPLACEMENT_BITS) - 1;
/**
 * The smallest table: 2^10 slots (4 kB: a source of a few items in the window has one), which leaves a count two bits
 * (a larger count is kept apart, see `large`).
 */
const MIN_HOME_BITS = 10;
/** A table grows past this load: Robin Hood probing keeps searches short up to it. */
const MAX_LOAD = 0.8;

/**
 * Integer key → positive count in four bytes a slot, for tables of millions of keys (the source templates count every
 * shingle of every item in the window). The table has m · 2^(k−2) slots (m from 4 to 7: it grows by an eighth to a
 * quarter at a time); a key's top k bits pick its home slot, (top · m) >> 2, which no other top shares, so a slot
 * keeps only the key's low 32 − k bits (quotienting, as in Cleary's compact hash tables), with the slot's distance
 * from home and the count beside them: [low bits | distance, 8 bits | count, k − 8 bits]. Robin Hood linear probing
 * (Celis 1986) keeps each run of slots ordered by home, so a search stops at the first entry nearer its home than the
 * search has come, and a deletion shifts the run back. Two maps take what the slots cannot hold: the counts too large
 * for their bits, and the keys that would sit too far from home (keys that are not hashes could crowd one home).
 */
export class CompactCounts {
  private slots = new Int32Array(1 << MIN_HOME_BITS);
  /** k: the key's top bits that pick its home. */
  private homeBits = MIN_HOME_BITS;
  /** m: slots per four tops. */
  private multiplier = 4;
  private count = 0;
  /** The counts of keys whose count bits are all set. */
  private readonly large = new Map<number, number>();
  /** Keys with their counts that found no slot near enough to home. */
  private readonly spilled = new Map<number, number>();

  constructor() {
    // The size changes only as the table grows, which may first happen long after the code reading it was optimized.
    // Written twice here, neither is taken for a constant by that code (V8 treats a field written only at construction
    // as one), which the first change would otherwise throw away (src/cluster/TUNING.md, "Fields that change late").
    this.homeBits = MIN_HOME_BITS + 1;
    this.homeBits = MIN_HOME_BITS;
    this.multiplier = 5;
    this.multiplier = 4;
  }

  get size(): number {
    return this.count;
  }

  /** The key's count, 0 when absent. */
  get(key: number): number {
    const at = this.find(key);
    if (at >= 0) return this.countAt(at, key);
    return this.spilled.size === 0 ? 0 : (this.spilled.get(key) ?? 0);
  }

  /** Adds `delta` (positive or negative) to the key's count and returns the new count; at zero the key goes. */
  add(key: number, delta: number): number {
    const at = this.find(key);
    if (at >= 0) {
      const next = this.countAt(at, key) + delta;
      if (next > 0) this.setCountAt(at, key, next);
      else this.removeAt(at, key);
      return Math.max(0, next);
    }
    const spilled = this.spilled.size === 0 ? undefined : this.spilled.get(key);
    if (spilled !== undefined) {
      const next = spilled + delta;
      if (next > 0) this.spilled.set(key, next);
      else {
        this.spilled.delete(key);
        this.count--;
      }
      return Math.max(0, next);
    }
    if (delta <= 0) return 0;
    if (this.count + 1 > MAX_LOAD * this.slots.length) this.grow();
    this.insert(key, delta);
    return delta;
  }

  /** Visits every key with its count (in no particular order). */
  forEach(visit: (key: number, count: number) => void): void {
    // The spilled keys first: visited after the slots, they were first met by code that V8 had just optimized while it
    // ran over the slots (on-stack replacement), without their types, which threw that code away.
    for (const [key, c] of this.spilled) visit(key, c);
    const slots = this.slots;
    const n = slots.length;
    const k = this.homeBits;
    const countMask = (1 << (k - DISPLACEMENT_BITS)) - 1;
    for (let at = 0; at < n; at++) {
      const w = slots[at] as number;
      if (w === 0) continue;
      const key = this.keyAt(at, w);
      const c = w & countMask;
      visit(key, c === countMask ? (this.large.get(key) as number) : c);
    }
  }

  /** The key of the entry w at a slot, from its home and low bits. */
  private keyAt(at: number, w: number): number {
    const n = this.slots.length;
    const k = this.homeBits;
    // The displacement is less than the table's length: one conditional add wraps it (an integer % is a division).
    let home = at - ((w >>> (k - DISPLACEMENT_BITS)) & MAX_DISPLACEMENT);
    if (home < 0) home += n;
    // The one top t with (t · m) >> 2 = home: ⌈4·home / m⌉, as a truncated division of whole numbers, which the
    // compiler makes an integer division (Math.ceil of a quotient first met as a fraction late in a run deoptimized).
    const m = this.multiplier;
    const top = ((home * 4 + m - 1) / m) | 0;
    return ((top << (32 - k)) | (w >>> k)) | 0;
  }

  /** Where the key sits, or -1. */
  private find(key: number): number {
    const slots = this.slots;
    const n = slots.length;
    const k = this.homeBits;
    const countBits = k - DISPLACEMENT_BITS;
    const low = key & ((1 << (32 - k)) - 1);
    let at = ((key >>> (32 - k)) * this.multiplier) >>> 2;
    for (let d = 0; ; d++) {
      const w = slots[at] as number;
      if (w === 0) return -1;
      const held = (w >>> countBits) & MAX_DISPLACEMENT;
      if (held < d) return -1;
      if (held === d && w >>> k === low) return at;
      if (++at === n) at = 0;
    }
  }

  private countAt(at: number, key: number): number {
    const countMask = (1 << (this.homeBits - DISPLACEMENT_BITS)) - 1;
    const c = (this.slots[at] as number) & countMask;
    return c === countMask ? (this.large.get(key) as number) : c;
  }

  private setCountAt(at: number, key: number, count: number): void {
    const countMask = (1 << (this.homeBits - DISPLACEMENT_BITS)) - 1;
    const w = this.slots[at] as number;
    if (count >= countMask) this.large.set(key, count);
    else if ((w & countMask) === countMask) this.large.delete(key);
    this.slots[at] = (w & ~countMask) | Math.min(count, countMask);
  }

  /** Adds a key that is not in the table. */
  private insert(key: number, count: number): void {
    this.count++;
    const at = this.place(key);
    if (at < 0) this.spilled.set(key, count);
    else this.setCountAt(at, key, count);
  }

  /**
   * Places a key that is not in the table (count bits 1) where its run orders it, shifting the rest of the run one
   * slot on, and returns its slot; -1, with the table unchanged, when an entry would move too far from its home.
   */
  private place(key: number): number {
    const slots = this.slots;
    const n = slots.length;
    const k = this.homeBits;
    const countBits = k - DISPLACEMENT_BITS;
    let at = ((key >>> (32 - k)) * this.multiplier) >>> 2;
    let d = 0;
    // The first slot that is empty or holds an entry whose home comes after the key's.
    for (let w = slots[at] as number; w !== 0 && ((w >>> countBits) & MAX_DISPLACEMENT) >= d; w = slots[at] as number) {
      if (++d > MAX_DISPLACEMENT) return -1;
      if (++at === n) at = 0;
    }
    for (let i = at, w = slots[i] as number; w !== 0; w = slots[i] as number) {
      if (((w >>> countBits) & MAX_DISPLACEMENT) === MAX_DISPLACEMENT) return -1;
      if (++i === n) i = 0;
    }
    const placed = at;
    let carry = ((key << k) | (d << countBits) | 1) | 0;
    for (;;) {
      const w = slots[at] as number;
      slots[at] = carry;
      if (w === 0) return placed;
      carry = (w + (1 << countBits)) | 0;
      if (++at === n) at = 0;
    }
  }

  /** Removes the key at a slot, shifting the rest of its run back one slot. */
  private removeAt(at: number, key: number): void {
    const slots = this.slots;
    const n = slots.length;
    const countBits = this.homeBits - DISPLACEMENT_BITS;
    const countMask = (1 << countBits) - 1;
    if (((slots[at] as number) & countMask) === countMask) this.large.delete(key);
    let hole = at;
    for (;;) {
      const next = hole + 1 === n ? 0 : hole + 1;
      const w = slots[next] as number;
      if (w === 0 || ((w >>> countBits) & MAX_DISPLACEMENT) === 0) break;
      slots[hole] = (w - (1 << countBits)) | 0;
      hole = next;
    }
    slots[hole] = 0;
    this.count--;
  }

  /**
   * Moves to the next size and places every key again. Homes keep their order from one size to the next (both follow
   * the keys' top bits), so the old slots, read from the start of a run on, give the keys in order of their new homes:
   * each goes to the first free slot from its home, with no probing.
   */
  private grow(): void {
    const old = this.slots;
    const oldLength = old.length;
    const k = this.homeBits;
    const m = this.multiplier;
    const countBits = k - DISPLACEMENT_BITS;
    const countMask = (1 << countBits) - 1;
    const large = new Map(this.large);
    const spilled = new Map(this.spilled);
    if (m === 7) {
      this.multiplier = 4;
      this.homeBits++;
    } else this.multiplier++;
    const slots = new Int32Array(this.multiplier << (this.homeBits - 2));
    const n = slots.length;
    const newK = this.homeBits;
    const newCountBits = newK - DISPLACEMENT_BITS;
    const newCountMask = (1 << newCountBits) - 1;
    this.slots = slots;
    this.count = 0;
    this.large.clear();
    this.spilled.clear();
    let start = 0;
    while (start < oldLength && old[start] !== 0) start++;
    // The next free slot, counted on past the end of the table (the keys after the wrap of homes start over from 0).
    let next = 0;
    let lastHome = -1;
    for (let i = 1; i <= oldLength; i++) {
      // Wrapped by a conditional subtraction, not %: an integer division per key was most of the cost of growing.
      const at = start + i < oldLength ? start + i : start + i - oldLength;
      const w = old[at] as number;
      if (w === 0) continue;
      let home = at - ((w >>> countBits) & MAX_DISPLACEMENT);
      if (home < 0) home += oldLength;
      // The one top t with (t · m) >> 2 = home (keyAt, for the old size).
      const top = ((home * 4 + m - 1) / m) | 0;
      const key = ((top << (32 - k)) | (w >>> k)) | 0;
      const c = w & countMask;
      const count = c === countMask ? (large.get(key) as number) : c;
      const newHome = ((key >>> (32 - newK)) * this.multiplier) >>> 2;
      if (newHome < lastHome) next -= n;
      lastHome = newHome;
      const place = Math.max(newHome, next);
      const d = place - newHome;
      let slot = place;
      while (slot >= n) slot -= n;
      if (d > MAX_DISPLACEMENT || slots[slot] !== 0) {
        this.insert(key, count);
        continue;
      }
      slots[slot] = ((key << newK) | (d << newCountBits) | Math.min(count, newCountMask)) | 0;
      if (count >= newCountMask) this.large.set(key, count);
      this.count++;
      next = place + 1;
    }
    for (const [key, c] of spilled) this.insert(key, c);
  }
}

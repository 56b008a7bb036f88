/**
 * Hash tables keyed by 32-bit integers that are already hashes (every blocking key is avalanched), so the low bits
 * pick the slot directly. Open addressing with linear probing keeps a key and its neighbours in one typed array: a
 * lookup in the window's hundreds of thousands of keys touches one or two cache lines, where a JS Map follows a
 * bucket, then an entry, then the value. Deletion shifts the following entries back (no tombstones), so a table that
 * sees every key of a sliding window come and go stays as short to probe as when it was new.
 */

/** Smallest capacity; tables double when more than half full and never shrink (the window's size is steady). */
const MIN_CAPACITY = 1024;

/** The slot a deletion frees is refilled from the entries after it that may move back without leaving their probe path. */
function mayMoveBack(home: number, from: number, hole: number, mask: number): boolean {
  // Distance from the entry's home slot to where it sits, against the distance from the hole to where it sits.
  return ((from - home) & mask) >= ((from - hole) & mask);
}

/** Integer key → object value (never undefined). */
export class IntKeyMap<V extends object> {
  private keys = new Int32Array(MIN_CAPACITY);
  private values: (V | undefined)[] = new Array<V | undefined>(MIN_CAPACITY).fill(undefined);
  private mask = MIN_CAPACITY - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: number): V | undefined {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const value = values[slot];
      if (value === undefined || keys[slot] === key) return value;
    }
  }

  set(key: number, value: V): void {
    const mask = this.mask;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const held = this.values[slot];
      if (held === undefined) {
        this.keys[slot] = key;
        this.values[slot] = value;
        if (++this.count * 2 > mask) this.grow();
        return;
      }
      if (this.keys[slot] === key) {
        this.values[slot] = value;
        return;
      }
    }
  }

  delete(key: number): boolean {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let hole = key & mask;
    for (; ; hole = (hole + 1) & mask) {
      if (values[hole] === undefined) return false;
      if (keys[hole] === key) break;
    }
    for (let from = (hole + 1) & mask; values[from] !== undefined; from = (from + 1) & mask) {
      if (!mayMoveBack((keys[from] as number) & mask, from, hole, mask)) continue;
      keys[hole] = keys[from] as number;
      values[hole] = values[from];
      hole = from;
    }
    values[hole] = undefined;
    this.count--;
    return true;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    const capacity = (this.mask + 1) * 2;
    this.keys = new Int32Array(capacity);
    this.values = new Array<V | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    this.count = 0;
    for (let slot = 0; slot < values.length; slot++) {
      const value = values[slot];
      if (value !== undefined) this.set(keys[slot] as number, value);
    }
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
        if (++this.count * 2 > mask) this.grow();
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

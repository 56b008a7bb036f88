/**
 * Entries a heap starts with room for; it doubles while its window fills (see fit). Few, so that it first grows while
 * the index is warming up: a growth met first after the code that pushes was optimized threw that code away.
 */
const MIN_ENTRIES = 16;
/** A heap fitted to a full window keeps this much room, and grows by HEAP_GROWTH when it must. */
const FITTED_ROOM = 1.05;
const HEAP_GROWTH = 1.15;

/**
 * A binary min-heap of slots by time, then by arrival sequence (so equal times leave in arrival order): the window
 * evicts its oldest article first whatever the arrival order. Each entry keeps its slot, time and sequence in typed
 * arrays, so the heap is three arrays however many articles it holds.
 */
export class TimeHeap {
  private slots = new Int32Array(MIN_ENTRIES);
  private times = new Float64Array(MIN_ENTRIES);
  private seqs = new Float64Array(MIN_ENTRIES);
  private count = 0;
  /** Whether fit has run: the window has been full. */
  private fitted = false;

  constructor() {
    // Written twice, not taken for a constant by code optimized before the first fit (src/cluster/TUNING.md, "Fields
    // that change late").
    this.fitted = true;
    this.fitted = false;
  }

  /** Returns the number of entries held. */
  get length(): number {
    return this.count;
  }

  /** The oldest entry's slot, -1 when empty. */
  peekSlot(): number {
    return this.count === 0 ? -1 : (this.slots[0] as number);
  }

  /** The oldest entry's time (only when not empty). */
  peekTime(): number {
    return this.times[0] as number;
  }

  /** The oldest entry's sequence (only when not empty): tells an entry from a later one of a reused slot. */
  peekSeq(): number {
    return this.seqs[0] as number;
  }

  /** Adds a slot with its time and sequence. */
  push(slot: number, timeMs: number, seq: number): void {
    if (this.count === this.slots.length) this.grow();
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(timeMs, seq, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, slot, timeMs, seq);
  }

  /** Removes the oldest entry and returns its slot (-1 when empty). */
  pop(): number {
    if (this.count === 0) return -1;
    const top = this.slots[0] as number;
    const last = --this.count;
    if (last > 0) {
      const slot = this.slots[last] as number;
      const timeMs = this.times[last] as number;
      const seq = this.seqs[last] as number;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const m = r < last && this.entryBefore(r, l) ? r : l;
        if (!this.entryBeforeValues(m, timeMs, seq)) break;
        this.move(m, i);
        i = m;
      }
      this.put(i, slot, timeMs, seq);
    }
    return top;
  }

  /** Whether (timeMs, seq) comes before the entry at i. */
  private before(timeMs: number, seq: number, i: number): boolean {
    const t = this.times[i] as number;
    return timeMs < t || (timeMs === t && seq < (this.seqs[i] as number));
  }

  /** Whether the entry at i comes before (timeMs, seq). */
  private entryBeforeValues(i: number, timeMs: number, seq: number): boolean {
    const t = this.times[i] as number;
    return t < timeMs || (t === timeMs && (this.seqs[i] as number) < seq);
  }

  private entryBefore(i: number, j: number): boolean {
    return this.entryBeforeValues(i, this.times[j] as number, this.seqs[j] as number);
  }

  private move(from: number, to: number): void {
    this.slots[to] = this.slots[from] as number;
    this.times[to] = this.times[from] as number;
    this.seqs[to] = this.seqs[from] as number;
  }

  private put(i: number, slot: number, timeMs: number, seq: number): void {
    this.slots[i] = slot;
    this.times[i] = timeMs;
    this.seqs[i] = seq;
  }

  /** Gives back the room doubling left while the window filled, keeping FITTED_ROOM times the entries held. */
  fit(): void {
    this.fitted = true;
    const n = Math.max(MIN_ENTRIES, Math.ceil(this.count * FITTED_ROOM));
    if (n < this.slots.length) this.resize(n);
  }

  private grow(): void {
    this.resize(Math.ceil(this.slots.length * (this.fitted ? HEAP_GROWTH : 2)));
  }

  /** Moves the entries into arrays of n (at least count). */
  private resize(n: number): void {
    const slots = new Int32Array(n);
    const times = new Float64Array(n);
    const seqs = new Float64Array(n);
    slots.set(this.slots.subarray(0, this.count));
    times.set(this.times.subarray(0, this.count));
    seqs.set(this.seqs.subarray(0, this.count));
    this.slots = slots;
    this.times = times;
    this.seqs = seqs;
  }
}

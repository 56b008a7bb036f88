import { fnv1a } from '../cluster/hash.js';

/**
 * Room a store starts with, in bytes and strings; it doubles as it fills. Little, so that it first grows while a batch
 * warms up: a growth met first after the code that adds was optimized threw that code away.
 */
const FIRST_BYTES = 1 << 10;
const FIRST_STRINGS = 16;
const EMPTY = -1;

/**
 * Strings kept outside the JS heap, in one growing buffer, numbered in the order they are added. A batch keeps one id a
 * line and one id a story to the end: a million short strings held as JS strings cost about 40 bytes each and, being
 * long-lived among a stream of short-lived garbage, several times that in heap the collector keeps committed; here
 * they cost two bytes a character and 8 more. UTF-16 code units, so any string (a lone surrogate too) comes back as
 * it went in.
 */
export class ByteStrings {
  private bytes = Buffer.allocUnsafe(FIRST_BYTES);
  private used = 0;
  /** Where string i starts; string i ends where i + 1 starts. */
  private starts = new Float64Array(FIRST_STRINGS + 1);
  private count = 0;

  /** Appends a string and returns its number. */
  add(s: string): number {
    const size = s.length * 2;
    if (this.used + size > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + size));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    if (this.count + 1 === this.starts.length) {
      const bigger = new Float64Array(this.starts.length * 2);
      bigger.set(this.starts);
      this.starts = bigger;
    }
    this.used += this.bytes.write(s, this.used, 'utf16le');
    this.starts[++this.count] = this.used;
    return this.count - 1;
  }

  /** Returns string number `i`. */
  get(i: number): string {
    return this.bytes.toString('utf16le', this.starts[i], this.starts[i + 1]);
  }
}

/** Numbers distinct strings (the same string, the same number) and keeps them in ByteStrings; open addressing on their hashes. */
export class StringNumbers {
  private readonly strings = new ByteStrings();
  private hashes = new Uint32Array(FIRST_STRINGS);
  private table = new Int32Array(FIRST_STRINGS * 2).fill(EMPTY);
  private size = 0;

  /** Returns the number of `s`, giving it the next one if it is new. */
  numberOf(s: string): number {
    const hash = fnv1a(s);
    const mask = this.table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const i = this.table[slot] as number;
      if (i === EMPTY) break;
      if (this.hashes[i] === hash && this.strings.get(i) === s) return i;
    }
    const i = this.strings.add(s);
    if (i === this.hashes.length) {
      const bigger = new Uint32Array(this.hashes.length * 2);
      bigger.set(this.hashes);
      this.hashes = bigger;
    }
    this.hashes[i] = hash;
    this.size++;
    if (this.size * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.put(i);
    return i;
  }

  /** Returns string number `i`. */
  get(i: number): string {
    return this.strings.get(i);
  }

  private put(i: number): void {
    const mask = this.table.length - 1;
    let slot = (this.hashes[i] as number) & mask;
    while (this.table[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.table[slot] = i;
  }

  private rehash(capacity: number): void {
    this.table = new Int32Array(capacity).fill(EMPTY);
    for (let i = 0; i < this.size; i++) this.put(i);
  }
}

import { fnv1a } from './hash.js';
import { IntKeyMap } from './int-key-map.js';

/**
 * The newest holder (a member's slot) of each exact key of one kind (URL, GUID, content hash), keyed by a 32-bit hash
 * of the key instead of the key string: the window then holds no second copy of each key, and no Map entry per member.
 * Exact all the same: a hit is confirmed against the holder's own key (`keyOf`, read from the index's columns), and a
 * key whose hash is already held by a different key waits in a Map of strings (collisions are rare, so it is small),
 * so that two different keys are never taken for one and no key is lost to another. It answers as a
 * Map<string, slot> would.
 */
export class ExactKeyIndex {
  /** Hash of a key → its holder's slot + 1. */
  private readonly byHash = new IntKeyMap();
  /** Keys whose hash was held by another key when they were set. */
  private readonly collided = new Map<string, number>();

  /** `keyOf(slot)`: the key that slot holds in this kind (undefined when it holds none). */
  constructor(private readonly keyOf: (slot: number) => string | undefined) {}

  get(key: string): number | undefined {
    const held = this.byHash.get(fnv1a(key) | 0) - 1;
    if (held >= 0 && this.keyOf(held) === key) return held;
    return this.collided.size === 0 ? undefined : this.collided.get(key);
  }

  /** Makes `slot` (whose keyOf is `key` from now on) the key's holder. */
  set(key: string, slot: number): void {
    const hash = fnv1a(key) | 0;
    const held = this.byHash.get(hash) - 1;
    if (held >= 0 && held !== slot && this.keyOf(held) !== key) {
      this.collided.set(key, slot);
      return;
    }
    this.byHash.set(hash, slot + 1);
    // A key is held in one place only: an older holder left among the collided would outlive this one.
    if (this.collided.size > 0) this.collided.delete(key);
  }

  /** Lets go of the key if `slot` holds it (a newer holder keeps it). */
  release(key: string, slot: number): void {
    const hash = fnv1a(key) | 0;
    if (this.byHash.get(hash) - 1 === slot) this.byHash.delete(hash);
    else if (this.collided.size > 0 && this.collided.get(key) === slot) this.collided.delete(key);
  }
}

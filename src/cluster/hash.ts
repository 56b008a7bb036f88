/** FNV-1a 32-bit offset basis (http://www.isthe.com/chongo/tech/comp/fnv/). */
const FNV_OFFSET = 0x811c9dc5;
/** FNV-1a 32-bit prime. */
const FNV_PRIME = 0x01000193;

/** Hashes a string to an unsigned 32-bit integer with FNV-1a, salted so key spaces do not collide. */
export function fnv1a(text: string, salt = 0): number {
  let h = (FNV_OFFSET ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  // A final avalanche (murmur3 fmix32) so that short keys spread over all 32 bits.
  return fmix32(h);
}

/** Mixes the bits of a 32-bit integer (murmur3 finalizer). */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines two 32-bit hashes into one, order-sensitively. */
export function combineHash(a: number, b: number): number {
  return fmix32((Math.imul(a, 0x9e3779b1) ^ b) >>> 0);
}

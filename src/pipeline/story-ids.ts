import { Buffer } from 'node:buffer';

/** The name's UTF-8 bytes, padded to whole 64-byte blocks as SHA-1 reads them; grown as needed. */
let message = Buffer.alloc(128);
/** The message schedule of one block. */
const schedule = new Int32Array(80);
/** Two lower-case hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/**
 * The first four words of the SHA-1 digest (FIPS 180-4) of a string's UTF-8 bytes. Ids are minted for every new story,
 * and a digest object per id cost more than the hashing: the names are short, one or two blocks.
 */
function sha1Head(name: string): [number, number, number, number] {
  const length = Buffer.byteLength(name, 'utf8');
  const blocks = ((length + 8) >>> 6) + 1;
  if (message.length < blocks * 64) message = Buffer.alloc(blocks * 128);
  const m = message;
  m.write(name, 0, 'utf8');
  m.fill(0, length, blocks * 64);
  m[length] = 0x80;
  const bits = length * 8;
  m.writeUInt32BE(Math.floor(bits / 0x100000000), blocks * 64 - 8);
  m.writeUInt32BE(bits >>> 0, blocks * 64 - 4);
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  const w = schedule;
  for (let block = 0; block < blocks; block++) {
    const at = block * 64;
    for (let t = 0; t < 16; t++) w[t] = m.readInt32BE(at + 4 * t);
    for (let t = 16; t < 80; t++) {
      const x = (w[t - 3] as number) ^ (w[t - 8] as number) ^ (w[t - 14] as number) ^ (w[t - 16] as number);
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const next = (((a << 5) | (a >>> 27)) + f + e + k + (w[t] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = next;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return [h0, h1, h2, h3];
}

/** A 32-bit word as eight hex digits, big-endian. */
function hexWord(x: number): string {
  return (HEX[(x >>> 24) & 0xff] as string) + (HEX[(x >>> 16) & 0xff] as string) + (HEX[(x >>> 8) & 0xff] as string) + (HEX[x & 0xff] as string);
}

/** Formats 16 bytes of a SHA-1 digest as a name-based (version 5) UUID, RFC 9562 §5.5. */
function uuidV5From(name: string): string {
  const [w0, w1, w2, w3] = sha1Head(name);
  // Byte 6 (the version) is the high byte of w1's low half; byte 8 (the variant) is w2's high byte.
  const v1 = (w1 & 0xffff0fff) | 0x5000;
  const v2 = (w2 & 0x3fffffff) | 0x80000000;
  const a = hexWord(w0);
  const b = hexWord(v1);
  const c = hexWord(v2);
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hexWord(w3)}`;
}

/**
 * Mints the atom:id of a story from the id of the article that started it, so the same input
 * always gives the same ids; it is stored and never recomputed (RFC 4287 §4.2.6).
 */
export function storyIdFor(founderArticleId: string): string {
  return `urn:uuid:${uuidV5From(`feedfold:story:${founderArticleId}`)}`;
}

/** Mints the id of a story split out of another by an override. */
export function splitStoryIdFor(articleId: string): string {
  return `urn:uuid:${uuidV5From(`feedfold:split:${articleId}`)}`;
}

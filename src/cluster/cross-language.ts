import { Buffer } from 'node:buffer';
import { anyAscii } from '../model/any-ascii.js';
import { FOLDED_LETTERS, NAME_STEMS, STOP_WORD_HASHES } from './cross-language-words.js';

/**
 * Text that crosses languages: a vector of an article's words that two versions of one story in two languages share.
 *
 * Each content word (four letters or more, not a function word of a supported language) is folded to ASCII and
 * becomes one key:
 * - a country or language name of CLDR (Intl.DisplayNames in every supported language, kept in
 *   cross-language-names.ts) becomes that country or language ("Russland", "Russia" and "Rusia" are one key;
 *   "russischen" and "Russian" another);
 * - any other word becomes its orthographic skeleton: its first letter and the next consonants, spelling variants of
 *   one sound merged ("c" before e/i/y is "s", other "c" and "ch" are "k", "z" is "s", "ph" is "f", "th" is "t",
 *   "w" is "v", "j" and "y" are vowels: "Lawrow"/"Lavrov", "Juri"/"Yuri"), doubled
 *   letters once, cut to three letters. Names, international words and the Latin and Greek stock European languages
 *   share meet under it: "Präsident"/"president" (prs), "Polizei"/"police" (pls), "Kommission"/"commission" (kms),
 *   "Pandemie"/"pandemic" (pnd), "Krise"/"crisis" (krs).
 *
 * Two articles compare by the cosine of their key counts (log-scaled). A three-letter skeleton also merges unrelated
 * words, in one language as across two; that is noise both same-story and different-story pairs carry, and the
 * cosine of two versions of one story stands above it (semeval-dev, see TUNING.md "Text across languages").
 *
 * Why this and not a dictionary or a model: no bilingual lexicon under an MIT-compatible licence ships on npm
 * (FreeDict and Ding are GPL, MUSE is non-commercial, Wiktionary extracts are share-alike and not packaged), and the
 * multilingual sentence models are downloaded from a model hub, not installed with the package, and cost
 * milliseconds per article. The keys are read in the scan's own pass over the text (see CrossLanguageCounter), need
 * no data beyond CLDR's names and the stopword lists the name keys already use, and work for every language
 * written in or transliterated to the Latin alphabet.
 */

/**
 * Keys of one article's text with their counts, packed in one array: each entry is `key << 8 | count` (the count
 * capped at 255), ascending by key; `norm` is the length of the log-scaled count vector. One typed array per article
 * keeps what the index holds, and what the collector walks, small.
 */
export interface CrossLanguageVector {
  entries: Uint32Array;
  norm: number;
}

/** Words shorter than this are skipped: short words are function words or too ambiguous as skeletons. */
export const MIN_WORD = 4;
/** Letters of a skeleton key. */
const SKELETON = 3;
/** Longest word read (longer ones are cut: their skeleton is in the first letters). */
const MAX_WORD = 48;
/** Concept keys start after every skeleton key (27³). */
export const CONCEPT_BASE = 27 * 27 * 27;
/** Keys a counter counts: every skeleton key and up to 4096 concept keys (one past them is not counted). */
const KEY_SPACE = CONCEPT_BASE + 4096;

/** Languages whose function words are dropped and whose country and language names are read. */
export const LANGUAGES = ['en', 'de', 'es', 'fr', 'it', 'pt', 'nl', 'pl', 'tr', 'ru', 'el', 'ar'] as const;

/** UTF-16 codes below this have their folded letter in FOLD. */
const FOLD_CODES = 0x250;

/**
 * For each UTF-16 code below FOLD_CODES, as any-ascii folds it: its lower-case ASCII letter (a–z as 1–26), 0 for a
 * non-letter, 255 for a letter that folds to no single ASCII letter (read with any-ascii). Written into
 * cross-language-words.ts by scripts/cross-language-words.ts (see FOLDED_LETTERS).
 */
export function foldTable(): Uint8Array {
  const fold = new Uint8Array(FOLD_CODES);
  for (let c = 0; c < FOLD_CODES; c++) {
    const ch = String.fromCharCode(c);
    if (!/\p{L}/u.test(ch)) continue;
    const ascii = anyAscii(ch).toLowerCase();
    const code = ascii.charCodeAt(0);
    fold[c] = ascii.length >= 1 && code >= 97 && code <= 122 ? code - 96 : 255;
  }
  return fold;
}

/** foldTable() as kept in FOLDED_LETTERS: each code's letter as itself, 0 as '.', 255 as '*'. */
export function foldedLettersOf(fold: Uint8Array): string {
  let out = '';
  for (const letter of fold) out += letter === 0 ? '.' : letter === 255 ? '*' : String.fromCharCode(96 + letter);
  return out;
}

/**
 * foldTable(), read from the copy kept in cross-language-words.ts: folding some 500 letters with any-ascii took 10 ms
 * at every start. A copy of another size (FOLD_CODES changed since) is not read.
 */
const FOLD = FOLDED_LETTERS.length === FOLD_CODES ? keptFold(FOLDED_LETTERS) : foldTable();

function keptFold(letters: string): Uint8Array {
  const fold = new Uint8Array(FOLD_CODES);
  for (let c = 0; c < FOLD_CODES; c++) {
    const kept = letters.charCodeAt(c);
    fold[c] = kept === 46 ? 0 : kept === 42 ? 255 : kept - 96;
  }
  return fold;
}

const LETTER_RE = /\p{L}/u;

/** FNV-1a of folded letters (1–26). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function hashLetters(letters: Uint8Array, n: number): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ (letters[i] as number), FNV_PRIME);
  return h | 0;
}

const ASCII_WORD_RE = /^[\x00-\x7f]*$/;

/** Folds a word to letters 1–26 in `out`; returns how many. */
export function foldWord(word: string, out: Uint8Array): number {
  // any-ascii leaves ASCII as it is (and is then not loaded for the name endings of every start).
  const ascii = (ASCII_WORD_RE.test(word) ? word : anyAscii(word)).toLowerCase();
  let n = 0;
  for (let i = 0; i < ascii.length && n < MAX_WORD; i++) {
    const c = ascii.charCodeAt(i);
    if (c >= 97 && c <= 122) out[n++] = c - 96;
  }
  return n;
}

const scratchWord = new Uint8Array(MAX_WORD * 4);

/** Endings a country or language name takes in running text (plural, genitive, German and Dutch adjective endings). */
const NAME_ENDINGS = ['', 's', 'e', 'n', 'en', 'er', 'es', 'em', 'an', 'ans', 'ian', 'ians'];

/**
 * Lists the one-word names (no space or hyphen) of the regions and languages with a two-letter code, in `lang`, from
 * the runtime's CLDR (Intl.DisplayNames), each with its id (`R` or `L` and the code), in the order of the codes. Kept
 * in cross-language-names.ts by scripts/cross-language-names.ts.
 */
export function displayNamesOf(lang: string): [string, string][] {
  const names: [string, string][] = [];
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const regions = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
  const languages = new Intl.DisplayNames([lang], { type: 'language', fallback: 'none' });
  for (const x of letters) {
    for (const y of letters) {
      const code = x + y;
      for (const [kind, of] of [
        ['R', () => regions.of(code)],
        ['L', () => languages.of(code.toLowerCase())],
      ] as const) {
        try {
          const name = of();
          if (name !== undefined && !/\s|-/.test(name.trim())) names.push([name, kind + code]);
        } catch {
          // Not a region or language code.
        }
      }
    }
  }
  return names;
}

/** Continues the FNV-1a hash `h` of a word's first letters (see hashLetters) over more `letters`. */
function hashOnward(h: number, letters: Uint8Array): number {
  for (let i = 0; i < letters.length; i++) h = Math.imul(h ^ (letters[i] as number), FNV_PRIME);
  return h | 0;
}

const VOWEL = new Uint8Array(27);
for (const v of 'aeiouy') VOWEL[v.charCodeAt(0) - 96] = 1;
const L = (ch: string): number => ch.charCodeAt(0) - 96;
const C = L('c');
const H = L('h');
const K = L('k');
const P = L('p');
const Q = L('q');
const S = L('s');
const T = L('t');
const U = L('u');
const W = L('w');
const X = L('x');
const Z = L('z');
const E = L('e');
const I = L('i');
const Y = L('y');
const F = L('f');
const J = L('j');
const V = L('v');

/** The skeleton key of a folded word (letters 1–26), or -1 when it has fewer than SKELETON letters. */
function skeletonKey(w: Uint8Array, n: number): number {
  let key = 0;
  let len = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const ch = w[i] as number;
    const next = i + 1 < n ? (w[i + 1] as number) : 0;
    let mapped = ch;
    let extra = 0;
    if (ch === C) {
      // "ch" and "ck" are "k"; "c" before e, i, y is "s", else "k".
      if (next === H || next === K) {
        mapped = K;
        i++;
      } else mapped = next === E || next === I || next === Y ? S : K;
    } else if (ch === S && next === C && i + 2 < n && w[i + 2] === H) {
      // "sch" is "sh".
      i++;
    } else if ((ch === P || ch === T) && next === H) {
      mapped = ch === P ? F : T;
      i++;
    } else if (ch === Q && next === U) {
      mapped = K;
      extra = V;
      i++;
    } else if (ch === Z) mapped = S;
    else if (ch === X) {
      mapped = K;
      extra = S;
    } else if (ch === Y || ch === J) mapped = I;
    else if (ch === W) mapped = V;
    // The first letter is kept, vowel or not; then consonants, a doubled one once.
    if ((len === 0 || VOWEL[mapped] === 0) && mapped !== last) {
      last = mapped;
      key = key * 27 + mapped;
      if (++len === SKELETON) return key;
    }
    if (extra !== 0 && extra !== last) {
      last = extra;
      key = key * 27 + extra;
      if (++len === SKELETON) return key;
    }
  }
  return -1;
}

/**
 * One open-addressing table of the word hashes that do not become skeletons: a function word (value STOP) or a
 * country or language name (value: its concept key). Hash and value sit side by side, so a probe reads one cache
 * line; a plain Set and Map cost several times more per word. In front of it, a bitmap of the hashes' high bits
 * (32 KB, the first-level cache's size) answers "not in the table" for most content words without touching it.
 */
const STOP = -1;
const TABLE_BITS = 16;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
/** Slot i: hash at 2i, value + 2 at 2i + 1 (0: empty). */
const table = new Int32Array(2 << TABLE_BITS);
const FILTER_SHIFT = 14;
const filter = new Uint8Array(1 << (32 - FILTER_SHIFT - 3));
let tableWords = 0;
/** Puts a word hash in the table with its value, unless the hash is there already (the first put keeps it). */
function putWord(hash: number, value: number): void {
  let slot = hash & TABLE_MASK;
  while (table[2 * slot + 1] !== 0 && table[2 * slot] !== hash) slot = (slot + 1) & TABLE_MASK;
  if (table[2 * slot + 1] !== 0) return;
  table[2 * slot] = hash;
  table[2 * slot + 1] = value + 2;
  const bit = hash >>> FILTER_SHIFT;
  filter[bit >>> 3] = (filter[bit >>> 3] as number) | (1 << (bit & 7));
  tableWords++;
}

/** Whether this machine stores integers little-endian, as the kept ones are written. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The little-endian 32-bit integers kept as base64 in cross-language-words.ts. */
function keptInts(base64: string): Int32Array {
  const bytes = Buffer.from(base64, 'base64');
  const ints = new Int32Array(bytes.length >> 2);
  // A copy of the bytes (the decoded buffer may start off a 4-byte boundary); read one by one on a big-endian machine.
  if (LITTLE_ENDIAN) new Uint8Array(ints.buffer).set(bytes.subarray(0, ints.length * 4));
  else for (let i = 0; i < ints.length; i++) ints[i] = bytes.readInt32LE(4 * i);
  return ints;
}

// The names as written first, then their inflected forms, so that an ending never takes a name's own form ("Russia"
// + "n" is the language "Russian", not the country); the first to claim a form keeps it (English names first). A
// country or language name then wins over a stopword list that has it (stopwords-iso's Russian list has "россия").
// The names' and the stopwords' hashes are kept in cross-language-words.ts (reading them from CLDR's names and the
// stopword lists took a tenth of a start); only the endings are hashed here.
{
  const stems = keptInts(NAME_STEMS);
  const endings = NAME_ENDINGS.slice(1).map((ending) => scratchWord.slice(0, foldWord(ending, scratchWord)));
  for (let i = 0; i < stems.length; i += 2) putWord(stems[i] as number, stems[i + 1] as number);
  for (let i = 0; i < stems.length; i += 2) {
    for (const ending of endings) putWord(hashOnward(stems[i] as number, ending), stems[i + 1] as number);
  }
  for (const hash of keptInts(STOP_WORD_HASHES)) putWord(hash, STOP);
  if (tableWords > (1 << TABLE_BITS) * 0.7) throw new Error('cross-language word table too full');
}

/** The key a folded word with FNV-1a hash `h` counts under, or -1 for none (a function word, or too short). */
function keyOfWord(w: Uint8Array, n: number, h: number): number {
  if (n < MIN_WORD) return -1;
  const bit = h >>> FILTER_SHIFT;
  if (((filter[bit >>> 3] as number) & (1 << (bit & 7))) !== 0) {
    for (let slot = h & TABLE_MASK; ; slot = (slot + 1) & TABLE_MASK) {
      const value = table[2 * slot + 1] as number;
      if (value === 0) break;
      if (table[2 * slot] === h) return value - 2;
    }
  }
  return skeletonKey(w, n);
}

/** log(1 + count) for every count an entry holds. */
const LOG1P = Float64Array.from({ length: 256 }, (_, i) => Math.log1p(i));

/**
 * Counts the cross-language keys of one article's words, then gives their vector: the scan of a text counts its words
 * here as it reads them (see scan-text.ts), so no text is kept for later and no second pass is made over it. The counts
 * are scratch owned by the counter and zeroed as the vector is read.
 */
export class CrossLanguageCounter {
  private readonly counts = new Uint8Array(KEY_SPACE);
  /**
   * The keys counted since the last vector or clear, each once (a key is listed when its count leaves 0): sized for
   * every key, so counting never takes a path that grows it, which the scan, inlining it, would meet mid-run.
   */
  private readonly touched = new Uint32Array(KEY_SPACE);
  private nTouched = 0;
  private readonly word = new Uint8Array(MAX_WORD);

  /** Counts the words of a text: runs of letters, folded to ASCII (what crossLanguageVector reads). */
  countText(text: string): void {
    this.readWords(text, undefined);
  }

  /**
   * Counts the words of codes[start, end), a run of the scan's word characters in a text whose letters are all ASCII
   * (see foldsLikeScan): its words are its runs of ASCII letters, as countText would find them in the text as written.
   */
  countAsciiRuns(codes: Uint16Array, start: number, end: number): void {
    let n = 0;
    for (let k = start; k <= end; k++) {
      // (c | 32) - 96 is 1–26 exactly for 'A'–'Z' and 'a'–'z'; the end reads as a non-letter.
      const letter = k < end ? ((codes[k] as number) | 32) - 96 : 0;
      if (letter >= 1 && letter <= 26) {
        n++;
        continue;
      }
      if (n >= MIN_WORD) this.add(this.keyOfLetters(codes, k - n, n));
      n = 0;
    }
  }

  /** Counts a key that keyOfLetters gave (-1: none). */
  countKey(key: number): void {
    this.add(key);
  }

  /** The key of a word of ASCII letters, codes[start, start + n), -1 for none (as countText would count it). */
  keyOfLetters(codes: Uint16Array, start: number, n: number): number {
    const word = this.word;
    const m = Math.min(n, MAX_WORD);
    let h = FNV_OFFSET;
    for (let k = 0; k < m; k++) {
      const letter = ((codes[start + k] as number) | 32) - 96;
      word[k] = letter;
      h = Math.imul(h ^ letter, FNV_PRIME);
    }
    return keyOfWord(word, m, h | 0);
  }

  /** Counts keys listed earlier by keysOf, in order. */
  countKeys(keys: readonly number[]): void {
    for (let k = 0; k < keys.length; k++) this.add(keys[k] as number);
  }

  /** The keys the words of a text come to, in order (what countText would count), without counting them. */
  keysOf(text: string): number[] {
    const keys: number[] = [];
    this.readWords(text, keys);
    return keys;
  }

  /** How many distinct keys were counted since the last vector or clear: the length of the vector's entries. */
  get counted(): number {
    return this.nTouched;
  }

  /**
   * The vector of the words counted since the last vector or clear, its entries written to `entries` (of length
   * `counted`; a new array unless given); the counts start over.
   */
  vector(entries: Uint32Array = new Uint32Array(this.nTouched)): CrossLanguageVector {
    const { counts, touched, nTouched } = this;
    let norm = 0;
    for (let k = 0; k < nTouched; k++) {
      const key = touched[k] as number;
      const count = counts[key] as number;
      counts[key] = 0;
      entries[k] = (key << 8) | count;
      const w = LOG1P[count] as number;
      norm += w * w;
    }
    this.nTouched = 0;
    entries.sort();
    return { entries, norm: Math.sqrt(norm) };
  }

  /** Forgets the words counted (an article without a body needs no vector). */
  clear(): void {
    for (let k = 0; k < this.nTouched; k++) this.counts[this.touched[k] as number] = 0;
    this.nTouched = 0;
  }

  /** Counts one key (-1: none). */
  private add(key: number): void {
    if (key < 0 || key >= this.counts.length) return;
    const count = this.counts[key] as number;
    if (count === 0) this.touched[this.nTouched++] = key;
    if (count !== 255) this.counts[key] = count + 1;
  }

  /** Reads the words of a text, counting their keys, or listing them in `out` when given. */
  private readWords(text: string, out: number[] | undefined): void {
    const word = this.word;
    let n = 0;
    let h = 0;
    let start = -1;
    let slow = false;
    const len = text.length;
    for (let i = 0; i <= len; i++) {
      const c = i < len ? text.charCodeAt(i) : 32;
      let letter = 0;
      if (c < FOLD_CODES) letter = FOLD[c] as number;
      else if ((c >= 0x370 && c < 0x2000) || (c >= 0x3040 && c < 0xd800) || c >= 0xf900) letter = LETTER_RE.test(text[i] as string) ? 255 : 0;
      if (letter !== 0) {
        if (start < 0) {
          start = i;
          n = 0;
          h = FNV_OFFSET;
          slow = false;
        }
        if (letter === 255) slow = true;
        else if (n < MAX_WORD) {
          word[n++] = letter;
          h = Math.imul(h ^ letter, FNV_PRIME);
        }
        continue;
      }
      if (start < 0) continue;
      // A combining mark (an accent written apart) does not end a word.
      if (c >= 0x300 && c < 0x370) continue;
      if (slow) {
        n = foldWord(text.slice(start, i), word);
        h = hashLetters(word, n);
      }
      start = -1;
      if (n < MIN_WORD) continue;
      const key = keyOfWord(word, n, h | 0);
      if (out === undefined) this.add(key);
      else if (key >= 0 && key < this.counts.length) out.push(key);
    }
  }
}

/**
 * Makes a pattern of any code unit but ASCII and those beyond it after which the cross-language words of a text are
 * still the runs of ASCII letters of its scanned form (NFKD, combining marks dropped): a letter whose decomposition is
 * one ASCII letter, the one the words' folding gives it ("é", "Ü", "ñ"), and a separator (punctuation, spaces,
 * symbols, digits) whose decomposition is neither empty nor holds a letter ("…", "’", a no-break space, "½"). A letter
 * outside ASCII of any other kind ("ß", "ø", Cyrillic), a combining mark, a surrogate half, or a symbol that decomposes
 * to letters ("™") is not among them.
 */
function scanFoldableRe(): RegExp {
  const candidates: number[] = [];
  const blocks = [[0x80, 0x250], [0x2000, 0x2bff], [0x3000, 0x3040], [0xfe30, 0xfe70], [0xff00, 0xfff0]] as const;
  for (const [from, to] of blocks) for (let c = from; c < to; c++) candidates.push(c);
  const foldable = candidates.filter((c) => {
    const ch = String.fromCharCode(c);
    const scanned = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    if (LETTER_RE.test(ch)) return c < FOLD_CODES && FOLD[c] !== 255 && scanned.length === 1 && (scanned.toLowerCase().charCodeAt(0) - 96) === FOLD[c];
    return !/\p{M}/u.test(ch) && scanned.length > 0 && !LETTER_RE.test(scanned);
  });
  const escape = (c: number): string => `\\u${c.toString(16).padStart(4, '0')}`;
  return new RegExp(`[^\\x00-\\x7f${foldable.map(escape).join('')}]`);
}

/** scanFoldableRe(), made when first asked for: only a text beyond ASCII asks, and making it reads thousands of characters. */
let scanFoldable: RegExp | undefined;

/**
 * Tells whether the cross-language words of a text (its runs of letters, folded) are the runs of ASCII letters of the
 * text as the scan reads it (NFKD, combining marks dropped), so the scan can count them as it goes: true for ASCII text
 * and for text whose other code units are accented Latin letters and separators (see scanFoldableRe).
 */
export function foldsLikeScan(text: string): boolean {
  scanFoldable ??= scanFoldableRe();
  return !scanFoldable.test(text);
}

const vectorCounter = new CrossLanguageCounter();

/** The cross-language vector of an article's title and body. */
export function crossLanguageVector(title: string, body = ''): CrossLanguageVector {
  vectorCounter.countText(title);
  vectorCounter.countText(body);
  return vectorCounter.vector();
}

/** The keys the words of a text come to, in order, uncounted (a stemmed scan memoizes them per written word). */
export function crossLanguageKeys(text: string): number[] {
  return vectorCounter.keysOf(text);
}

/** The keys of a vector, ascending. */
export function vectorKeys(vector: CrossLanguageVector): number[] {
  return Array.from(vector.entries, (e) => e >>> 8);
}

/** Cosine of two cross-language vectors, 0..1. */
export function crossLanguageCosine(a: CrossLanguageVector, b: CrossLanguageVector): number {
  const ae = new Int32Array(a.entries.buffer, a.entries.byteOffset, a.entries.length);
  const be = new Int32Array(b.entries.buffer, b.entries.byteOffset, b.entries.length);
  return entriesCosine(ae, 0, ae.length, a.norm, be, 0, be.length, b.norm);
}

/**
 * Cosine, 0..1, of two vectors given as their entries, x[x0, x1) and y[y0, y1) (a key below 2^23, so an entry is a
 * positive 32-bit integer either way), and their norms.
 */
export function entriesCosine(x: Int32Array, x0: number, x1: number, xNorm: number, y: Int32Array, y0: number, y1: number, yNorm: number): number {
  if (xNorm === 0 || yNorm === 0) return 0;
  let i = x0;
  let j = y0;
  let dot = 0;
  while (i < x1 && j < y1) {
    const a = x[i] as number;
    const b = y[j] as number;
    const ka = a >>> 8;
    const kb = b >>> 8;
    if (ka === kb) {
      dot += (LOG1P[a & 255] as number) * (LOG1P[b & 255] as number);
      i++;
      j++;
    } else if (ka < kb) i++;
    else j++;
  }
  return Math.min(1, dot / (xNorm * yNorm));
}

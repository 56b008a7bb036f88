/**
 * The clustering's word scan: content-word stem hashes and capitalised names of a text in one pass over its
 * characters, without a string per word. It computes what `scanWords` + `isStopword` + `fnv1a(lightStem(word), salt)`
 * compute (the readable reference in text-features.ts; test/cluster/scan-text.test.ts checks that the two agree on
 * generated text), but lower-cases and hashes each word as its characters go by, then reads the stemmer's suffix off
 * the word's last characters and rehashes only the stem of a word that loses one. Only names, and the rare word whose
 * lower case is not one character per character, become strings.
 */
import { Buffer } from 'node:buffer';
import { fmix32 } from './hash.js';
import { STOPWORDS } from './stopwords.js';
import { isAsciiText, lightStem, SCALE_WORDS } from './text-features.js';
import type { WordStems } from './snowball-stems.js';
import { foldsLikeScan, MIN_WORD as MIN_CROSS_WORD, type CrossLanguageCounter } from './cross-language.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const COMBINING_MARKS_RE = /\p{M}/gu;
const LETTER_OR_DIGIT_RE = /[\p{L}\p{N}]/u;

const CHAR_E = 101;
const CHAR_S = 115;
const CHAR_Y = 121;

/** What a scan found: stem hashes of content words (in order), name mention counts, and the number of words. */
export interface ScannedText {
  /** Stem hashes of the content words, in text order; only the first `count` entries are set. */
  hashes: Int32Array;
  count: number;
  names: Map<string, number>;
  /**
   * Of those names, the ones met at least once next to another capitalised word (a space, no-break space or hyphen
   * apart: "Angela Merkel", "Kramp-Karrenbauer"), with how often: the part of a multi-word name. A German common noun
   * mostly stands alone after a lower-case article ("die Regierung"), so this tells names from capitalised nouns.
   */
  runs: Map<string, number>;
  /**
   * Of those names, the ones directly followed, one space apart, by another capitalised word ("Merkels Nachfolgerin"),
   * with how often: where a German genitive in "-s" stands (see name-keys.ts).
   */
  leads: Map<string, number>;
  /**
   * Of those names, the ones the text also writes in lower case ("President" and "the president", "Images" and
   * "images"): a common word written capitalised in a title or a label, not a name.
   */
  common: Set<string>;
  words: number;
  /**
   * For an ASCII text, where its words start whose letters before any digit are a word of scale (SCALE_WORDS, any
   * case: "million", "Mrd", "bn2"), in order: what extractNumbers reads spelled numbers before. Undefined for other
   * text (the scan reads it decomposed, in other positions).
   */
  scales?: Int32Array;
}

/** Per UTF-16 code unit beyond ASCII, learnt on first sight: 0 unknown, else NOT_WORD, or the lower case + WORD. */
const WIDE = new Int32Array(0x10000);
const NOT_WORD = -1;
/** A word character whose lower case is not a single code unit, or depends on its neighbours (capital sigma). */
const SLOW_WORD = -2;
const WORD_BASE = 1;

/** Classifies a code unit beyond ASCII: NOT_WORD, SLOW_WORD, or WORD_BASE + its lower-case code unit. */
function wideClass(code: number): number {
  let cls = WIDE[code] as number;
  if (cls !== 0) return cls;
  const ch = String.fromCharCode(code);
  // A lone surrogate half is never a letter to a /u regex: the reference splits words there too.
  if (!LETTER_OR_DIGIT_RE.test(ch)) cls = NOT_WORD;
  else {
    const lower = ch.toLowerCase();
    cls = lower.length !== 1 || code === 0x3a3 || code === 0xdf || code === 0x1e9e ? SLOW_WORD : WORD_BASE + lower.charCodeAt(0);
  }
  WIDE[code] = cls;
  return cls;
}

/** Characters after which the next word starts a sentence: . ! ? : " newline … “ ” « » */
function endsSentence(code: number): boolean {
  return code === 46 || code === 33 || code === 63 || code === 58 || code === 34 || code === 10 || code === 0x2026 || code === 0x201c || code === 0x201d || code === 0xab || code === 0xbb;
}

function fnv(text: string, state: number): number {
  let h = state;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Open-addressing table of the stopwords' whole-word hashes (salted like stems); a hit is confirmed against the word's
 * spelling, kept as character codes so the check reads typed arrays only.
 */
const STOP_SIZE = 1 << 11;
const STOP_MASK = STOP_SIZE - 1;
interface StopTable {
  hash: Int32Array;
  /** Where a slot's word starts in `chars`; -1 for an empty slot. */
  offset: Int32Array;
  length: Int32Array;
  chars: Uint16Array;
  /** The longest stopword's length: longer words skip the lookup. */
  longest: number;
}
const stopTables = new Map<number, StopTable>();

function stopTable(salt: number): StopTable {
  let table = stopTables.get(salt);
  if (table !== undefined) return table;
  const words = [...STOPWORDS];
  table = { hash: new Int32Array(STOP_SIZE), offset: new Int32Array(STOP_SIZE).fill(-1), length: new Int32Array(STOP_SIZE), chars: new Uint16Array(words.reduce((n, w) => n + w.length, 0)), longest: Math.max(0, ...words.map((w) => w.length)) };
  let at = 0;
  for (const word of words) {
    const h = fmix32(fnv(word, (FNV_OFFSET ^ salt) >>> 0)) | 0;
    let slot = h & STOP_MASK;
    while ((table.offset[slot] as number) >= 0) slot = (slot + 1) & STOP_MASK;
    table.hash[slot] = h;
    table.offset[slot] = at;
    table.length[slot] = word.length;
    for (let k = 0; k < word.length; k++) table.chars[at++] = word.charCodeAt(k);
  }
  stopTables.set(salt, table);
  return table;
}

/** Lower case of a code unit, NOT_WORD when it is no letter or digit, or itself when it takes the slow path. */
function lowerOf(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? c : NOT_WORD;
  const cls = wideClass(c);
  return cls === NOT_WORD ? NOT_WORD : cls === SLOW_WORD ? c : cls - WORD_BASE;
}

/** Lower-case code unit of codes[i] for a fast-path word (ASCII letters folded, others from the wide table). */
function lowerAt(codes: Uint16Array, i: number): number {
  const c = codes[i] as number;
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  return (WIDE[c] as number) - WORD_BASE;
}

/** True when the lower-cased codes[start, end) spell `word`. */
function spells(word: string, codes: Uint16Array, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let k = 0; k < word.length; k++) if (word.charCodeAt(k) !== lowerAt(codes, start + k)) return false;
  return true;
}

function isStopWord(table: StopTable, h: number, codes: Uint16Array, start: number, end: number): boolean {
  const length = end - start;
  for (let slot = h & STOP_MASK; ; slot = (slot + 1) & STOP_MASK) {
    const offset = table.offset[slot] as number;
    if (offset < 0) return false;
    if (table.hash[slot] !== h || table.length[slot] !== length) continue;
    let k = 0;
    while (k < length && table.chars[offset + k] === lowerAt(codes, start + k)) k++;
    if (k === length) return true;
  }
}

let hashBuffer = new Int32Array(4096);
/** The text's UTF-16 code units, copied in by one native call: typed-array reads are cheaper than charCodeAt. */
let codeBuffer = new Uint16Array(4096);
/** A Buffer over codeBuffer's memory, for the native UTF-16 copy. */
let codeBytes = Buffer.from(codeBuffer.buffer, codeBuffer.byteOffset, codeBuffer.byteLength);

/**
 * The names of one text with their mention counts: an open-addressing table keyed by the lower-cased hash, each hit
 * confirmed against the spelling, so a repeated name costs no string. One table serves every scan (reset per scan).
 */
class NameTable {
  private keys = new Int32Array(64);
  /** Slot → entry number, -1 when empty. */
  private entry = new Int32Array(64).fill(-1);
  private mask = 63;
  /** Entries this scan: [0, size) of the per-entry columns (kept between scans, so a scan allocates no column). */
  private size = 0;
  private readonly names: string[] = [];
  /** Per entry, its name's lower-cased hash (the key of its slot), mentions, mentions in runs, mentions as a lead. */
  private hashes = new Int32Array(32);
  private counts = new Int32Array(32);
  private runs = new Int32Array(32);
  private leads = new Int32Array(32);
  /** Per entry, whether inLowerCase found its key among the lower-case words (0 outside a call). */
  private marks = new Uint8Array(32);
  private leadCount = 0;

  /**
   * Empties the table, sized for a text of `chars` characters: room for every name such a text can hold (a name is two
   * characters or more, then a separator), with the slots at most half full, so adding never grows the table; a text
   * longer than PRESIZED_CHARS grows it as its names come.
   */
  reset(chars: number): void {
    const most = Math.floor((Math.min(chars, PRESIZED_CHARS) + 1) / 3);
    let capacity = 64;
    while (capacity < 2 * most + 2) capacity <<= 1;
    // A larger table is kept (a title after a body), as the scan's buffers are: emptying it costs only its entries.
    if (this.mask + 1 >= capacity) this.emptySlots();
    else this.resize(capacity);
    if (this.counts.length < most) this.widenEntries(capacity >> 1);
    this.size = 0;
    this.leadCount = 0;
  }

  /** Counts the name spelt by codes[start, end) (its lower-cased FNV-1a state h); returns its entry. */
  add(h: number, codes: Uint16Array, src: string, start: number, end: number): number {
    // The probe steps before it looks, from the slot before the name's own, so the step has run before the first
    // collision: met only then, it threw away the optimized scan mid-run for want of the step's types.
    let slot = ((h & this.mask) + this.mask) & this.mask;
    for (;;) {
      slot = (slot + 1) & this.mask;
      const e = this.entry[slot] as number;
      if (e < 0) return this.insert(slot, h, src.slice(start, end).toLowerCase());
      if (this.keys[slot] === h && spells(this.names[e] as string, codes, start, end)) {
        this.counts[e] = (this.counts[e] as number) + 1;
        return e;
      }
    }
  }

  /** Counts a name already folded (the slow path's words); returns its entry. */
  addFolded(h: number, name: string): number {
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const e = this.entry[slot] as number;
      if (e < 0) return this.insert(slot, h, name);
      if (this.keys[slot] === h && this.names[e] === name) {
        this.counts[e] = (this.counts[e] as number) + 1;
        return e;
      }
    }
  }

  /** Counts one mention of entry e as part of a multi-word name. */
  markRun(e: number): void {
    this.runs[e] = (this.runs[e] as number) + 1;
  }

  /** Counts one mention of entry e directly followed by another capitalised word, a space apart. */
  markLead(e: number): void {
    this.leadCount++;
    this.leads[e] = (this.leads[e] as number) + 1;
  }

  /** The names directly followed by another capitalised word, with how often. */
  toLeads(): Map<string, number> {
    const out = new Map<string, number>();
    if (this.leadCount === 0) return out;
    for (let e = 0; e < this.size; e++) if ((this.leads[e] as number) > 0) out.set(this.names[e] as string, (out.get(this.names[e] as string) ?? 0) + (this.leads[e] as number));
    return out;
  }

  /**
   * The names whose lower-cased hash is one of hashes[0, count), those of the words the text writes in lower case: each
   * is looked up among the names' keys, most finding an empty slot at once. By hash alone, with no spelling check: a
   * collision makes one name look common, 1 in 2^32 per pair, and the same text always gives the same set.
   */
  inLowerCase(hashes: Int32Array, count: number): Set<string> {
    const out = new Set<string>();
    if (this.size === 0) return out;
    const marks = this.marks;
    for (let k = 0; k < count; k++) {
      const h = hashes[k] as number;
      for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
        const e = this.entry[slot] as number;
        if (e < 0) break;
        if (this.keys[slot] === h) marks[e] = 1;
      }
    }
    for (let e = 0; e < this.size; e++) {
      if (marks[e] === 0) continue;
      out.add(this.names[e] as string);
      marks[e] = 0;
    }
    return out;
  }

  /** The names met in multi-word names, with how often. */
  toRuns(): Map<string, number> {
    const out = new Map<string, number>();
    for (let e = 0; e < this.size; e++) if ((this.runs[e] as number) > 0) out.set(this.names[e] as string, (out.get(this.names[e] as string) ?? 0) + (this.runs[e] as number));
    return out;
  }

  /** The names with their counts, in the order first met. */
  toMap(): Map<string, number> {
    const out = new Map<string, number>();
    for (let e = 0; e < this.size; e++) out.set(this.names[e] as string, (out.get(this.names[e] as string) ?? 0) + (this.counts[e] as number));
    return out;
  }

  private insert(slot: number, h: number, name: string): number {
    const e = this.size++;
    // Only a text longer than PRESIZED_CHARS fills what reset made room for.
    if (e === this.counts.length) this.widenEntries(2 * e, e);
    this.keys[slot] = h;
    this.entry[slot] = e;
    this.names[e] = name;
    this.hashes[e] = h;
    this.counts[e] = 1;
    this.runs[e] = 0;
    this.leads[e] = 0;
    if (this.size * 2 > this.mask) this.grow();
    return e;
  }

  /** Per-entry columns of n entries, keeping the first `kept` entries (0 from reset, between scans). */
  private widenEntries(n: number, kept = 0): void {
    const widen = <T extends Int32Array | Uint8Array>(column: T, wider: T): T => {
      if (kept > 0) wider.set(column.subarray(0, kept));
      return wider;
    };
    this.hashes = widen(this.hashes, new Int32Array(n));
    this.counts = widen(this.counts, new Int32Array(n));
    this.runs = widen(this.runs, new Int32Array(n));
    this.leads = widen(this.leads, new Int32Array(n));
    this.marks = widen(this.marks, new Uint8Array(n));
  }

  /** Doubles the slots, placing the entries anew. */
  private grow(): void {
    const keys = this.keys;
    const entry = this.entry;
    this.resize((this.mask + 1) * 2);
    for (let slot = 0; slot < entry.length; slot++) {
      const e = entry[slot] as number;
      if (e < 0) continue;
      const h = keys[slot] as number;
      let to = h & this.mask;
      while ((this.entry[to] as number) >= 0) to = (to + 1) & this.mask;
      this.keys[to] = h;
      this.entry[to] = e;
    }
  }

  /**
   * Empties the slots of the entries this scan made, found by probing from each entry's key: a scan makes far fewer
   * entries than the table has slots (a title after a body), so this beats filling the whole table. An emptied slot
   * does not end the search for a later entry, which looks for its own number, not for an empty slot.
   */
  private emptySlots(): void {
    for (let e = 0; e < this.size; e++) {
      // Stepping before looking, as add does.
      let slot = (((this.hashes[e] as number) & this.mask) + this.mask) & this.mask;
      do slot = (slot + 1) & this.mask;
      while (this.entry[slot] !== e);
      this.entry[slot] = -1;
    }
  }

  private resize(capacity: number): void {
    if (this.entry.length !== capacity) {
      this.keys = new Int32Array(capacity);
      this.entry = new Int32Array(capacity);
    }
    this.entry.fill(-1);
    this.mask = capacity - 1;
  }
}

const nameTable = new NameTable();

/**
 * The lower-cased FNV-1a states of the words the scan under way read in lower case, in order (repeats kept): the names
 * are looked up in them once the scan is done (see NameTable.inLowerCase). Sized by prepareScan, with room from the
 * start for a text of 8,000 characters, as hashBuffer has: an ordinary text never grows it, and its growth (an allocation
 * first met late in a run) no longer throws away the optimized scan.
 */
let lowerBuffer = new Int32Array(4096);

/** Letters packed in one 32-bit integer, five bits each (a–z as 1–26); a memoized word has at most twice as many. */
const PACKED_LETTERS = 6;
/** Entries of a word memo: 2^14 (256 kB). */
const MEMO_BITS = 14;
/**
 * Fields of a memo entry: the packed letters (two), the stem's hash, and the cross-language key shifted left by two
 * with the scale-word flag and the stopword flag in its low bits. Four fields, so an entry is 16 aligned bytes: one
 * cache line per look-up.
 */
const MEMO_FIELD_BITS = 2;
/** A memo entry's cross-language key when its word was met in a scan that did not count them. */
const CROSS_UNKNOWN = -2;
/** The bits of a memo entry's flags word that say its word is a word of scale, and a stopword. */
const MEMO_SCALE = 2;
const MEMO_STOP = 1;

/**
 * What a word of two to twelve ASCII letters comes to in the scans of one salt, by its letters packed five bits a
 * letter (letters are 1–26, so the packing is the word and its length): whether it is a stopword, the hash of its stem
 * and its cross-language key. The words of a language repeat from article to article: a word met before costs one
 * look-up instead of the stopword probe, the stemmer's suffix rules and the cross-language key's table and skeleton.
 * One entry per index; a new word takes the place of the one there.
 */
class WordMemo {
  private readonly entries = new Int32Array(1 << (MEMO_BITS + MEMO_FIELD_BITS));

  /** Where the word's entry is, or -1. */
  find(low: number, high: number): number {
    const at = (Math.imul(low ^ Math.imul(high, 0x2c1b3c6d), 0x9e3779b1) >>> (32 - MEMO_BITS)) << MEMO_FIELD_BITS;
    return this.entries[at] === low && this.entries[at + 1] === high ? at : -1;
  }

  /** Keeps what a word comes to; returns where. */
  put(low: number, high: number, stem: number, stop: boolean, scale: boolean, cross: number): number {
    const at = (Math.imul(low ^ Math.imul(high, 0x2c1b3c6d), 0x9e3779b1) >>> (32 - MEMO_BITS)) << MEMO_FIELD_BITS;
    const e = this.entries;
    e[at] = low;
    e[at + 1] = high;
    e[at + 2] = stem;
    e[at + 3] = (cross << 2) | (scale ? MEMO_SCALE : 0) | (stop ? MEMO_STOP : 0);
    return at;
  }

  stem(at: number): number {
    return this.entries[at + 2] as number;
  }

  /** The entry's flags word: the cross-language key shifted left by two, with MEMO_SCALE and MEMO_STOP. */
  flags(at: number): number {
    return this.entries[at + 3] as number;
  }

  setCross(at: number, key: number): void {
    this.entries[at + 3] = (key << 2) | ((this.entries[at + 3] as number) & (MEMO_SCALE | MEMO_STOP));
  }
}

/**
 * The words of scale, lower case, by length (see ScannedText.scales): an entry for every length up to the longest, an
 * empty list where there is none, so a look-up never reads past the end or a hole (either threw away the optimized
 * code of the scan it was inlined in when first met late in a run).
 */
const SCALE_BY_LENGTH: readonly (readonly string[])[] = (() => {
  const byLength: string[][] = Array.from({ length: Math.max(0, ...SCALE_WORDS.map((word) => word.length)) + 1 }, () => []);
  for (const word of SCALE_WORDS) (byLength[word.length] as string[]).push(word);
  return byLength;
})();

/** True when codes[start, end), ASCII letters in any case, spell a word of scale. */
function isScaleWord(codes: Uint16Array, start: number, end: number): boolean {
  const length = end - start;
  if (length >= SCALE_BY_LENGTH.length) return false;
  const words = SCALE_BY_LENGTH[length] as readonly string[];
  for (let k = 0; k < words.length; k++) if (spells(words[k] as string, codes, start, end)) return true;
  return false;
}

function isAsciiLetter(c: number): boolean {
  return (c | 32) >= 97 && (c | 32) <= 122;
}

/** Where the words of scale of the scan under way start (see ScannedText.scales); sized by prepareScan (as lowerBuffer). */
let scaleBuffer = new Int32Array(4096);
let scaleCount = 0;

function addScale(start: number): void {
  // Only a text longer than PRESIZED_CHARS fills what prepareScan made room for.
  if (scaleCount === scaleBuffer.length) {
    const bigger = new Int32Array(scaleBuffer.length * 2);
    bigger.set(scaleBuffer);
    scaleBuffer = bigger;
  }
  scaleBuffer[scaleCount++] = start;
}

/**
 * Texts up to this long have the names table and the list of words of scale sized before their scan for all they can
 * hold; a longer one (a whole page in one item) grows them as it goes, so that one huge text does not leave tables
 * behind sized for every name it could have held. The buffers of its words are sized for it in any case.
 */
const PRESIZED_CHARS = 1 << 16;

/**
 * Sizes the scan's shared buffers and tables for a text of n code units before a scan's loop starts: each can then hold
 * all that such a text puts in it (a word is a character or more, then a separator; see PRESIZED_CHARS for the longest
 * texts), so the loop never takes a path that grows one. Met for the first time after the loop was optimized, such a
 * path throws the optimized loop away mid-text; V8 then often runs every later scan in code compiled for that one
 * call's loop (on-stack replacement), which, unlike the function's own optimized code, reads each module-level
 * constant from memory: 40 % slower.
 */
function prepareScan(n: number, withCodes: boolean): void {
  nameTable.reset(n);
  const words = (n >> 1) + 1;
  if (hashBuffer.length < words) hashBuffer = new Int32Array(words);
  if (lowerBuffer.length < words) lowerBuffer = new Int32Array(words);
  const scales = (Math.min(n, PRESIZED_CHARS) >> 1) + 1;
  if (scaleBuffer.length < scales) scaleBuffer = new Int32Array(scales);
  if (withCodes && codeBuffer.length < n) {
    codeBuffer = new Uint16Array(n * 2);
    codeBytes = Buffer.from(codeBuffer.buffer, codeBuffer.byteOffset, codeBuffer.byteLength);
  }
}

const NO_SCALES = new Int32Array(0);

const wordMemos = new Map<number, WordMemo>();

function wordMemo(salt: number): WordMemo {
  let memo = wordMemos.get(salt);
  if (memo === undefined) wordMemos.set(salt, (memo = new WordMemo()));
  return memo;
}

/**
 * Scans a text: stem hashes of its content words (function words dropped), names (capitalised words that do not start
 * a sentence and are not function words) with mention counts, and the number of words of two or more characters (or
 * starting with a digit). The hashes land in a shared buffer that the next scan overwrites: copy what must be kept.
 * With `cross`, the text's cross-language words are counted into it too, in the same pass where the scan's form of the
 * text gives them (see foldsLikeScan), else in a pass of their own.
 */
export function scanText(text: string, salt: number, cross?: CrossLanguageCounter): ScannedText {
  // ASCII text is scanned as it is; other text is decomposed first (NFKD, marks dropped).
  if (isAsciiText(text)) {
    prepareScan(text.length, true);
    return scanSource(text, salt, cross);
  }
  const fused = cross !== undefined && foldsLikeScan(text);
  if (cross !== undefined && !fused) cross.countText(text);
  const src = text.normalize('NFKD').replace(COMBINING_MARKS_RE, '');
  prepareScan(src.length, true);
  const scanned = scanSource(src, salt, fused ? cross : undefined);
  // Positions in the decomposed text are not the text's.
  scanned.scales = undefined;
  return scanned;
}

/**
 * Scans src, counting its words' cross-language keys into `cross` when given (src's letters are then all ASCII), once
 * prepareScan has sized the buffers for it.
 */
function scanSource(src: string, salt: number, cross: CrossLanguageCounter | undefined): ScannedText {
  const n = src.length;
  const table = stopTable(salt);
  const memo = wordMemo(salt);
  const basis = FNV_OFFSET ^ salt;
  const names = nameTable;
  const lowers = lowerBuffer;
  let lowerCount = 0;
  const hashes = hashBuffer;
  const codes = codeBuffer;
  codeBytes.write(src, 0, n * 2, 'utf16le');
  let count = 0;
  let words = 0;
  let sentenceEnd = true;
  /** Where the last capitalised content word ended (-1 when the last word was not one), and its name entry (-1: none). */
  let capEnd = -1;
  let capEntry = -1;
  scaleCount = 0;
  let i = 0;
  while (i < n) {
    const first = codes[i] as number;
    const firstLower = lowerOf(first);
    if (firstLower === NOT_WORD) {
      if (first !== 32 && first !== 9 && first !== 13 && first !== 160) sentenceEnd = endsSentence(first);
      i++;
      continue;
    }
    // One pass over the word: its lower-cased FNV-1a hash; the stem's hash is redone below when a suffix is cut. The
    // first character, whose lower case is known, is taken before the loop.
    const start = i;
    let h = Math.imul(basis ^ firstLower, FNV_PRIME);
    let slow = first >= 128 && WIDE[first] === SLOW_WORD;
    // The word's first letters packed five bits each (a–z as 1–26) for the cross-language count; `letters` turns false
    // at a character that is no ASCII letter.
    let low = firstLower - 96;
    let high = 0;
    let letters = low >= 1 && low <= 26;
    i++;
    while (i < n) {
      const c = codes[i] as number;
      let lower: number;
      if (c < 128) {
        if (c >= 65 && c <= 90) lower = c + 32;
        else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) lower = c;
        else break;
      } else {
        const cls = wideClass(c);
        if (cls === NOT_WORD) break;
        if (cls === SLOW_WORD) {
          slow = true;
          lower = c;
        } else lower = cls - WORD_BASE;
      }
      h = Math.imul(h ^ lower, FNV_PRIME);
      const letter = lower - 96;
      if (letter < 1 || letter > 26) letters = false;
      const at = i - start;
      if (at < PACKED_LETTERS) low = (low << 5) | letter;
      else if (at < 2 * PACKED_LETTERS) high = (high << 5) | letter;
      i++;
    }
    const startsSentence = sentenceEnd;
    sentenceEnd = false;
    const length = i - start;
    if (length < 2 && !(first >= 48 && first <= 57)) continue;
    words++;
    // Joined to the capitalised word before it by one space, no-break space or hyphen: one multi-word name.
    const joiner = capEnd >= 0 && start === capEnd + 1 ? (codes[capEnd] as number) : -1;
    const joined = joiner >= 0 && isNameJoiner(joiner);
    capEnd = -1;
    if (letters && length <= 2 * PACKED_LETTERS) {
      // A word of letters only: what it comes to is in the memo once met.
      let at = memo.find(low, high);
      if (at < 0) {
        const stop = length <= table.longest && isStopWord(table, fmix32(h) | 0, codes, start, i);
        at = memo.put(low, high, stop ? 0 : fmix32(stemHash(codes, start, i, h, basis)) | 0, stop, isScaleWord(codes, start, i), length < MIN_CROSS_WORD ? -1 : CROSS_UNKNOWN);
      }
      // The entry's flags word is read once: whether the word is of scale, a stopword, and its cross-language key.
      const flags = memo.flags(at);
      if ((flags & MEMO_SCALE) !== 0) addScale(start);
      if (cross !== undefined && length >= MIN_CROSS_WORD) {
        let key = flags >> 2;
        if (key === CROSS_UNKNOWN) memo.setCross(at, (key = cross.keyOfLetters(codes, start, length)));
        cross.countKey(key);
      }
      if ((flags & MEMO_STOP) !== 0) continue;
      hashes[count++] = memo.stem(at);
    } else {
      // A word of letters then digits ("million2") starts with a word of scale when its letters are one.
      if (!letters && isAsciiLetter(first)) {
        let k = start + 1;
        while (k < i && isAsciiLetter(codes[k] as number)) k++;
        if (k < i && isScaleWord(codes, start, k)) addScale(start);
      }
      if (cross !== undefined && length >= MIN_CROSS_WORD) cross.countAsciiRuns(codes, start, i);
      if (slow) {
        // The rare word whose lower case is not one unit per unit (ß, a capital sigma, İ): the reference's own steps.
        const folded = src.slice(start, i).toLowerCase().replace(/ß/g, 'ss');
        if (STOPWORDS.has(folded)) continue;
        hashes[count++] = fmix32(fnv(lightStem(folded), basis));
        if (first !== folded.charCodeAt(0)) {
          capEntry = markName(names, joined, joiner !== 45, capEntry, startsSentence ? -1 : names.addFolded(fnv(folded, basis), folded));
          capEnd = i;
        } else lowers[lowerCount++] = fnv(folded, basis);
        continue;
      }
      if (length <= table.longest && isStopWord(table, fmix32(h) | 0, codes, start, i)) continue;
      hashes[count++] = fmix32(stemHash(codes, start, i, h, basis));
    }
    if (first !== firstLower) {
      capEntry = markName(names, joined, joiner !== 45, capEntry, startsSentence ? -1 : names.add(h, codes, src, start, i));
      capEnd = i;
    } else lowers[lowerCount++] = h;
  }
  const scales = scaleCount === 0 ? NO_SCALES : scaleBuffer.slice(0, scaleCount);
  return { hashes, count, names: names.toMap(), runs: names.toRuns(), leads: names.toLeads(), common: names.inLowerCase(lowers, lowerCount), words, scales };
}

/**
 * Scans a text in a language with a Snowball stemmer (see snowball-stems.ts): the same words, names, runs and lower-case
 * words as scanText, but each content word's hash is that of its Snowball stem, read from the stemmer's memo of the
 * word as written. The stemmer needs the word with its accents and its own letters (Turkish "ı", Russian "й", French
 * "é"), so the text is composed (NFC) rather than decomposed; names and stopwords are still read in the folded form
 * the fast path gives them, so a name's key does not depend on the path. Slower than scanText (a string and a map
 * lookup per word), which is why English, most of the feeds, keeps scanText.
 */
export function scanStemmedText(text: string, stems: WordStems, cross?: CrossLanguageCounter): ScannedText {
  // Marks left after composition (Arabic short vowels, a letter with no precomposed form) are dropped, as scanText drops them.
  const src = text.normalize('NFC').replace(COMBINING_MARKS_RE, '');
  // A text that composition and the marks leave as it was is read word by word as written: each word's cross-language
  // keys come with its stem (memoized); any other text's are counted in a pass of their own.
  const wordCross = src === text ? cross : undefined;
  if (cross !== undefined && wordCross === undefined) cross.countText(text);
  prepareScan(src.length, false);
  return scanStemmedSource(src, stems, wordCross);
}

/** Scans src (see scanStemmedText), counting each word's cross-language keys into `wordCross` when given. */
function scanStemmedSource(src: string, stems: WordStems, wordCross: CrossLanguageCounter | undefined): ScannedText {
  const n = src.length;
  const names = nameTable;
  const lowers = lowerBuffer;
  let lowerCount = 0;
  const hashes = hashBuffer;
  let count = 0;
  let words = 0;
  let sentenceEnd = true;
  let capEnd = -1;
  let capEntry = -1;
  let i = 0;
  while (i < n) {
    const first = src.charCodeAt(i);
    const firstLower = lowerOf(first);
    if (firstLower === NOT_WORD) {
      if (first !== 32 && first !== 9 && first !== 13 && first !== 160) sentenceEnd = endsSentence(first);
      i++;
      continue;
    }
    const start = i;
    while (i < n && lowerOf(src.charCodeAt(i)) !== NOT_WORD) i++;
    const startsSentence = sentenceEnd;
    sentenceEnd = false;
    if (i - start < 2 && !(first >= 48 && first <= 57)) continue;
    words++;
    const joiner = capEnd >= 0 && start === capEnd + 1 ? src.charCodeAt(capEnd) : -1;
    const joined = joiner >= 0 && isNameJoiner(joiner);
    capEnd = -1;
    const word = stems.word(src.slice(start, i));
    wordCross?.countKeys(word.cross);
    if (word.stop) continue;
    hashes[count++] = word.stemHash;
    if (isCapital(first, firstLower)) {
      capEntry = markName(names, joined, joiner !== 45, capEntry, startsSentence ? -1 : names.addFolded(word.foldedState, word.folded));
      capEnd = i;
    } else lowers[lowerCount++] = word.foldedState;
  }
  return { hashes, count, names: names.toMap(), runs: names.toRuns(), leads: names.toLeads(), common: names.inLowerCase(lowers, lowerCount), words };
}

/** Tells whether a word's first code unit is a capital (firstLower: its lowerOf); the slow letters are asked directly. */
function isCapital(first: number, firstLower: number): boolean {
  if (first !== firstLower) return true;
  if (first < 128 || WIDE[first] !== SLOW_WORD) return false;
  const ch = String.fromCharCode(first);
  return ch.toLowerCase() !== ch;
}

/** Space, no-break space or hyphen: what joins the words of one name. */
function isNameJoiner(code: number): boolean {
  return code === 32 || code === 160 || code === 45;
}

/**
 * Records a capitalised content word (its name entry, -1 when it starts a sentence and so is no name): when it is
 * joined to the one before, both count a mention as part of a multi-word name, and, joined by a space, the one before
 * counts as followed by a name. Returns the entry, for the next word.
 */
function markName(names: NameTable, joined: boolean, bySpace: boolean, before: number, entry: number): number {
  if (joined) {
    if (before >= 0) names.markRun(before);
    if (before >= 0 && bySpace && entry >= 0) names.markLead(before);
    if (entry >= 0) names.markRun(entry);
  }
  return entry;
}

/**
 * The FNV-1a state of the light stem of the word codes[start, end), whose whole lower-cased state is `h`: the word's
 * own when no suffix is cut, else the stem's, rehashed.
 */
function stemHash(codes: Uint16Array, start: number, end: number, h: number, basis: number): number {
  const cut = stemCut(codes, start, end);
  if (cut === 0) return h;
  const stemEnd = end - (cut < 0 ? -cut : cut);
  let stem = basis;
  for (let k = start; k < stemEnd; k++) stem = Math.imul(stem ^ lowerAt(codes, k), FNV_PRIME);
  // A negative cut is "-ies" → "-y".
  return cut < 0 ? Math.imul(stem ^ CHAR_Y, FNV_PRIME) : stem;
}

/**
 * How many characters lightStem cuts off the lower-cased word codes[start, end): 0 to 3, or -3 when "-ies" becomes
 * "-y" (cut three, add y). The rules, in lightStem's order, read only the last four characters.
 */
function stemCut(codes: Uint16Array, start: number, end: number): number {
  const n = end - start;
  if (n <= 3) return 0;
  const c1 = lowerAt(codes, end - 1);
  if (c1 >= 48 && c1 <= 57) return 0;
  const c2 = lowerAt(codes, end - 2);
  const c3 = lowerAt(codes, end - 3);
  // -ies → -y
  if (n > 5 && c1 === CHAR_S && c2 === CHAR_E && c3 === 105) return -3;
  // -ing
  if (n > 5 && c1 === 103 && c2 === 110 && c3 === 105) return 3;
  // -ed
  if (n > 4 && c1 === 100 && c2 === CHAR_E) return 2;
  // -sses, -shes, -ches, -xes, -zes
  if (n > 4 && c1 === CHAR_S && c2 === CHAR_E) {
    const c4 = lowerAt(codes, end - 4);
    if (c3 === 120 || c3 === 122 || (c3 === CHAR_S && c4 === CHAR_S) || (c3 === 104 && (c4 === CHAR_S || c4 === 99))) return 2;
  }
  // -s, but not -ss, -us, -is
  if (c1 === CHAR_S && c2 !== CHAR_S && c2 !== 117 && c2 !== 105) return 1;
  // A final silent e of an uninflected word goes too (see lightStem).
  if (n > 4 && c1 === CHAR_E) return 1;
  return 0;
}

import { SALT_ENTITY, SALT_NUMBER, type IndexFeatures } from './article-features.js';
import { fnv1a } from './hash.js';
import { ownString } from './own-string.js';
import { packTitle, packedTitleWords } from './title-bigrams.js';

/**
 * The lists of an article's block, in block order. The scored lists hold the full list with the source's template taken
 * out, and are empty unless something was (see SCORED_LIST_FLAGS).
 */
export const SHINGLES = 0;
export const SCORED_SHINGLES = 1;
export const ENTITIES = 2;
export const SCORED_ENTITIES = 3;
/** The blocking keys follow one another, read as one run: band keys, title tokens, names as keys, numbers. */
export const BANDS = 4;
export const TITLE = 5;
export const ENTITY_KEYS = 6;
export const NUMBERS = 7;
export const SCORED_NUMBERS = 8;
export const DISTINCTIVE = 9;
export const COUNT_KINDS = 10;
/** The folded title, packed (see packTitle). */
export const TITLE_KEY = 11;
export const CROSS = 12;
const LISTS = 13;

/** Flags of an article. */
export const HAS_BODY = 1;
export const TIME_KNOWN = 2;
export const TRUNCATED = 4;
const SCORED_SHINGLES_FLAG = 8;
const SCORED_ENTITIES_FLAG = 16;
const SCORED_NUMBERS_FLAG = 32;
const SCORED_LIST_FLAGS = [SCORED_SHINGLES_FLAG, SCORED_ENTITIES_FLAG, SCORED_NUMBERS_FLAG] as const;
const HAS_CROSS = 64;
/** The distinctive numbers are all the numbers: DISTINCTIVE is left empty and NUMBERS read for it. */
const DISTINCTIVE_ALL = 128;

/** Words before a block's header: its size and its slot (-1 once freed). */
const PREFIX = 2;
/** The header: where each list starts, from the header, and where the integers end. */
const HEADER = LISTS + 1;
const MIN_RING_WORDS = 1 << 16;
/** A ring that must grow is made this much larger than what it holds. */
const RING_GROWTH = 1.15;
/**
 * A ring fitted to a full window keeps this much room: a window whose articles leave in the order they came frees
 * blocks at the tail as the head writes, so the room only absorbs the window's ups and downs; a window that must grow
 * its ring (blocks held at the tail while later ones left) grows it by RING_GROWTH.
 */
const FITTED_ROOM = 1.05;
/**
 * A ring fitted because its window has just filled (see fit) is fitted only when that gives back a fifth of it or
 * more: fitting copies the whole window into a new array, every page of it touched anew (on the bench's 30k articles,
 * a 16 MB copy to give back 7 %, a tenth of the run's page faults). A window loaded in one go is fitted in any case.
 */
const FIT_AT_MOST = 0.8;
/**
 * A ring that must grow before any block was freed (the window filling) is made at least this many times its size:
 * grown by RING_GROWTH from its first size, it moved some thirty times on the way to a full window of the bench's
 * articles, copying six times what it ended holding.
 */
const FILLING_GROWTH = 2;
const MIN_SLOTS = 256;

/** Separators of the strings an article keeps for the evidence of its decision (names and numbers have neither). */
const ITEM = '\u0001';
const PART = '\u0002';
const VALUES = '\u0003';

/** An arriving article's lists with its source's template taken out (see SourceTemplates.distinctive). */
export interface ScoredLists {
  shingles: Int32Array;
  entityHashes: Int32Array;
  numberHashes: Int32Array;
  /** How many of the article's number strings are kept (their hashes among numberHashes). */
  numbers: number;
}

/**
 * The features of the articles in the window, packed by slot: each article's lists (shingles, band keys, title
 * tokens, names, numbers, counted values, folded title, cross-language entries) and its rarity weights in one block of
 * a ring of 32-bit words, its scalars in typed columns, and the few strings a decision's evidence reads in one string.
 * A window holds tens of thousands of articles: as objects with a typed array per list they cost several kilobytes
 * each (some 200 bytes per typed array before its contents), packed they cost about what their numbers take.
 *
 * Blocks are written at the ring's head and freed as articles leave the window, mostly in the order they came (the
 * window evicts by time), so the tail follows the head and nothing is copied; when the head would run into a block
 * still held, the live blocks move into a larger ring.
 */
export class FeatureStore {
  /** The ring, as 32-bit words and as doubles over the same memory (a block's doubles start on an even word). */
  ints: Int32Array;
  floats: Float64Array;
  /** Per slot: where its header starts in `ints` (-1: free). */
  at: Int32Array;
  timeMs: Float64Array;
  flags: Uint8Array;
  crossNorm: Float64Array;
  /** How many number strings the scored view keeps (what a pair's share of shared numbers divides by). */
  numberCount: Int32Array;
  /** The article's language, as its number in `languages` (interned: ISO 639-1 codes or 'und', see Article.language). */
  private languageOf: Int32Array;
  private readonly languages: string[] = [];
  private readonly languageNumbers = new Map<string, number>();
  /**
   * Per slot, one string of its own (see ownString): the strings its owner keeps with it (see add), then its names,
   * numbers and counted values, joined, read only for the evidence of a decision.
   */
  private texts: string[] = [];
  /** Per slot, where the owner's strings end in its text. */
  private heldEnds: Int32Array;
  private freeSlots: number[] = [];
  private slotCount = 0;
  private head = 0;
  private tail = 0;
  /** Whether the head has wrapped to the ring's start ahead of the tail, and where the blocks before the wrap end. */
  private wrapped = false;
  private end = 0;
  private liveWords = 0;
  /** Whether no block has been freed yet (see FILLING_GROWTH); `fitDue`: the first has been, and the ring is not yet fitted to what it holds. */
  private filling = true;
  private fitDue = false;
  /** Whether the columns have been fitted (see fit): they grow by RING_GROWTH from then on. */
  private slotsFitted = false;

  /**
   * @param keepsEvidence whether the strings a decision's evidence reads are kept (entities, numbers and counts read empty without them)
   * @param windowSlots how many articles the window holds at most, when the owner knows (0: not known); see allocate
   */
  constructor(
    private readonly keepsEvidence = true,
    private readonly windowSlots = 0,
  ) {
    this.ints = new Int32Array(MIN_RING_WORDS);
    this.floats = new Float64Array(this.ints.buffer);
    this.at = new Int32Array(MIN_SLOTS).fill(-1);
    this.timeMs = new Float64Array(MIN_SLOTS);
    this.flags = new Uint8Array(MIN_SLOTS);
    this.crossNorm = new Float64Array(MIN_SLOTS);
    this.numberCount = new Int32Array(MIN_SLOTS);
    this.languageOf = new Int32Array(MIN_SLOTS);
    this.heldEnds = new Int32Array(MIN_SLOTS);
    // fit gives the list a trimmed copy when the window first fills. Replaced here once already, the field is not taken
    // for a constant by the code optimized before then (V8 treats a field written only at construction as one), which
    // that first fit would otherwise throw away: the reads of every member's strings, in the scoring among them.
    this.texts = this.texts.slice();
    // The same for the flags that change once, as the window fills: allocate reads them on every arrival.
    this.filling = false;
    this.filling = true;
    this.fitDue = true;
    this.fitDue = false;
    this.slotsFitted = true;
    this.slotsFitted = false;
  }

  /** Slots the columns have room for (columns of other owners keyed by slot grow with it). */
  get capacity(): number {
    return this.at.length;
  }

  /**
   * Packs an article's features into a new slot: the full lists, and the scored ones where they differ. Its rarity
   * weights are written apart (writeRarity), zero until then. `held`: strings the owner keeps with the slot, read back
   * with heldText (one string for the slot's strings costs one string's overhead).
   */
  add(full: IndexFeatures, scored: ScoredLists | undefined, held = ''): number {
    const slot = this.newSlot();
    const scoredShingles = scored !== undefined && scored.shingles !== full.shingles ? scored.shingles : EMPTY;
    const scoredEntities = scored !== undefined && scored.entityHashes !== full.entityHashes ? scored.entityHashes : EMPTY;
    const scoredNumbers = scored !== undefined && scored.numberHashes !== full.numberHashes ? scored.numberHashes : EMPTY;
    const bands = full.bandKeys ?? EMPTY;
    const cross = full.crossLanguage?.entries ?? EMPTY;
    const distinctiveAll = sameInts(full.distinctiveNumberHashes, full.numberHashes);
    const distinctive = distinctiveAll ? EMPTY : full.distinctiveNumberHashes;
    let intWords =
      HEADER + full.shingles.length + scoredShingles.length + full.entityHashes.length + scoredEntities.length + bands.length + full.titleTokens.length +
      full.entityKeys.length + full.numberHashes.length + scoredNumbers.length + distinctive.length + full.countKinds.length +
      packedTitleWords(full.titleKey) + cross.length;
    intWords += intWords & 1;
    const weighedEntities = scored?.entityHashes ?? full.entityHashes;
    const floatCount = full.titleTokens.length + weighedEntities.length + 2 * full.countKinds.length;
    const at = this.allocate(slot, intWords + 2 * floatCount) + PREFIX;
    let rel = HEADER;
    rel = this.putList(at, SHINGLES, rel, full.shingles);
    rel = this.putList(at, SCORED_SHINGLES, rel, scoredShingles);
    rel = this.putList(at, ENTITIES, rel, full.entityHashes);
    rel = this.putList(at, SCORED_ENTITIES, rel, scoredEntities);
    rel = this.putList(at, BANDS, rel, bands);
    rel = this.putList(at, TITLE, rel, full.titleTokens);
    rel = this.putList(at, ENTITY_KEYS, rel, full.entityKeys);
    rel = this.putList(at, NUMBERS, rel, full.numberHashes);
    rel = this.putList(at, SCORED_NUMBERS, rel, scoredNumbers);
    rel = this.putList(at, DISTINCTIVE, rel, distinctive);
    rel = this.putList(at, COUNT_KINDS, rel, full.countKinds);
    this.ints[at + TITLE_KEY] = rel;
    rel += packTitle(full.titleKey, this.ints, at + rel);
    rel = this.putList(at, CROSS, rel, cross);
    this.ints[at + LISTS] = rel;
    const base = this.floatBase(at);
    this.floats.fill(0, base, base + full.titleTokens.length + weighedEntities.length);
    this.floats.set(full.countValues, base + full.titleTokens.length + weighedEntities.length);
    this.floats.set(full.countUnits, base + full.titleTokens.length + weighedEntities.length + full.countKinds.length);
    let flags = (full.hasBody ? HAS_BODY : 0) | (full.timeKnown ? TIME_KNOWN : 0) | (full.truncated ? TRUNCATED : 0) | (full.crossLanguage !== undefined ? HAS_CROSS : 0) | (distinctiveAll ? DISTINCTIVE_ALL : 0);
    // A scored list is written where it differs from the full one (even when the template took all of it).
    // Selects of named constants, not steps taken only for a scored list: a step first taken late in a run (the first
    // item with template names taken out) had no type feedback and threw this function's optimized code away.
    flags |= (scoredShingles !== EMPTY ? SCORED_SHINGLES_FLAG : 0) | (scoredEntities !== EMPTY ? SCORED_ENTITIES_FLAG : 0) | (scoredNumbers !== EMPTY ? SCORED_NUMBERS_FLAG : 0);
    this.at[slot] = at;
    this.timeMs[slot] = full.timeMs;
    this.flags[slot] = flags;
    this.crossNorm[slot] = full.crossLanguage?.norm ?? 0;
    this.numberCount[slot] = scored?.numbers ?? full.numbers.length;
    this.languageOf[slot] = this.languageNumber(full.language);
    this.texts[slot] = ownString(held + (this.keepsEvidence ? evidenceTextOf(full) : ''));
    this.heldEnds[slot] = held.length;
    return slot;
  }

  /** Writes list `list` of the block at `at` from `rel` on; returns where the next list starts. */
  private putList(at: number, list: number, rel: number, values: ArrayLike<number>): number {
    this.ints[at + list] = rel;
    this.ints.set(values, at + rel);
    return rel + values.length;
  }

  /**
   * Gives back the room a ring keeps for growth while the window fills (up to FILLING_GROWTH times what it holds),
   * keeping FITTED_ROOM times what it holds: for a window loaded in one go, whose first block may be freed only a run
   * later, or, `filled`, for a window that has just filled (then only when that gives back enough, see FIT_AT_MOST).
   */
  fit(filled = false): void {
    this.fitDue = false;
    this.fitRing(this.liveWords, filled);
    // The columns, doubled while the window filled, keep FITTED_ROOM times the slots in use; the slot lists, their length.
    this.slotsFitted = true;
    const slots = Math.max(MIN_SLOTS, Math.ceil(this.slotCount * FITTED_ROOM));
    if (slots < this.at.length) this.resizeSlots(slots);
    this.texts = this.texts.slice();
  }

  /** Frees a slot and its block. */
  free(slot: number): void {
    const at = this.at[slot] as number;
    const block = at - PREFIX;
    this.ints[block + 1] = -1;
    this.liveWords -= this.ints[block] as number;
    this.at[slot] = -1;
    this.texts[slot] = '';
    this.freeSlots.push(slot);
    if (this.filling) {
      this.filling = false;
      this.fitDue = true;
    }
    this.advanceTail();
  }

  /** Writes a slot's rarity weights: idf of each title token, then of each scored name. */
  writeRarity(slot: number, idf: (hash: number) => number): void {
    const ints = this.ints;
    const floats = this.floats;
    const at = this.at[slot] as number;
    let w = this.floatBase(at);
    for (let k = this.from(slot, TITLE), end = this.to(slot, TITLE); k < end; k++) floats[w++] = idf(ints[k] as number);
    const entities = this.scored(slot, ENTITIES);
    for (let k = this.from(slot, entities), end = this.to(slot, entities); k < end; k++) floats[w++] = idf(ints[k] as number);
  }

  /** A slot's article's language. */
  language(slot: number): string {
    return this.languages[this.languageOf[slot] as number] as string;
  }

  private languageNumber(language: string): number {
    let n = this.languageNumbers.get(language);
    if (n === undefined) {
      n = this.languages.push(language) - 1;
      this.languageNumbers.set(language, n);
    }
    return n;
  }

  /** Where a slot's list starts in `ints`. */
  from(slot: number, list: number): number {
    const at = this.at[slot] as number;
    return at + (this.ints[at + list] as number);
  }

  /** Where a slot's list ends in `ints`. */
  to(slot: number, list: number): number {
    const at = this.at[slot] as number;
    return at + (this.ints[at + list + 1] as number);
  }

  /** The list to read for the scored view of SHINGLES, ENTITIES or NUMBERS: the scored list where it differs. */
  scored(slot: number, list: typeof SHINGLES | typeof ENTITIES | typeof NUMBERS): number {
    const flag = SCORED_LIST_FLAGS[list === SHINGLES ? 0 : list === ENTITIES ? 1 : 2];
    // The addition runs on every call, so its type is known when the callers are optimized: a `list + 1` reached only
    // once a source had a template was met first late in a run, and undid the optimized code of every caller.
    return list + (((this.flags[slot] as number) & flag) !== 0 ? 1 : 0);
  }

  /** The list to read for a slot's distinctive numbers: NUMBERS when they are all its numbers (not written twice). */
  distinctive(slot: number): typeof NUMBERS | typeof DISTINCTIVE {
    return ((this.flags[slot] as number) & DISTINCTIVE_ALL) !== 0 ? NUMBERS : DISTINCTIVE;
  }

  /** Where a slot's rarity weights of its title tokens start in `floats` (those of its scored names follow). */
  rarityFrom(slot: number): number {
    return this.floatBase(this.at[slot] as number);
  }

  /** Where a slot's counted values start in `floats` (their units follow, one per count kind). */
  countValuesFrom(slot: number): number {
    const at = this.at[slot] as number;
    const entities = this.scored(slot, ENTITIES);
    const ints = this.ints;
    const titles = (ints[at + TITLE + 1] as number) - (ints[at + TITLE] as number);
    return this.floatBase(at) + titles + (ints[at + entities + 1] as number) - (ints[at + entities] as number);
  }

  /** Whether a slot's article has the flag. */
  has(slot: number, flag: number): boolean {
    return ((this.flags[slot] as number) & flag) !== 0;
  }

  /** Whether a slot's article has a cross-language vector. */
  hasCross(slot: number): boolean {
    return this.has(slot, HAS_CROSS);
  }

  /** The names of a slot's scored view, sorted (code-unit order), for evidence. */
  entities(slot: number): string[] {
    const all = splitItems(this.part(slot, 0));
    const list = this.scored(slot, ENTITIES);
    return list === ENTITIES ? all : this.keepHashed(all, slot, list, SALT_ENTITY);
  }

  /** The numbers of a slot's scored view, sorted, for evidence. */
  numbers(slot: number): string[] {
    const all = splitItems(this.part(slot, 1));
    const list = this.scored(slot, NUMBERS);
    return list === NUMBERS ? all : this.keepHashed(all, slot, list, SALT_NUMBER);
  }

  /** The values per counted kind of a slot, in the order computeFeatures gave them, for evidence. */
  counts(slot: number): Map<string, Set<string>> {
    const counts = new Map<string, Set<string>>();
    for (const item of splitItems(this.part(slot, 2))) {
      const [kind, ...values] = item.split(VALUES);
      counts.set(kind as string, new Set(values));
    }
    return counts;
  }

  private part(slot: number, index: number): string {
    return (this.texts[slot] as string).slice(this.heldEnds[slot] as number).split(PART)[index] ?? '';
  }

  /** The text of a slot, which starts with the strings its owner keeps with it (see add), up to heldEnd. */
  heldText(slot: number): string {
    return this.texts[slot] as string;
  }

  /** Where the owner's strings end in a slot's text. */
  heldEnd(slot: number): number {
    return this.heldEnds[slot] as number;
  }

  /** Keeps the strings whose salted hash is in the slot's list. */
  private keepHashed(values: readonly string[], slot: number, list: number, salt: number): string[] {
    const wanted = new Set(this.ints.subarray(this.from(slot, list), this.to(slot, list)));
    return values.filter((v) => wanted.has(fnv1a(v, salt) | 0));
  }

  private floatBase(at: number): number {
    const end = at + (this.ints[at + LISTS] as number);
    return (end + (end & 1)) >> 1;
  }

  private newSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    if (this.slotCount === this.at.length) this.growSlots();
    return this.slotCount++;
  }

  private growSlots(): void {
    if (this.slotsFitted) this.resizeSlots(Math.ceil(this.at.length * RING_GROWTH));
    // While the window fills: doubled, or straight to a full window's slots when that is known (see fullWindowWords).
    else this.resizeSlots(Math.max(this.at.length * 2, Math.ceil(this.windowSlots * FITTED_ROOM)));
  }

  /** Gives the columns room for n slots (at least slotCount). */
  private resizeSlots(n: number): void {
    this.at = resized(this.at, n, -1);
    this.timeMs = resized(this.timeMs, n, 0);
    this.flags = resized(this.flags, n, 0);
    this.crossNorm = resized(this.crossNorm, n, 0);
    this.numberCount = resized(this.numberCount, n, 0);
    this.languageOf = resized(this.languageOf, n, 0);
    this.heldEnds = resized(this.heldEnds, n, 0);
  }

  /**
   * Moves the ring to one of FITTED_ROOM times `words`: for a window that has just `filled`, when that gives back enough
   * (see FIT_AT_MOST); for one loaded in one go, whenever it is smaller.
   */
  private fitRing(words: number, filled: boolean): void {
    const fitted = Math.max(MIN_RING_WORDS, Math.ceil((words * FITTED_ROOM) / 2) * 2);
    if (filled ? fitted <= this.ints.length * FIT_AT_MOST : fitted < this.ints.length) this.relocate(fitted);
  }

  /** Reserves `words` (even) at the ring's head for a slot's block; returns where the block starts. */
  private allocate(slot: number, words: number): number {
    const size = words + PREFIX;
    if (this.fitDue) {
      // The first block has been freed, so the window is full: a ring grown in large steps while it filled is fitted
      // to what it holds.
      this.fitDue = false;
      this.fitRing(this.liveWords + size, true);
    }
    let block = this.reserve(size);
    if (block < 0) {
      const grown = Math.max(MIN_RING_WORDS, Math.ceil(((this.liveWords + size) * RING_GROWTH) / 2) * 2);
      this.relocate(Math.max(this.filling ? Math.max(FILLING_GROWTH * this.ints.length, this.fullWindowWords()) : this.ints.length, grown));
      block = this.reserve(size);
    }
    this.ints[block] = size;
    this.ints[block + 1] = slot;
    this.liveWords += size;
    return block;
  }

  /**
   * While the window fills, the words a full window will hold, when its size is known (windowSlots): the words per
   * article so far times its articles, with FITTED_ROOM. A ring grown straight to it is copied once, small, instead of
   * doubling its way there (on the bench's 30k articles, five copies of 0.5–8 MB, every page of each new ring touched
   * anew: a tenth of the run's page faults); one that the window then does not fill is fitted when the window is full
   * (see fit), as one doubled too far is.
   */
  private fullWindowWords(): number {
    if (this.windowSlots <= this.slotCount || this.slotCount === 0) return 0;
    return Math.ceil((((this.liveWords / this.slotCount) * this.windowSlots * FITTED_ROOM) / 2)) * 2;
  }

  /** Takes `size` words at the head if they are free, wrapping to the ring's start when the end is too near; else -1. */
  private reserve(size: number): number {
    if (!this.wrapped) {
      // Free from the head to the ring's end, and before the tail.
      if (this.tail === this.head) this.tail = this.head = 0;
      if (this.head + size <= this.ints.length) return this.take(size);
      if (size >= this.tail) return -1;
      this.wrapped = true;
      this.end = this.head;
      this.head = 0;
      return this.take(size);
    }
    // Free from the head to the tail (kept apart, so that head = tail means empty).
    return this.head + size < this.tail ? this.take(size) : -1;
  }

  private take(size: number): number {
    const block = this.head;
    this.head += size;
    return block;
  }

  /** Moves the tail past the blocks freed at it. */
  private advanceTail(): void {
    const ints = this.ints;
    for (;;) {
      if (this.wrapped && this.tail === this.end) {
        this.tail = 0;
        this.wrapped = false;
      }
      if ((!this.wrapped && this.tail === this.head) || ints[this.tail + 1] !== -1) return;
      this.tail += ints[this.tail] as number;
    }
  }

  /** Copies the live blocks, in ring order, to the start of a new ring of `words` words. */
  private relocate(words: number): void {
    const old = this.ints;
    const ints = new Int32Array(words);
    let to = 0;
    // Each run of live blocks is copied in one call (while the window fills, every block is live).
    const copy = (from: number, until: number): void => {
      let run = -1;
      let runTo = 0;
      for (let b = from; b < until; b += old[b] as number) {
        const slot = old[b + 1] as number;
        if (slot < 0) {
          if (run >= 0) ints.set(old.subarray(run, b), runTo);
          run = -1;
          continue;
        }
        if (run < 0) {
          run = b;
          runTo = to;
        }
        this.at[slot] = to + PREFIX;
        to += old[b] as number;
      }
      if (run >= 0) ints.set(old.subarray(run, until), runTo);
    };
    if (!this.wrapped) copy(this.tail, this.head);
    else {
      copy(this.tail, this.end);
      copy(0, this.head);
    }
    this.ints = ints;
    this.floats = new Float64Array(ints.buffer);
    this.tail = 0;
    this.head = to;
    this.wrapped = false;
  }
}

const EMPTY = new Int32Array(0);

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function evidenceTextOf(f: IndexFeatures): string {
  const counts: string[] = [];
  f.counts.forEach((values, kind) => {
    counts.push([kind, ...values].join(VALUES));
  });
  return [f.entities.join(ITEM), f.numbers.join(ITEM), counts.join(ITEM)].join(PART);
}

function splitItems(text: string): string[] {
  return text === '' ? [] : text.split(ITEM);
}

/** A copy of a column with room for n slots (the first n when it held more), new slots set to `fill`. */
export function resized<T extends Int32Array | Float64Array | Uint8Array>(column: T, n: number, fill = 0): T {
  const copy = new (column.constructor as new (n: number) => T)(n);
  copy.set(column.length > n ? column.subarray(0, n) : column);
  if (n > column.length) copy.fill(fill, column.length);
  return copy;
}

import { readSync } from 'node:fs';
import { nextFinder } from '../parse/ascii-search.js';
import { publishedMs } from './cluster-batch.js';

const TAB = 0x09;
const LF = 0x0a;
const VT = 0x0b;
const FF = 0x0c;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const PUBLISHED_KEY = Buffer.from('"published"');
const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * Bytes read at a time in the first pass; a longer line grows the buffer. The buffer is let go when the pass is done,
 * not kept for the second: glibc's malloc, once it has freed a block that large, serves blocks up to its size from its
 * heaps, which the optimizing compiler's working memory then reuses from one compile to the next instead of mapping
 * fresh pages for each (one buffer for both passes made the run's page faults 12 % more).
 */
const SCAN_CHUNK_BYTES = 4 << 20;
const FIRST_KEYS = 1024;

/** `published` could not be read from the bytes alone; the line is parsed in full. */
const UNSURE = Symbol('unsure');

/**
 * The first-pass keys of the non-blank lines of a JSON Lines file, in input order: where each line sits (byte offset
 * and length) and when it was published (epoch ms, NaN when undated). 20 bytes a line, so a million lines can be put in
 * time order before any is read in full.
 */
export class LineKeys {
  count = 0;
  offset = new Float64Array(FIRST_KEYS);
  length = new Uint32Array(FIRST_KEYS);
  published = new Float64Array(FIRST_KEYS);

  /** Appends one line's keys. */
  add(offset: number, length: number, published: number): void {
    if (this.count === this.offset.length) this.grow();
    this.offset[this.count] = offset;
    this.length[this.count] = length;
    this.published[this.count] = published;
    this.count++;
  }

  private grow(): void {
    const size = this.count * 2;
    const offset = new Float64Array(size);
    const length = new Uint32Array(size);
    const published = new Float64Array(size);
    offset.set(this.offset);
    length.set(this.length);
    published.set(this.published);
    this.offset = offset;
    this.length = length;
    this.published = published;
  }
}

/** Next-occurrence searches over one chunk, each reading it once (see nextFinder). */
interface ChunkFinders {
  lf: (from: number) => number;
  cr: (from: number) => number;
  brace: (from: number) => number;
  escape: (from: number) => number;
  key: (from: number) => number;
}

function findersOf(data: Buffer): ChunkFinders {
  return {
    lf: nextFinder((from) => data.indexOf(LF, from)),
    cr: nextFinder((from) => data.indexOf(CR, from)),
    brace: nextFinder((from) => data.indexOf(LBRACE, from)),
    escape: nextFinder((from) => data.indexOf(UNICODE_ESCAPE, from)),
    key: nextFinder((from) => data.indexOf(PUBLISHED_KEY, from)),
  };
}

function within(found: number, end: number): boolean {
  return found !== -1 && found < end;
}

/** JSON whitespace inside a line (LF and CR end it). */
function isJsonSpace(b: number | undefined): boolean {
  return b === SPACE || b === TAB;
}

/** ASCII characters that String.prototype.trim removes and that do not end a line. */
function isTrimmedSpace(b: number | undefined): boolean {
  return b === SPACE || b === TAB || b === VT || b === FF;
}

/** Bytes a JSON number token is made of. */
function isNumberByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45);
}

/**
 * Returns where the value of a `"published"` found at `k` starts, when it is a key of the object opened at `open`:
 * preceded by `{` or `,` and followed by `:`. A quote preceded by either is unescaped, so it opens a string, and one
 * followed by a colon is a key; in an object holding no other `{`, a key of that object. -1 otherwise (a value).
 */
function valueAfterKey(data: Buffer, open: number, k: number, end: number): number {
  let before = k - 1;
  while (before > open && isJsonSpace(data[before])) before--;
  if (data[before] !== LBRACE && data[before] !== COMMA) return -1;
  let at = k + PUBLISHED_KEY.length;
  while (at < end && isJsonSpace(data[at])) at++;
  if (at === end || data[at] !== COLON) return -1;
  at++;
  while (at < end && isJsonSpace(data[at])) at++;
  return at;
}

/** Reads a string without escapes or a number at `at`; UNSURE for anything else. */
function valueAt(data: Buffer, at: number, end: number): string | number | typeof UNSURE {
  if (data[at] === QUOTE) {
    let close = at + 1;
    while (close < end && data[close] !== QUOTE && data[close] !== BACKSLASH) close++;
    return close < end && data[close] === QUOTE ? data.toString('utf8', at + 1, close) : UNSURE;
  }
  let stop = at;
  while (stop < end && isNumberByte(data[stop])) stop++;
  return stop > at ? Number(data.toString('latin1', at, stop)) : UNSURE;
}

/**
 * Reads `published` of the object line opened at `open` from its bytes, without parsing the line: JSON.parse would
 * read the same value when the object holds no other `{` (no nested object can hold a key of that name) and no `\u`
 * escape (none can spell one); the last such key wins, as in JSON.parse. UNSURE when it cannot tell.
 */
function publishedInBytes(data: Buffer, open: number, end: number, find: ChunkFinders): string | number | undefined | typeof UNSURE {
  if (within(find.brace(open + 1), end) || within(find.escape(open), end)) return UNSURE;
  let value = -1;
  for (let k = find.key(open); within(k, end); k = find.key(k + 1)) {
    const at = valueAfterKey(data, open, k, end);
    if (at !== -1) value = at;
  }
  return value === -1 ? undefined : valueAt(data, value, end);
}

/**
 * Reads `published` of a parsed line. A value of another type throws; the caller then reports the input's first bad
 * line, which this one is or comes after.
 */
function parsedPublished(text: string): string | number | undefined {
  const data: unknown = JSON.parse(text);
  const value = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).published : undefined;
  if (value === undefined || typeof value === 'string' || typeof value === 'number') return value;
  throw new TypeError('published is neither a string nor a number');
}

/** Records the keys of the line `data[start, end)` (at file offset `base + start`), unless it is blank. */
function addLine(data: Buffer, start: number, end: number, base: number, find: ChunkFinders, keys: LineKeys): void {
  let first = start;
  while (first < end && isTrimmedSpace(data[first])) first++;
  if (first === end) return;
  let value = data[first] === LBRACE ? publishedInBytes(data, first, end, find) : UNSURE;
  if (value === UNSURE) {
    const text = data.toString('utf8', start, end);
    if (text.trim() === '') return;
    value = parsedPublished(text);
  }
  keys.add(base + start, end - start, publishedMs(value));
}

/**
 * Records the keys of every complete line of `data` (which starts at file offset `base`) and returns how many bytes
 * they took; the rest is an unfinished line for the next chunk, unless `atEnd`. Lines end at LF, CRLF or a lone CR,
 * as readline splits them: a CR that ends the chunk waits for the next byte.
 */
function scanChunk(data: Buffer, base: number, atEnd: boolean, keys: LineKeys): number {
  const find = findersOf(data);
  let start = 0;
  for (;;) {
    const lf = find.lf(start);
    const cr = find.cr(start);
    const atCr = cr !== -1 && (lf === -1 || cr < lf);
    const end = atCr ? cr : lf;
    if (end === -1 || (atCr && cr + 1 === data.length && !atEnd)) {
      if (!atEnd) return start;
      if (start < data.length) addLine(data, start, data.length, base, find, keys);
      return data.length;
    }
    addLine(data, start, end, base, find, keys);
    start = atCr && data[cr + 1] === LF ? cr + 2 : end + 1;
  }
}

/**
 * Reads the keys of every non-blank line of the file open at `fd` (a regular file: it is read at positions), a chunk
 * at a time. A line whose `published` cannot be read throws; the caller then reports the input's first bad line.
 */
export function scanLineKeys(fd: number): LineKeys {
  const keys = new LineKeys();
  let buf = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
  let base = 0;
  let filled = 0;
  for (;;) {
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger);
      buf = bigger;
    }
    const read = readSync(fd, buf, filled, buf.length - filled, base + filled);
    filled += read;
    const used = scanChunk(buf.subarray(0, filled), base, read === 0, keys);
    if (read === 0) return keys;
    buf.copyWithin(0, used, filled);
    base += used;
    filled -= used;
  }
}

/**
 * Bytes read at once in the second pass, and how far behind the line that moved it the window starts, as a share of
 * it. Lines come in time order, which in a batch written roughly in time order stays near the last line read: the
 * bench's corpus (74 MB, versions up to 6 hours late) takes 32 reads of the file in all, both passes, through an 8 MB
 * window half behind (a quarter behind, some 600 lines were read alone; 16 MB, twice the pages touched, were needed for
 * as few).
 */
const READ_WINDOW_BYTES = 8 << 20;
const READ_WINDOW_BEHIND = 0.5;

/**
 * Reads lines back by position in the second pass, through a window that moves forward with the lines (what it
 * already holds of its new place is moved, not read again); a line far from it (an input in no time order at all) is
 * read on its own, so no order costs more than one read a line.
 */
export class LineReader {
  private start = 0;
  private end = 0;
  private single = Buffer.allocUnsafe(64 * 1024);

  private readonly window = Buffer.allocUnsafe(READ_WINDOW_BYTES);

  constructor(private readonly fd: number) {}

  /** Returns the line of `length` bytes at `offset`. */
  read(offset: number, length: number): string {
    if (offset < this.start || offset + length > this.end) {
      const size = this.window.length;
      if (offset < this.end || offset >= this.end + size || length > size * (1 - READ_WINDOW_BEHIND)) return this.readAlone(offset, length);
      this.move(Math.max(0, offset - Math.floor(size * READ_WINDOW_BEHIND)));
      if (offset + length > this.end) throw new Error(`the input changed while it was read (it ends before byte ${offset + length})`);
    }
    return this.window.toString('utf8', offset - this.start, offset - this.start + length);
  }

  /** Moves the window to start at `start`; what it holds from there on is kept and the rest read. */
  private move(start: number): void {
    const kept = start >= this.start && start < this.end ? this.end - start : 0;
    if (kept > 0) this.window.copyWithin(0, start - this.start, this.end - this.start);
    this.start = start;
    this.end = start + kept + this.fill(this.window.subarray(kept), this.window.length - kept, start + kept);
  }

  private readAlone(offset: number, length: number): string {
    if (length > this.single.length) this.single = Buffer.allocUnsafe(length);
    if (this.fill(this.single, length, offset) < length) throw new Error(`the input changed while it was read (it ends before byte ${offset + length})`);
    return this.single.toString('utf8', 0, length);
  }

  /** Reads up to `length` bytes at `position` into `buf`; fewer only at the end of the file. */
  private fill(buf: Buffer, length: number, position: number): number {
    let got = 0;
    for (let read = -1; got < length && read !== 0; got += read) read = readSync(this.fd, buf, got, length - got, position + got);
    return got;
  }
}

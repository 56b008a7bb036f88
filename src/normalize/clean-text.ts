/** A whitespace run but a lone space: what `\s+` runs replaced by a space change. */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;
// Unicode bidirectional controls (UAX #9: embeddings, overrides, isolates, marks) and the C1
// controls but NEL (a line break, see normalizeText): in a title or a name they reorder what follows ("U+202E" shows the rest backwards).
const DISPLAY_CONTROLS = /[\u0080-\u0084\u0086-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** What normalizeText makes of a character: kept, a space, a line break, or nothing. */
const KEEP = 0;
const SPACE = 1;
const BREAK = 2;
const DROP = 3;
const CARRIAGE_RETURN = 4;

/** Non-ASCII characters normalizeText does not keep as they are; every other one above U+007F is kept. */
const SPECIAL_UNICODE: ReadonlyMap<number, number> = new Map([
  // Line endings: NEL, line and paragraph separators.
  [0x85, BREAK], [0x2028, BREAK], [0x2029, BREAK],
  // Zero-width characters and the soft hyphen.
  [0x200b, DROP], [0x200c, DROP], [0x200d, DROP], [0x2060, DROP], [0xfeff, DROP], [0xad, DROP],
  // The other whitespace of `\s` (the Zs category).
  [0xa0, SPACE], [0x1680, SPACE], [0x2000, SPACE], [0x2001, SPACE], [0x2002, SPACE], [0x2003, SPACE], [0x2004, SPACE], [0x2005, SPACE],
  [0x2006, SPACE], [0x2007, SPACE], [0x2008, SPACE], [0x2009, SPACE], [0x200a, SPACE], [0x202f, SPACE], [0x205f, SPACE], [0x3000, SPACE],
]);

/** Returns what normalizeText makes of a character: tab, controls and `\s` spaces become spaces, line endings breaks, zero-width characters nothing. */
function charKind(code: number): number {
  if (code > 0x20 && code < 0x7f) return KEEP;
  if (code < 0x80) return code === 0x0a ? BREAK : code === 0x0d ? CARRIAGE_RETURN : SPACE;
  // Most other characters are outside the few ranges of SPECIAL_UNICODE.
  if (code < 0x2000 ? code !== 0x85 && code !== 0xa0 && code !== 0xad && code !== 0x1680 : code > 0x3000 && code !== 0xfeff) return KEEP;
  return SPECIAL_UNICODE.get(code) ?? KEEP;
}

/** Any character but printable ASCII, the space and the line break: what may make normalizeText change a text. */
const NOT_PLAIN = /[^\x20-\x7e\n]/;
/** The characters (after NFKC) normalizeText changes, but the space and the line break. */
const CHANGED_CHARS = /[\x00-\x09\x0b-\x1f\x7f\x85\xa0\xad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/;
/** A space before a space or a line break, or one after a line break. */
const MISPLACED_SPACE = / [ \n]|\n /;
/** Any character but printable ASCII and the space. */
const NOT_PRINTABLE = /[^\x20-\x7e]/;
/** Whitespace (`\s`) other than the space. */
const OTHER_WHITESPACE = /[\t-\r\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Tells whether every character of `text` is ASCII: then its UTF-8 form has a byte per character (counted by a vectorized native loop). */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

/** Applies Unicode NFKC (UAX #15), which leaves ASCII text as it is: such text is returned without the work. */
export function nfkc(text: string): string {
  return isAscii(text) ? text : text.normalize('NFKC');
}

/** Tells whether a character is whitespace to `\s` (and to String.prototype.trim). */
export function isWhitespace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return code === 0x2028 || code === 0x2029 || code === 0xfeff || SPECIAL_UNICODE.get(code) === SPACE;
}

/**
 * Tells whether text has the spacing normalizeText gives: one space between words, no space at
 * either end of a line, line breaks alone or in pairs and not at either end, and no character
 * normalizeText changes (controls, zero-width characters, other line endings and spaces). A few
 * native scans, no per-character loop: most texts pass, and are then kept as they are.
 */
export function hasNormalSpacing(text: string): boolean {
  if (text === '') return true;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first === 0x20 || first === 0x0a || last === 0x20 || last === 0x0a) return false;
  // The negated class is scanned faster than CHANGED_CHARS, and rules out most texts.
  if (NOT_PLAIN.test(text) && CHANGED_CHARS.test(text)) return false;
  return !MISPLACED_SPACE.test(text) && !text.includes('\n\n\n');
}

/** Bits of an ASCII character to asciiHasNormalSpacing: a space, a line break, a control normalizeText changes. */
const SPACE_BIT = 1;
const BREAK_BIT = 2;
const CHANGED_BIT = 4;
/** Where an ASCII character's bits of what would be a misplaced space after it sit in ASCII_SPACING: above its own bits. */
const AFTER_SHIFT = 3;
/**
 * Per ASCII character, its own bits, and above them (AFTER_SHIFT) the bits of what would be a misplaced space after it:
 * a space or a break after a space, a space after a break. One table, so the loop reads one entry a character.
 */
const ASCII_SPACING: Uint8Array = Uint8Array.from({ length: 0x80 }, (_, code) => {
  const own = code === 0x20 ? SPACE_BIT : code === 0x0a ? BREAK_BIT : code < 0x20 || code === 0x7f ? CHANGED_BIT : 0;
  const after = code === 0x20 ? SPACE_BIT | BREAK_BIT : code === 0x0a ? SPACE_BIT : 0;
  return own | (after << AFTER_SHIFT);
});

/** Bytes of the scratch buffer ASCII text is copied into: enough for most articles (a longer text gets its own). */
const SCRATCH_BYTES = 64 * 1024;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

/**
 * hasNormalSpacing of ASCII text, in one loop that notes, without a branch, each control and each space misplaced next
 * to the character before it: the patterns each scan the text, and stop at every space. The loop reads the text copied
 * into bytes, one a character (its UTF-8 form), which runs faster than one over the characters of a string.
 */
function asciiHasNormalSpacing(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  if (first === 0x20 || first === 0x0a || last === 0x20 || last === 0x0a) return false;
  const bytes = n <= SCRATCH_BYTES ? scratch : Buffer.allocUnsafe(n);
  bytes.write(text, 0, n, 'latin1');
  let found = 0;
  let misplaced = 0;
  for (let i = 0; i < n; i++) {
    // misplaced | CHANGED_BIT is below AFTER_SHIFT: the entry's bits for the next character do not count here.
    const bits = ASCII_SPACING[bytes[i] as number] as number;
    found |= bits & (misplaced | CHANGED_BIT);
    misplaced = bits >> AFTER_SHIFT;
  }
  return found === 0 && !text.includes('\n\n\n');
}

/**
 * Replaces every whitespace run by one space, as `text.replace(/\s+/g, ' ')` does, without
 * replacing each lone space (most of them) by another. A text without two spaces in a row and
 * without other whitespace has no run to replace: two quick scans tell it (most text nodes of
 * HTML), where the replacing pattern tries each character.
 */
export function collapseWhitespaceRuns(text: string): string {
  if (!text.includes('  ') && !(NOT_PRINTABLE.test(text) && OTHER_WHITESPACE.test(text))) return text;
  return text.replace(WHITESPACE_TO_COLLAPSE, ' ');
}

/**
 * Collapses every whitespace run to one space and trims, as `text.replace(/\s+/g, ' ').trim()`
 * does; text with nothing to change (single spaces between words) is returned as it is.
 */
export function collapseWhitespace(text: string): string {
  // The negated class is scanned faster than OTHER_WHITESPACE's, and rules out most lines.
  const clean = text === '' || (text.charCodeAt(0) !== 0x20 && text.charCodeAt(text.length - 1) !== 0x20 && !(NOT_PRINTABLE.test(text) && OTHER_WHITESPACE.test(text)) && !MISPLACED_SPACE.test(text));
  return clean ? text : collapseWhitespaceRuns(text).trim();
}

/**
 * Normalizes text for storage and comparison: Unicode NFKC (UAX #15: compatibility forms such
 * as no-break spaces, ligatures and full-width letters become their plain equivalents), no
 * zero-width or control characters, one space between words, trimmed lines, at most one blank
 * line between paragraphs. Text already so (see hasNormalSpacing) is kept as it is, and ASCII
 * text needs no NFKC.
 */
export function normalizeText(text: string): string {
  if (isAscii(text)) return asciiHasNormalSpacing(text) ? text : respaced(text);
  const s = text.normalize('NFKC');
  return hasNormalSpacing(s) ? s : respaced(s);
}

/** Rebuilds the spacing of NFKC text as normalizeText gives it, in one pass: runs of kept characters, with the single spaces and line breaks between them, are copied whole. */
function respaced(s: string): string {
  const n = s.length;
  let out = '';
  // Start of the run of kept text being copied, or -1 between runs.
  let run = -1;
  // Separators met since the last kept character: line breaks, and spaces on the same line.
  let breaks = 0;
  let spaced = false;
  for (let i = 0; i < n; i++) {
    const kind = charKind(s.charCodeAt(i));
    if (kind === KEEP) {
      if (run !== -1) continue;
      if (out !== '') out += breaks >= 2 ? '\n\n' : breaks === 1 ? '\n' : spaced ? ' ' : '';
      run = i;
      breaks = 0;
      spaced = false;
      continue;
    }
    // A single space or line break (or two breaks) between kept characters stays in the run as it is.
    if (run !== -1 && kind !== DROP && i + 1 < n) {
      const next = charKind(s.charCodeAt(i + 1));
      if (next === KEEP && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x0a)) continue;
      if (s.charCodeAt(i) === 0x0a && s.charCodeAt(i + 1) === 0x0a && i + 2 < n && charKind(s.charCodeAt(i + 2)) === KEEP) {
        i++;
        continue;
      }
    }
    if (run !== -1) {
      out += s.slice(run, i);
      run = -1;
    }
    if (kind === SPACE) spaced = true;
    else if (kind === BREAK || kind === CARRIAGE_RETURN) {
      breaks++;
      spaced = false;
      if (kind === CARRIAGE_RETURN && s.charCodeAt(i + 1) === 0x0a) i++;
    }
  }
  if (run !== -1) out = out === '' ? s.slice(run) : out + s.slice(run);
  return out;
}

/**
 * Normalizes a one-line string (a title, an author, an outlet's name): as {@link normalizeText},
 * without bidirectional or C1 control characters, all whitespace collapsed to single spaces.
 */
export function normalizeLine(text: string): string {
  const line = normalizeText(isAscii(text) ? text : text.replace(DISPLAY_CONTROLS, ''));
  return line.includes('\n') ? collapseWhitespaceRuns(line) : line;
}

/** Counts the words (whitespace-separated tokens) of `text`, up to `atMost`: the rest of the text is not read. */
export function countWords(text: string, atMost = Infinity): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || code === 10 || code === 9 || code === 13;
    if (!space && !inWord && ++count >= atMost) return count;
    inWord = !space;
  }
  return count;
}

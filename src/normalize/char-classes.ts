/** Scripts whose letters are counted apart: those of the languages feeds declare (see LANGUAGE_SCRIPTS), each with the pattern of one of its characters. */
const SCRIPT_CHARACTERS = [
  ['Latin', /^\p{Script=Latin}$/u],
  ['Cyrillic', /^\p{Script=Cyrillic}$/u],
  ['Greek', /^\p{Script=Greek}$/u],
  ['Hebrew', /^\p{Script=Hebrew}$/u],
  ['Arabic', /^\p{Script=Arabic}$/u],
  ['Han', /^\p{Script=Han}$/u],
  ['Hiragana', /^\p{Script=Hiragana}$/u],
  ['Katakana', /^\p{Script=Katakana}$/u],
  ['Hangul', /^\p{Script=Hangul}$/u],
  ['Devanagari', /^\p{Script=Devanagari}$/u],
  ['Bengali', /^\p{Script=Bengali}$/u],
  ['Gurmukhi', /^\p{Script=Gurmukhi}$/u],
  ['Gujarati', /^\p{Script=Gujarati}$/u],
  ['Tamil', /^\p{Script=Tamil}$/u],
  ['Telugu', /^\p{Script=Telugu}$/u],
  ['Kannada', /^\p{Script=Kannada}$/u],
  ['Malayalam', /^\p{Script=Malayalam}$/u],
  ['Sinhala', /^\p{Script=Sinhala}$/u],
  ['Myanmar', /^\p{Script=Myanmar}$/u],
  ['Thai', /^\p{Script=Thai}$/u],
  ['Ethiopic', /^\p{Script=Ethiopic}$/u],
  ['Georgian', /^\p{Script=Georgian}$/u],
  ['Armenian', /^\p{Script=Armenian}$/u],
] as const;

export const COUNTED_SCRIPTS = SCRIPT_CHARACTERS.map(([script]) => script);

export type CountedScript = (typeof SCRIPT_CHARACTERS)[number][0];

/** What one pass over a text counts: its letters (`\p{L}`), and its code points of each counted script. */
export interface LetterCounts {
  letters: number;
  /** Code points with each script's `\p{Script=…}`, indexed as COUNTED_SCRIPTS; a script's marks and digits count too. */
  byScript: Int32Array;
}

const LETTER = 0x80;
const MARK = 0x40;
const PUNCTUATION_OR_SYMBOL = 0x20;
/** Low bits of a class: 1 + the index of its script in COUNTED_SCRIPTS, or 0 for any other script. */
const SCRIPT_BITS = 0x1f;
const UNCLASSIFIED = -1;

const LETTER_PATTERN = /^\p{L}$/u;
const MARK_PATTERN = /^\p{M}$/u;
const PUNCTUATION_OR_SYMBOL_PATTERN = /^[\p{P}\p{S}]$/u;
/** Class of each BMP code point (letter, mark, punctuation or symbol, counted script), worked out by the patterns above the first time it is seen. */
const bmpClasses = new Int16Array(0x10000).fill(UNCLASSIFIED);
const astralClasses = new Map<number, number>();

function classify(codePoint: number): number {
  // A lone surrogate is no letter and in no script, as the `u`-flag patterns read it.
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 0;
  const chars = String.fromCodePoint(codePoint);
  const script = SCRIPT_CHARACTERS.findIndex(([, pattern]) => pattern.test(chars)) + 1;
  return (LETTER_PATTERN.test(chars) ? LETTER : 0) | (MARK_PATTERN.test(chars) ? MARK : 0) | (PUNCTUATION_OR_SYMBOL_PATTERN.test(chars) ? PUNCTUATION_OR_SYMBOL : 0) | script;
}

/** Returns the class bits of a code point, cached. */
function classOf(codePoint: number): number {
  if (codePoint < 0x10000) {
    let cls = bmpClasses[codePoint] as number;
    if (cls === UNCLASSIFIED) bmpClasses[codePoint] = cls = classify(codePoint);
    return cls;
  }
  let cls = astralClasses.get(codePoint);
  if (cls === undefined) astralClasses.set(codePoint, (cls = classify(codePoint)));
  return cls;
}

/** Returns the code point at `i` of `text` as a `u`-flag pattern reads it: a surrogate pair whole, a lone half alone. */
export function codePointAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return (code - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
  }
  return code;
}

/** Tells whether a code point is a letter or a mark (`[\p{L}\p{M}]`): a word character. */
export function isLetterOrMark(codePoint: number): boolean {
  if (codePoint < 0x80) return (codePoint | 0x20) >= 0x61 && (codePoint | 0x20) <= 0x7a;
  return (classOf(codePoint) & (LETTER | MARK)) !== 0;
}

/** Tells whether a code point is punctuation or a symbol (`[\p{P}\p{S}]`). */
export function isPunctuationOrSymbol(codePoint: number): boolean {
  return (classOf(codePoint) & PUNCTUATION_OR_SYMBOL) !== 0;
}

/**
 * Counts the letters of `text` and its code points of each counted script in one loop: what
 * `text.match(/\p{L}/gu)` and `text.match(/\p{Script=Latin}/gu)`… count, without building their arrays.
 */
export function countLetters(text: string): LetterCounts {
  const byScript = new Int32Array(COUNTED_SCRIPTS.length);
  let letters = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) latin++;
      continue;
    }
    const codePoint = codePointAt(text, i);
    if (codePoint > 0xffff) i++;
    const cls = classOf(codePoint);
    if ((cls & LETTER) !== 0) letters++;
    const script = cls & SCRIPT_BITS;
    if (script !== 0) byScript[script - 1]!++;
  }
  // ASCII letters are the Latin ones: counted apart in the loop, added here.
  byScript[0]! += latin;
  return { letters: letters + latin, byScript };
}

/** Returns the counts of a text of `letters` Latin letters and nothing else in any counted script (an ASCII text). */
export function latinLetters(letters: number): LetterCounts {
  const byScript = new Int32Array(COUNTED_SCRIPTS.length);
  byScript[0] = letters;
  return { letters, byScript };
}

/** Returns the code points of `counts` in any of `scripts`. */
export function inScripts(counts: LetterCounts, scripts: readonly number[]): number {
  let n = 0;
  for (const script of scripts) n += counts.byScript[script] as number;
  return n;
}

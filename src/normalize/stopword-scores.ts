import { Buffer } from 'node:buffer';
import { codePointAt, isLetterOrMark } from './char-classes.js';
import { LETTER_HINTS, STOPWORDS, SUFFIX_HINTS, SUFFIX_WEIGHT } from './language-stopwords.js';

/** Languages scored by function words, in tie-break order. */
export const SCORED_LANGUAGES = Object.keys(STOPWORDS);

/** Index of each scored language in SCORED_LANGUAGES. */
const SCORED_INDEX: ReadonlyMap<string, number> = new Map(SCORED_LANGUAGES.map((lang, index) => [lang, index]));

/** word → languages listing it (indexes in SCORED_LANGUAGES), built once. */
const WORD_LANGUAGES: ReadonlyMap<string, readonly number[]> = (() => {
  const map = new Map<string, number[]>();
  for (const [lang, words] of Object.entries(STOPWORDS)) {
    const index = SCORED_INDEX.get(lang) as number;
    for (const word of words.split(' ')) {
      const langs = map.get(word) ?? [];
      if (!langs.includes(index)) langs.push(index);
      map.set(word, langs);
    }
  }
  return map;
})();

/**
 * Digit of each ASCII character in the number an ASCII word is read as: 1–26 for a–z, 27 for the
 * apostrophe, 0 for a character that ends a word. A word is read as two numbers in base
 * ASCII_WORD_BASE, its first HEAD_CHARS characters and the rest: small integers both, and no two
 * words of up to 2 × HEAD_CHARS characters share the pair (no digit is 0).
 */
const ASCII_WORD_DIGITS: Uint8Array = (() => {
  const digits = new Uint8Array(0x80);
  for (let code = 0x61; code <= 0x7a; code++) digits[code] = code - 0x60;
  digits[0x27] = 27;
  return digits;
})();
/** ASCII_WORD_DIGITS with the capitals A–Z read as their lower case: an ASCII text's words without lower-casing it. */
const ASCII_WORD_DIGITS_ANY_CASE: Uint8Array = (() => {
  const digits = ASCII_WORD_DIGITS.slice();
  for (let code = 0x41; code <= 0x5a; code++) digits[code] = code - 0x40;
  return digits;
})();
const ASCII_WORD_BASE = 32;
/** Characters in the first number of a word: 6 digits of base 32 fill 30 bits. */
const HEAD_CHARS = 6;
/** Digits of letters, not of the apostrophe. */
const LAST_LETTER_DIGIT = 26;
const ASCII_WORD = /^[a-z']+$/;

/** The function words written in ASCII letters. */
const ASCII_STOPWORDS = [...WORD_LANGUAGES].filter(([word]) => ASCII_WORD.test(word));
/** Longest function word written in ASCII letters: a longer ASCII word is none. */
const ASCII_STOPWORD_MAX_CHARS = Math.max(...ASCII_STOPWORDS.map(([word]) => word.length));
if (ASCII_STOPWORD_MAX_CHARS > 2 * HEAD_CHARS) throw new Error('an ASCII function word is too long for two numbers');

/** Slot of a word's two numbers (see ASCII_WORD_DIGITS) in a table of 2^bits slots. */
function slotOf(head: number, tail: number, bits: number): number {
  return Math.imul(head ^ Math.imul(tail, 0x85ebca6b), 0x9e3779b1) >>> (32 - bits);
}

/**
 * The function words written in ASCII letters, by their two numbers, in an open-addressing table: slot i holds a
 * word's first number at 2i (0: empty) and the rest at 2i + 1, its languages in `langs[i]`. Small integers all, where a
 * Map keyed by one number of the whole word hashed a double for each word of more than six letters.
 */
const ASCII_TABLE_BITS = Math.ceil(Math.log2(ASCII_STOPWORDS.length * 4));
const ASCII_TABLE = (() => {
  const keys = new Int32Array(2 << ASCII_TABLE_BITS);
  const langs: (readonly number[])[] = [];
  const mask = (1 << ASCII_TABLE_BITS) - 1;
  for (const [word, wordLangs] of ASCII_STOPWORDS) {
    let head = 0;
    let tail = 0;
    for (let i = 0; i < word.length; i++) {
      const digit = ASCII_WORD_DIGITS[word.charCodeAt(i)] as number;
      if (i < HEAD_CHARS) head = head * ASCII_WORD_BASE + digit;
      else tail = tail * ASCII_WORD_BASE + digit;
    }
    let slot = slotOf(head, tail, ASCII_TABLE_BITS);
    while (keys[2 * slot] !== 0) slot = (slot + 1) & mask;
    keys[2 * slot] = head;
    keys[2 * slot + 1] = tail;
    langs[slot] = wordLangs;
  }
  return { keys, langs };
})();

/** Returns the languages of the ASCII word read as `head` and `tail`, or undefined when it is no function word. */
function asciiWordLanguages(head: number, tail: number): readonly number[] | undefined {
  const keys = ASCII_TABLE.keys;
  const mask = (1 << ASCII_TABLE_BITS) - 1;
  for (let slot = slotOf(head, tail, ASCII_TABLE_BITS); ; slot = (slot + 1) & mask) {
    const found = keys[2 * slot] as number;
    if (found === 0) return undefined;
    if (found === head && keys[2 * slot + 1] === tail) return ASCII_TABLE.langs[slot];
  }
}

/** Adds the weight of the word endings `word` matches, shared among the languages matching. */
function addSuffixEvidence(word: string, scores: Float64Array): void {
  let matched: number[] | undefined;
  for (const [pattern, lang] of SUFFIX_HINTS) {
    const index = SCORED_INDEX.get(lang) as number;
    if (pattern.test(word) && !(matched ?? []).includes(index)) (matched ??= []).push(index);
  }
  if (matched === undefined) return;
  for (const index of matched) scores[index]! += SUFFIX_WEIGHT / matched.length;
}

/** Function-word evidence: a score per language of SCORED_LANGUAGES (same index), the words read, and the ASCII letters met. */
export interface StopwordScores {
  scores: Float64Array;
  tokens: number;
  asciiLetters: number;
}

/** Returns the score of `lang` (0 for a language not scored by function words). */
export function scoreOf(evidence: StopwordScores, lang: string): number {
  const index = SCORED_INDEX.get(lang);
  return index === undefined ? 0 : (evidence.scores[index] as number);
}

/** Credits each language listing `langs` (a word's languages) with its share of one word. */
function addWord(langs: readonly number[], scores: Float64Array): void {
  for (const index of langs) scores[index]! += 1 / langs.length;
}

/** An ASCII sample's bytes, copied in by one native call: typed-array reads are cheaper than charCodeAt. */
let asciiBytes = Buffer.allocUnsafe(4096);

/**
 * stopwordScores of an ASCII text (every code unit below 0x80), read as it is: its capitals count as their lower case,
 * so the text is not lower-cased first, and no character takes the path of the letters beyond ASCII.
 */
export function asciiStopwordScores(sample: string, endingsBelowChars: number): StopwordScores {
  const scores = new Float64Array(SCORED_LANGUAGES.length);
  const n = sample.length;
  const useSuffixes = n < endingsBelowChars;
  let tokens = 0;
  let asciiLetters = 0;
  if (asciiBytes.length < n) asciiBytes = Buffer.allocUnsafe(Math.max(n, 2 * asciiBytes.length));
  const bytes = asciiBytes;
  bytes.write(sample, 0, n, 'latin1');
  let i = 0;
  while (i < n) {
    let digit = ASCII_WORD_DIGITS_ANY_CASE[bytes[i] as number] as number;
    if (digit === 0) {
      i++;
      continue;
    }
    const start = i;
    let head = 0;
    let tail = 0;
    do {
      const at = i - start;
      if (at < HEAD_CHARS) head = head * ASCII_WORD_BASE + digit;
      else if (at < ASCII_STOPWORD_MAX_CHARS) tail = tail * ASCII_WORD_BASE + digit;
      if (digit <= LAST_LETTER_DIGIT) asciiLetters++;
      i++;
    } while (i < n && (digit = ASCII_WORD_DIGITS_ANY_CASE[bytes[i] as number] as number) !== 0);
    tokens++;
    const langs = i - start <= ASCII_STOPWORD_MAX_CHARS ? asciiWordLanguages(head, tail) : undefined;
    if (langs !== undefined) addWord(langs, scores);
    else if (useSuffixes) addSuffixEvidence(sample.slice(start, i).toLowerCase(), scores);
  }
  return { scores, tokens, asciiLetters };
}

/**
 * Scores the words (runs of letters, marks and apostrophes, as `[\p{L}\p{M}']+` finds them) of
 * the lower-cased sample: function words, word endings when it is shorter than
 * `endingsBelowChars` (a headline), telling letters. An ASCII word is read as two numbers (see
 * ASCII_WORD_DIGITS) and looked up without a string made of it.
 */
export function stopwordScores(sample: string, endingsBelowChars: number): StopwordScores {
  const scores = new Float64Array(SCORED_LANGUAGES.length);
  const lower = sample.toLowerCase();
  const n = lower.length;
  // Word endings matter on headlines; on longer texts function words are plenty.
  const useSuffixes = n < endingsBelowChars;
  let tokens = 0;
  let asciiLetters = 0;
  let ascii = true;
  // Start of the word being read (-1 between words), its two numbers while it may be a function word, and whether it is all ASCII.
  let start = -1;
  let head = 0;
  let tail = 0;
  let asciiWord = true;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? lower.charCodeAt(i) : 0;
    let digit = 0;
    let wide = false;
    let inWord: boolean;
    if (code < 0x80) {
      digit = ASCII_WORD_DIGITS[code] as number;
      inWord = digit !== 0;
    } else {
      ascii = false;
      const codePoint = codePointAt(lower, i);
      wide = codePoint > 0xffff;
      inWord = isLetterOrMark(codePoint);
    }
    if (inWord) {
      if (start === -1) {
        start = i;
        head = 0;
        tail = 0;
        asciiWord = true;
      }
      if (digit === 0) asciiWord = false;
      else if (i - start < HEAD_CHARS) head = head * ASCII_WORD_BASE + digit;
      else if (i - start < ASCII_STOPWORD_MAX_CHARS) tail = tail * ASCII_WORD_BASE + digit;
      if (digit !== 0 && digit <= LAST_LETTER_DIGIT) asciiLetters++;
    } else if (start !== -1) {
      tokens++;
      const langs = asciiWord ? (i - start <= ASCII_STOPWORD_MAX_CHARS ? asciiWordLanguages(head, tail) : undefined) : WORD_LANGUAGES.get(lower.slice(start, i));
      if (langs !== undefined) addWord(langs, scores);
      else if (useSuffixes) addSuffixEvidence(lower.slice(start, i), scores);
      start = -1;
    }
    if (wide) i++;
  }
  // Every telling letter is outside ASCII.
  if (!ascii) {
    for (const [letters, langs, weight] of LETTER_HINTS) {
      if (!lower.includes(letters)) continue;
      for (const lang of langs) scores[SCORED_INDEX.get(lang) as number]! += weight / langs.length;
    }
  }
  return { scores, tokens, asciiLetters };
}

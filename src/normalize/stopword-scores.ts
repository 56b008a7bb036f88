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
 * apostrophe, 0 for a character that ends a word. In base ASCII_WORD_BASE no two words of up to
 * 10 characters share a number.
 */
const ASCII_WORD_DIGITS: Uint8Array = (() => {
  const digits = new Uint8Array(0x80);
  for (let code = 0x61; code <= 0x7a; code++) digits[code] = code - 0x60;
  digits[0x27] = 27;
  return digits;
})();
const ASCII_WORD_BASE = 32;
/** Digits of letters, not of the apostrophe. */
const LAST_LETTER_DIGIT = 26;
const ASCII_WORD = /^[a-z']+$/;

/** Reads a lower-case ASCII word as a number (see ASCII_WORD_DIGITS). */
function asciiWordKey(word: string): number {
  let key = 0;
  for (let i = 0; i < word.length; i++) key = key * ASCII_WORD_BASE + (ASCII_WORD_DIGITS[word.charCodeAt(i)] as number);
  return key;
}

/** The function words written in ASCII letters, by their number (see asciiWordKey). */
const ASCII_WORD_LANGUAGES: ReadonlyMap<number, readonly number[]> = new Map(
  [...WORD_LANGUAGES].filter(([word]) => ASCII_WORD.test(word)).map(([word, langs]) => [asciiWordKey(word), langs]),
);
/** Longest function word written in ASCII letters: a longer ASCII word is none. */
const ASCII_STOPWORD_MAX_CHARS = Math.max(...[...WORD_LANGUAGES.keys()].filter((word) => ASCII_WORD.test(word)).map((word) => word.length));

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

/**
 * Scores the words (runs of letters, marks and apostrophes, as `[\p{L}\p{M}']+` finds them) of
 * the lower-cased sample: function words, word endings when it is shorter than
 * `endingsBelowChars` (a headline), telling letters. An ASCII word is read as a number (see
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
  // Start of the word being read (-1 between words), its number, and whether it is all ASCII.
  let start = -1;
  let key = 0;
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
        key = 0;
        asciiWord = true;
      }
      if (digit === 0) asciiWord = false;
      key = key * ASCII_WORD_BASE + digit;
      if (digit !== 0 && digit <= LAST_LETTER_DIGIT) asciiLetters++;
    } else if (start !== -1) {
      tokens++;
      const langs = asciiWord ? (i - start <= ASCII_STOPWORD_MAX_CHARS ? ASCII_WORD_LANGUAGES.get(key) : undefined) : WORD_LANGUAGES.get(lower.slice(start, i));
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

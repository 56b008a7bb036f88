import { createRequire } from 'node:module';
import type { data as francData } from 'franc-min/data.js';
import type { expressions as francExpressions } from 'franc-min/expressions.js';
import { collapseWhitespaceRuns, isAscii } from './clean-text.js';

/** franc-min's answer when it cannot tell. */
export const TRIGRAM_UNDETERMINED = 'und';
/** Characters franc-min reads of a text (its MAX_LENGTH). */
const FRANC_MAX_CHARS = 2048;
/** Distance franc-min adds for a trigram a language's table lacks (its MAX_DIFFERENCE). */
const MAX_DIFFERENCE = 300;
/** Runs franc-min's cleaning replaces by a space: ASCII punctuation, symbols and digits. */
const FRANC_PUNCTUATION_RUN = /[\u0021-\u0040]+/g;
const UNCLASSIFIED = -1;

const ASCII_LETTER = /[a-z]/i;

/**
 * franc-min's tables, read on first use (a batch whose items declare a language their letters agree with never asks for
 * them), and what is made of them:
 * - `scripts`: the scripts of its expressions, in its order, and `latin`, the index of Latin among them;
 * - `unitScripts`: the scripts (a bit per index in `scripts`) each UTF-16 code unit counts in, UNCLASSIFIED until first
 *   seen; `pairScripts`, those of surrogate pairs. franc-min's expressions overlap: Han characters count for Chinese
 *   and for Japanese.
 */
interface FrancTables {
  data: typeof francData;
  expressions: typeof francExpressions;
  scripts: string[];
  latin: number;
  unitScripts: Int32Array;
  pairScripts: Map<number, number>;
}

let tables: FrancTables | undefined;

function francTables(): FrancTables {
  if (tables === undefined) {
    // ES modules (Node.js 20.19 and later require them as such): 100 KB of tables, 5 ms of a start when imported.
    const require = createRequire(import.meta.url);
    const { data } = require('franc-min/data.js') as { data: typeof francData };
    const { expressions } = require('franc-min/expressions.js') as { expressions: typeof francExpressions };
    const scripts = Object.keys(expressions);
    tables = { data, expressions, scripts, latin: scripts.indexOf('Latin'), unitScripts: new Int32Array(0x10000).fill(UNCLASSIFIED), pairScripts: new Map() };
  }
  return tables;
}

const models = new Map<string, ScriptModel>();

/** Returns the scripts whose franc-min expression matches the whole of `chars` (one unit, or a surrogate pair), as bits. */
function scriptsOf(chars: string): number {
  let bits = 0;
  const { scripts, expressions } = francTables();
  scripts.forEach((script, index) => {
    const expression = expressions[script] as RegExp;
    expression.lastIndex = 0;
    const match = expression.exec(chars);
    if (match !== null && match.index === 0 && match[0].length === chars.length) bits |= 1 << index;
  });
  return bits;
}

/** Returns the scripts franc-min counts a code unit in, by its expressions; a lone surrogate is in none. */
function unitScriptBits(tables: FrancTables, code: number): number {
  const { unitScripts } = tables;
  let bits = unitScripts[code] as number;
  if (bits === UNCLASSIFIED) {
    bits = code >= 0xd800 && code <= 0xdfff ? 0 : scriptsOf(String.fromCharCode(code));
    unitScripts[code] = bits;
  }
  return bits;
}

function pairScriptBits(tables: FrancTables, high: number, low: number): number {
  const key = high * 0x10000 + low;
  const { pairScripts } = tables;
  let bits = pairScripts.get(key);
  if (bits === undefined) {
    bits = scriptsOf(String.fromCharCode(high, low));
    pairScripts.set(key, bits);
  }
  return bits;
}

/**
 * Returns the index of the script whose characters occur most in `value`, the first in franc-min's
 * order on a tie, and whether any occurs: what franc-min's getTopScript finds with one regex match
 * per script. In ASCII its expressions take the letters only, as Latin: an ASCII text's top script
 * is Latin if it has a letter, and none is counted.
 */
function topScript(value: string): { script: number; found: boolean } {
  if (isAscii(value)) {
    const found = ASCII_LETTER.test(value);
    return { script: found ? francTables().latin : 0, found };
  }
  // Fetched once for the loop, which passes them on for each character.
  const tables = francTables();
  const { scripts, latin } = tables;
  const counts = new Int32Array(scripts.length);
  let asciiLetters = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) {
      if ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) asciiLetters++;
      continue;
    }
    let bits: number;
    const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      bits = pairScriptBits(tables, code, next);
      // A pair that no script takes whole leaves its low half, which no script takes alone.
      i++;
    } else {
      bits = unitScriptBits(tables, code);
    }
    // Most characters count in one script at most: its index is the position of the bit.
    if ((bits & (bits - 1)) === 0) {
      if (bits !== 0) counts[31 - Math.clz32(bits)]!++;
      continue;
    }
    for (let script = 0; bits !== 0; script++, bits >>>= 1) if ((bits & 1) !== 0) counts[script]!++;
  }
  counts[latin]! += asciiLetters;
  let best = 0;
  for (let s = 1; s < counts.length; s++) if ((counts[s] as number) > (counts[best] as number)) best = s;
  return { script: best, found: (counts[best] as number) > 0 };
}

/** Bits of the rank in a packed pair (language index, rank + 1): ranks run to 300, below the index. */
const RANK_BITS = 16;
const RANK_MASK = (1 << RANK_BITS) - 1;

/**
 * A script's trigram tables: its languages in franc-min's order; a posting id for each trigram any
 * of them has (by index too for trigrams of a–z and the space, see alphabetIndex); and the packed
 * pairs (language index, rank + 1) of posting `id` in `pairs` from `starts[id]` to `starts[id + 1]`.
 */
interface ScriptModel {
  languages: readonly string[];
  ids: ReadonlyMap<string, number>;
  alphabetIds: Int32Array;
  starts: Int32Array;
  pairs: Int32Array;
}

/** Characters of the trigrams counted by index: the space (digit 0) and a–z (digits 1–26). */
const ALPHABET_SIZE = 27;
const ALPHABET_TRIGRAMS = ALPHABET_SIZE ** 3;

function alphabetDigit(code: number): number {
  return code === 0x20 ? 0 : code >= 0x61 && code <= 0x7a ? code - 0x60 : -1;
}

/** Returns the index of a trigram of a–z and the space, (27 × first + second) × 27 + third, or -1 for another. */
function alphabetIndex(trigram: string): number {
  let index = 0;
  for (let i = 0; i < 3; i++) {
    const digit = alphabetDigit(trigram.charCodeAt(i));
    if (digit === -1) return -1;
    index = index * ALPHABET_SIZE + digit;
  }
  return index;
}

/** Builds (once) a script's tables: franc-min gives a trigram the rank of its first place in a language's list. */
function modelOf(script: string): ScriptModel | undefined {
  const cached = models.get(script);
  if (cached !== undefined) return cached;
  const lists = francTables().data[script];
  if (lists === undefined) return undefined;
  const languages = Object.keys(lists);
  const postings = new Map<string, number[]>();
  languages.forEach((language, index) => {
    (lists[language] as string).split('|').forEach((trigram, rank) => {
      const list = postings.get(trigram);
      // A trigram listed twice keeps its first rank. The rank is kept plus one (franc's distance for a count is |count - rank - 1|), with the language index above it.
      const pair = (index << RANK_BITS) | (rank + 1);
      if (list === undefined) postings.set(trigram, [pair]);
      else if ((list[list.length - 1] as number) >>> RANK_BITS !== index) list.push(pair);
    });
  });
  const ids = new Map<string, number>();
  const alphabetIds = new Int32Array(ALPHABET_TRIGRAMS).fill(-1);
  const starts = new Int32Array(postings.size + 1);
  const pairs: number[] = [];
  for (const [trigram, list] of postings) {
    const id = ids.size;
    ids.set(trigram, id);
    const index = alphabetIndex(trigram);
    if (index !== -1) alphabetIds[index] = id;
    pairs.push(...list);
    starts[id + 1] = pairs.length;
  }
  const model = { languages, ids, alphabetIds, starts, pairs: Int32Array.from(pairs) };
  models.set(script, model);
  return model;
}

/**
 * Counts by trigram index, all zero between calls, and the indexes counted (reused: scoring is
 * synchronous). A text has a trigram per character and two more; lower-casing at most doubles its
 * characters (U+0130 becomes two).
 */
const indexCounts = new Int32Array(ALPHABET_TRIGRAMS);
const indexesSeen = new Int32Array(2 * FRANC_MAX_CHARS + 2);

/** Adds to each language's distance what one trigram of the text, seen `count` times, makes of it (posting `id`). */
function addPostings(model: ScriptModel, id: number, count: number, distances: Int32Array): void {
  const { starts, pairs } = model;
  const end = starts[id + 1] as number;
  for (let k = starts[id] as number; k < end; k++) {
    const pair = pairs[k] as number;
    const difference = count - (pair & RANK_MASK);
    distances[pair >>> RANK_BITS]! += (difference < 0 ? -difference : difference) - MAX_DIFFERENCE;
  }
}

/**
 * Returns each language's distance to a text of ASCII letters, punctuation, digits and whitespace,
 * cleaned as franc-min cleans it (letters in lower case, each run of anything else one space, none
 * at either end, a space of padding at both ends) on the way: its trigrams are counted by index,
 * without a string made of the text or of any trigram. Undefined for a text with any other character.
 */
function distancesByIndex(text: string, model: ScriptModel): Int32Array | undefined {
  let distinct = 0;
  // The digits of the last two characters of the cleaned text, the first being the padding space,
  // kept in locals (a closure over them kept them in its context, a load and a store per character).
  let first = 0;
  let second = 0;
  let letters = false;
  let spaced = false;
  let other = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const lower = code | 0x20;
    if (lower >= 0x61 && lower <= 0x7a && (code <= 0x5a || code >= 0x61)) {
      const digit = lower - 0x60;
      if (!letters) {
        // The text's first letter follows the padding space: no trigram ends at it.
        second = digit;
        letters = true;
        spaced = false;
        continue;
      }
      if (spaced) {
        const index = (first * ALPHABET_SIZE + second) * ALPHABET_SIZE;
        if (indexCounts[index]!++ === 0) indexesSeen[distinct++] = index;
        first = second;
        second = 0;
        spaced = false;
      }
      const index = (first * ALPHABET_SIZE + second) * ALPHABET_SIZE + digit;
      // A trigram is listed where the next new one would go, and the list grows when it was not counted yet: a
      // select, not a branch (two trigrams in five are new, a branch mispredicted too often).
      const seen = indexCounts[index] as number;
      indexCounts[index] = seen + 1;
      indexesSeen[distinct] = index;
      distinct += (seen - 1) >>> 31;
      first = second;
      second = digit;
    } else if ((code >= 0x21 && code <= 0x40) || code === 0x20 || (code >= 0x09 && code <= 0x0d)) {
      spaced = true;
    } else {
      other = true;
      break;
    }
  }
  if (letters) {
    // The select of the loop, here too: as a branch, the new-trigram step was first met late in a run (the last trigram
    // of the earlier texts had always been counted already) and threw this function's optimized code away.
    const index = (first * ALPHABET_SIZE + second) * ALPHABET_SIZE;
    const seen = indexCounts[index] as number;
    indexCounts[index] = seen + 1;
    indexesSeen[distinct] = index;
    distinct += (seen - 1) >>> 31;
  }
  const distances = other ? undefined : new Int32Array(model.languages.length).fill(distinct * MAX_DIFFERENCE);
  for (let k = 0; k < distinct; k++) {
    const at = indexesSeen[k] as number;
    const id = model.alphabetIds[at] as number;
    if (distances !== undefined && id !== -1) addPostings(model, id, indexCounts[at] as number, distances);
    indexCounts[at] = 0;
  }
  return distances;
}

/** Returns each language's distance to any cleaned text, its trigrams counted as franc-min counts them: by their strings. */
function distancesByString(clean: string, model: ScriptModel): Int32Array {
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= clean.length; i++) {
    const trigram = clean.slice(i, i + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  const distances = new Int32Array(model.languages.length).fill(counts.size * MAX_DIFFERENCE);
  for (const [trigram, count] of counts) {
    const id = model.ids.get(trigram);
    if (id !== undefined) addPostings(model, id, count, distances);
  }
  return distances;
}

/**
 * Returns each language's distance to the trigrams of franc-min's cleaned form of `value`
 * (punctuation and digits out, spaces collapsed, lower case, padded): franc adds MAX_DIFFERENCE
 * for each distinct trigram a language lacks, |count - rank - 1| for one it has.
 */
function trigramDistances(value: string, model: ScriptModel): Int32Array {
  const direct = isAscii(value) ? distancesByIndex(value, model) : undefined;
  if (direct !== undefined) return direct;
  const inner = collapseWhitespaceRuns(value.replace(FRANC_PUNCTUATION_RUN, ' ')).trim().toLowerCase();
  return distancesByIndex(inner, model) ?? distancesByString(` ${inner} `, model);
}

/**
 * Returns the language of `value` as franc-min 6 guesses it (ISO 639-3, or 'und'), with its
 * `minLength` and `only` options: the same script choice, trigram distances and tie order. franc
 * looks every trigram of the text up in the table of each language of its script (44 for Latin
 * letters, a millisecond for an article); here each distinct trigram is looked up once, in a table
 * that lists the languages having it. test/normalize/trigram-language.test.ts holds both to one answer.
 */
export function trigramLanguage(value: string, options: { minLength: number; only?: readonly string[] }): string {
  if (value.length < options.minLength) return TRIGRAM_UNDETERMINED;
  const sample = value.slice(0, FRANC_MAX_CHARS);
  const only = options.only;
  const allowed = (language: string): boolean => only === undefined || only.length === 0 || only.includes(language);
  const top = topScript(sample);
  const script = francTables().scripts[top.script] as string;
  const model = modelOf(script);
  if (model === undefined) return !top.found || !allowed(script) ? TRIGRAM_UNDETERMINED : script;

  const distances = trigramDistances(sample, model);
  let best = -1;
  model.languages.forEach((language, index) => {
    if (allowed(language) && (best === -1 || (distances[index] as number) < (distances[best] as number))) best = index;
  });
  return best === -1 ? TRIGRAM_UNDETERMINED : (model.languages[best] as string);
}

/**
 * Writes src/cluster/cross-language-words.ts: the hashes of the words the cross-language vector does not read as
 * skeletons (see src/cluster/cross-language.ts), as they come from the kept country and language names
 * (cross-language-names.ts) and the stopword lists of stopwords-iso, folded by any-ascii:
 * - each one-word name of four letters or more, with its concept key (names of one id share a key, numbered in the
 *   order the ids are first met), in the order the languages and their names are read;
 * - each function word of four letters or more, once;
 * - the letter each UTF-16 code below 0x250 folds to.
 * Kept in the source so that a start does not fold some 12,000 names and function words. Run it again after changing
 * the names, LANGUAGES, the folding, or the stopwords-iso or any-ascii version; the test suite checks that the file
 * holds what this gives.
 *
 * Usage: npx tsx scripts/cross-language-words.ts [--check]
 * With --check, writes nothing: prints whether the file holds what the sources give, and exits 1 when it does not.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONCEPT_BASE, displayNamesOf, foldedLettersOf, foldTable, foldWord, hashLetters, LANGUAGES, MIN_WORD } from '../src/cluster/cross-language.js';
import { DISPLAY_NAME_IDS, DISPLAY_NAMES } from '../src/cluster/cross-language-names.js';
import { writeOrCheckKept } from './kept-module.js';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cluster', 'cross-language-words.ts');
const STOPWORDS_ISO = createRequire(import.meta.url)('stopwords-iso') as Record<string, readonly string[]>;

/**
 * The names of displayNamesOf(lang), read from the copy kept in cross-language-names.ts; a language the copy lacks
 * (one added to LANGUAGES since) is asked for.
 */
function namesOf(lang: string): [string, string][] {
  const row = DISPLAY_NAMES[lang];
  if (row === undefined) return displayNamesOf(lang);
  const ids = DISPLAY_NAME_IDS.split(' ');
  const names: [string, string][] = [];
  row.split(' ').forEach((name, i) => {
    if (name !== '') names.push([name, ids[i] as string]);
  });
  return names;
}

/** The names' hashes with their concept keys (pairs), and the function words' hashes. */
export function wordTables(): { nameStems: Int32Array; stopHashes: Int32Array } {
  const scratch = new Uint8Array(256);
  const ids = new Map<string, number>();
  const stems: number[] = [];
  for (const [name, id] of LANGUAGES.flatMap(namesOf)) {
    const n = foldWord(name, scratch);
    if (n < MIN_WORD) continue;
    let key = ids.get(id);
    if (key === undefined) ids.set(id, (key = CONCEPT_BASE + ids.size));
    stems.push(hashLetters(scratch, n), key);
  }
  const stops = new Set<number>();
  for (const lang of LANGUAGES) {
    for (const word of STOPWORDS_ISO[lang] ?? []) {
      const n = foldWord(word, scratch);
      if (n >= MIN_WORD) stops.add(hashLetters(scratch, n));
    }
  }
  return { nameStems: Int32Array.from(stems), stopHashes: Int32Array.from(stops) };
}

/** Little-endian base64 of 32-bit integers. */
function base64(ints: Int32Array): string {
  const bytes = Buffer.alloc(ints.length * 4);
  ints.forEach((v, i) => bytes.writeInt32LE(v, 4 * i));
  return bytes.toString('base64');
}

/** The module's text. */
export function wordsModule(): string {
  const { nameStems, stopHashes } = wordTables();
  return [
    '// Written by scripts/cross-language-words.ts from cross-language-names.ts, stopwords-iso and any-ascii; do not edit.',
    '',
    '/** Each one-word name\'s folded hash, then its concept key: little-endian 32-bit integers, base64. */',
    `export const NAME_STEMS = '${base64(nameStems)}';`,
    '',
    '/** Each function word\'s folded hash: little-endian 32-bit integers, base64. */',
    `export const STOP_WORD_HASHES = '${base64(stopHashes)}';`,
    '',
    '/** Each UTF-16 code below 0x250 as any-ascii folds it (see foldTable): its letter, . for none, * for no single one. */',
    `export const FOLDED_LETTERS = '${foldedLettersOf(foldTable())}';`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeOrCheckKept('cross-language-words', FILE, wordsModule(), 'as the names and stopword lists give them', 'differs from what the names and stopword lists give: run npx tsx scripts/cross-language-words.ts');
}

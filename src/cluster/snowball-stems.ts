/**
 * Snowball stemmers for the languages of the feeds other than English, from `@orama/stemmers` (the Snowball project's
 * algorithms compiled to JavaScript, one module per language). An inflected language writes one word in many forms
 * ("соколов", "соколова", "соколову"; "Regierung", "Regierungen"): rewrites of one story in such a language share few
 * word pairs unless both are brought to one stem. English keeps the scan's own light stemmer (see scan-text.ts), so its
 * hashes, and every figure measured on English text, stay as they were.
 *
 * Polish has no Snowball algorithm, and no Snowball-generated package carries one: it takes the light rule-based
 * stemmer of `@nlpjs/lang-pl` (suffix classes of nouns, diminutives, adjectives, verbs, adverbs and plurals, applied in
 * turn), given the word folded (its rules are written for "e", "a" and "c" where Polish writes "ę", "ą" and "ć").
 */
import { createRequire } from 'node:module';
import { fmix32 } from './hash.js';
import { STOPWORDS } from './stopwords.js';
import { crossLanguageKeys } from './cross-language.js';

/**
 * ISO 639-1 codes (as the language detection gives them) → the package's entry point, for the languages whose module
 * is a Snowball algorithm written for the Latin, Cyrillic, Greek or Arabic scripts the scan reads. (The package's
 * Bulgarian, Ukrainian and Sanskrit modules are short hand-written suffix lists, not Snowball; the Indic scripts' vowel
 * signs are combining marks, which the scan drops.)
 */
const SNOWBALL_ENTRY: Readonly<Record<string, string>> = {
  ar: 'arabic', da: 'danish', de: 'german', el: 'greek', es: 'spanish', fi: 'finnish', fr: 'french', ga: 'irish',
  hu: 'hungarian', hy: 'armenian', id: 'indonesian', it: 'italian', lt: 'lithuanian', nb: 'norwegian', nl: 'dutch',
  no: 'norwegian', pt: 'portuguese', ro: 'romanian', ru: 'russian', sr: 'serbian', sv: 'swedish', tr: 'turkish',
};

/** Stemmers that are not Snowball's: Polish (see above), loaded on first use like the rest. */
const LIGHT_STEMMERS: Readonly<Record<string, () => (word: string) => string>> = {
  pl: () => {
    const { StemmerPl } = requireStemmer('@nlpjs/lang-pl') as { StemmerPl: new () => { stem(word: string): string } };
    const stemmer = new StemmerPl();
    return (word: string) => stemmer.stem(foldLikeScan(word));
  },
};

/** Languages whose own lower-casing differs from the default one (Turkish and Azeri dotted and dotless i). */
const LOCALE_LOWER = new Set(['tr', 'az']);

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const COMBINING_MARKS_RE = /\p{M}/gu;

/** Distinct words kept per language before the memo starts over (~100 bytes each). */
const MAX_MEMO_WORDS = 200_000;

const requireStemmer = createRequire(import.meta.url);

/** What one written word of a stemmed text comes to: computed once per distinct word, then looked up. */
export interface StemmedWord {
  /** Lower-cased and folded like the scan folds (NFKD, marks dropped, ß as ss): the word as a name or a stopword. */
  folded: string;
  /** FNV-1a state of `folded` (salted, not yet mixed), as the scan keys its names. */
  foldedState: number;
  /** A function word: no stem, no name. */
  stop: boolean;
  /** Mixed FNV-1a hash of the folded Snowball stem, salted: the word's shingle unit. */
  stemHash: number;
  /** The cross-language keys of the word as written (see cross-language.ts), counted by the scan for each occurrence. */
  cross: readonly number[];
}

/** Folds a string the way the scan does: compatibility decomposition, combining marks dropped, ß as ss, lower case. */
export function foldLikeScan(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS_RE, '').replace(/ß/g, 'ss').toLowerCase();
}

function fnvState(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * One language's Snowball stemmer with a memo of the words it has met: a word of a body is stemmed once, however many
 * articles write it. The memo holds pure results, so sharing it between indexes changes no decision.
 */
export class WordStems {
  private readonly memo = new Map<string, StemmedWord>();

  constructor(
    readonly language: string,
    private readonly stem: (word: string) => string,
    private readonly salt: number,
  ) {}

  /** Returns what the word, as written (any case), comes to. */
  word(written: string): StemmedWord {
    let entry = this.memo.get(written);
    if (entry !== undefined) return entry;
    const lower = LOCALE_LOWER.has(this.language) ? written.toLocaleLowerCase(this.language) : written.toLowerCase();
    const folded = foldLikeScan(lower);
    const basis = (FNV_OFFSET ^ this.salt) | 0;
    const stop = STOPWORDS.has(folded);
    entry = { folded, foldedState: fnvState(folded, basis), stop, stemHash: stop ? 0 : fmix32(fnvState(foldLikeScan(this.stem(lower)), basis)) | 0, cross: crossLanguageKeys(written) };
    if (this.memo.size >= MAX_MEMO_WORDS) this.memo.clear();
    this.memo.set(written, entry);
    return entry;
  }

  /** Stems a lower-case word (no memo): what the name rules ask of the stemmer. */
  stemOf(lower: string): string {
    return this.stem(lower);
  }
}

const stemmers = new Map<string, ((word: string) => string) | null>();
const wordStems = new Map<string, WordStems>();

/** Returns the Snowball stemmer of a language (an ISO 639-1 code), or undefined when it has none. */
export function snowballStemmer(language: string): ((word: string) => string) | undefined {
  let stem = stemmers.get(language);
  if (stem === undefined) {
    const entry = SNOWBALL_ENTRY[language];
    // Loaded on first use: a process that never meets Finnish text never loads its stemmer.
    stem = entry === undefined ? null : (requireStemmer(`@orama/stemmers/${entry}`) as { stemmer: (word: string) => string }).stemmer;
    stemmers.set(language, stem);
  }
  return stem ?? undefined;
}

/** Returns the stemmer bodies in a language are read with: Snowball's, else a light one (Polish), else undefined. */
export function bodyStemmer(language: string): ((word: string) => string) | undefined {
  const snowball = snowballStemmer(language);
  if (snowball !== undefined) return snowball;
  const light = LIGHT_STEMMERS[language];
  if (light === undefined) return undefined;
  let stem = stemmers.get(`light:${language}`);
  if (stem === undefined) stemmers.set(`light:${language}`, (stem = light()));
  return stem ?? undefined;
}

/**
 * Returns the stemmed-word memo for bodies in `language`, or undefined for English (the scan's light stemmer) and for
 * languages without a stemmer.
 */
export function wordStemsFor(language: string, salt: number): WordStems | undefined {
  if (language === 'en') return undefined;
  const key = `${language}:${salt}`;
  let stems = wordStems.get(key);
  if (stems === undefined) {
    const stem = bodyStemmer(language);
    if (stem === undefined) return undefined;
    wordStems.set(key, (stems = new WordStems(language, stem, salt)));
  }
  return stems;
}

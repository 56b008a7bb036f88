/**
 * Name keys: what a scanned name (a capitalised word, lower-cased and folded) becomes so that one name meets itself
 * across articles and languages. A key is ASCII (non-Latin scripts transliterated), never a stopword of the text's
 * language, and, in languages that decline names, the name's undeclined form: the form an English text, or the same
 * language's nominative, would write ("Лаврова" → `lavrov`, "Merkels Nachfolgerin" → `merkel`).
 */
import { anyAscii } from '../model/any-ascii.js';
import { nameStopwordsFor } from './stopwords.js';
import { snowballStemmer } from './snowball-stems.js';

const ASCII_RE = /^[\x00-\x7f]*$/;
/** What transliteration may add that is not part of a name key (apostrophes of soft signs, spaces). */
const NON_WORD_RE = /[^a-z0-9]/g;
const CYRILLIC_RE = /^\p{Script=Cyrillic}+$/u;
const CYRILLIC_VOWELS = 'аеиоуыэюяё';

/** The key of a scanned name before declension: itself when ASCII, else its ASCII transliteration. */
export function nameKey(name: string): string {
  return ASCII_RE.test(name) ? name : anyAscii(name).toLowerCase().replace(NON_WORD_RE, '');
}

/**
 * Russian case endings (folded: "ой" reads "ои") stripped from a Cyrillic name even when the text never writes the
 * undeclined form: a Russian report often names a person only in the genitive ("заявление Лаврова"). Those of
 * OBLIQUE_ONLY end no Russian nominative after a consonant; those of SURNAME_ENDINGS also end nominatives ("Анна",
 * "Шойгу"), so they are stripped only from a surname in -ов, -ев, -ин, -ын, whose -а/-у/-ой/-ы is a case ending or
 * the feminine form: "Соколова" and "Соколову" count as "Соколов". Snowball must agree that the ending is one.
 */
const RU_OBLIQUE_ONLY = ['ом', 'ым', 'е'];
const RU_SURNAME_ENDINGS = ['ою', 'ои', 'а', 'у', 'ы'];
const RU_SURNAME_STEM_RE = /(?:ов|ев|ин|ын)$/;
/** A declined Russian name keeps at least this many letters. */
const MIN_STEM_LETTERS = 3;

/**
 * Polish case endings that no nominative has, stripped to the nominative: the oblique cases of the surnames in
 * -ski/-cki/-dzki ("Morawieckiego", "Kaczyńskiemu", "Kaczyńskim", "Kaczyńskiej" → -ki; a nominative "-ska" is left
 * alone, as "Gdańska" is the genitive of "Gdańsk"), and the dative "-owi" and instrumental "-em" of a name ending in a
 * consonant ("Putinowi", "Putinem" → "Putin"). The rest ("Putina", "Dudy") is ambiguous without a dictionary and stays.
 */
const PL_ADJECTIVAL_RE = /(sk|ck|dzk|zk)(?:iego|iemu|im|iej)$/;
const PL_CONSONANT_CASE_RE = /([bcdfghjklłmnprstwz])(?:owi|em)$/;
/** A Polish name keeps at least this many letters before an ending is stripped. */
const PL_MIN_STEM = 3;

function polishUndeclined(name: string): string {
  if (PL_ADJECTIVAL_RE.test(name)) return name.replace(PL_ADJECTIVAL_RE, '$1i');
  const m = PL_CONSONANT_CASE_RE.exec(name);
  if (m !== null && m.index + 1 >= PL_MIN_STEM) return name.slice(0, m.index + 1);
  return name;
}

/** Languages that write a name's genitive with "-s" and no apostrophe after most consonants ("Lawrows Sprecher"). */
const GENITIVE_S_LANGUAGES = new Set(['de']);

/**
 * Russian: the name without its case ending, or the name itself. The undeclined form is what an English text writes
 * (`lavrov` for "Лаврова"), so only endings after which that form is certain are stripped; Snowball's own stem of
 * "Лавров" is "лавр" (it reads -ов as a plural ending), which no other language writes, so the stemmer only confirms.
 */
function russianUndeclined(name: string): string {
  if (!CYRILLIC_RE.test(name)) return name;
  const stem = snowballStemmer('ru');
  for (const [endings, surnameOnly] of [[RU_SURNAME_ENDINGS, true], [RU_OBLIQUE_ONLY, false]] as const) {
    for (const ending of endings) {
      if (!name.endsWith(ending)) continue;
      const base = name.slice(0, -ending.length);
      if (base.length < MIN_STEM_LETTERS || CYRILLIC_VOWELS.includes(base.charAt(base.length - 1))) continue;
      if (surnameOnly && !RU_SURNAME_STEM_RE.test(base)) continue;
      // The scan folded "й" to "и": the stemmer is given the written ending back.
      const written = ending === 'ои' ? `${base}ой` : name;
      if (stem !== undefined && base.startsWith(stem(written))) return base;
    }
  }
  return name;
}

/**
 * German: a name in "-s" directly followed by another capitalised word ("Merkels Nachfolgerin", "Lawrows Sprecher") is
 * a genitive, the form German writes for names not ending in a sibilant (those take an apostrophe: "Sanders'
 * Kampagne"), so the "-s" goes. A name that ends in "-s" of its own ("Bernie Sanders sagte") is followed by a lower-case
 * verb, not a noun, and keeps it. German Snowball is not asked: it keeps the -s after w ("Lawrows").
 */
function germanUndeclined(name: string, leads: number): string {
  if (leads === 0 || name.length < 4 || name.charCodeAt(name.length - 1) !== 115) return name;
  const before = name.charAt(name.length - 2);
  return 'aeiouysxz'.includes(before) ? name : name.slice(0, -1);
}

/**
 * The key of a scanned name in a text of `language`, its case ending stripped where the language's rule says the
 * undeclined form is certain (Russian, German; see above); `leads` counts the times a capitalised word directly followed
 * it. Names of other languages, English among them, keep nameKey.
 */
export function undeclinedKey(name: string, language: string, leads: number): string {
  if (language === 'ru') return nameKey(russianUndeclined(name));
  if (language === 'pl') return nameKey(polishUndeclined(name));
  if (GENITIVE_S_LANGUAGES.has(language)) return nameKey(germanUndeclined(name, leads));
  return nameKey(name);
}

/**
 * Maps each scanned name to its key, or leaves it out when it is a stopword of the language (stopwords-iso), so that
 * German capitalised common nouns ("Jahr", "Menschen") do not take the name slots. `leads` counts, per name, the times
 * a capitalised word directly followed it. A declined name that another name of the text equals up to a case ending
 * is mapped to that one's key only for the genitive "-s" ("Merkels" beside "Merkel"), as before: merging other endings
 * only where the text happens to write both forms would give one name two keys across articles (one text writes
 * "Człowiek" and "Człowieka", the other only "Człowieka"), so the other languages' endings go by the rules above alone.
 */
export function nameKeyMap(names: ReadonlyMap<string, number>, language: string, leads: ReadonlyMap<string, number>): Map<string, string> {
  const stop = nameStopwordsFor(language);
  const keyOf = new Map<string, string>();
  const declines = language === 'ru' || language === 'pl' || GENITIVE_S_LANGUAGES.has(language);
  for (const name of names.keys()) {
    const plain = nameKey(name);
    if (stop.has(plain)) continue;
    const key = declines ? undeclinedKey(name, language, leads.get(name) ?? 0) : plain;
    if (key.length >= 2 && (key === plain || !stop.has(key))) keyOf.set(name, key);
  }
  // The set of keys is made at the first key that could be a genitive (none has changed yet): many texts have none.
  let keys: Set<string> | undefined;
  keyOf.forEach((key, name) => {
    // The genitive "-s" needs more than three letters ("Mas" is no genitive of "Ma"), as it always did.
    if (key.length <= 3 || key.charCodeAt(key.length - 1) !== 115) return;
    keys ??= new Set(keyOf.values());
    const base = key.slice(0, -1);
    if (keys.has(base)) keyOf.set(name, base);
  });
  return keyOf;
}

import { COUNTED_SCRIPTS, countLetters, inScripts, latinLetters, type CountedScript, type LetterCounts } from './char-classes.js';
import { isAscii } from './clean-text.js';
import { asciiStopwordScores, SCORED_LANGUAGES, scoreOf, stopwordScores } from './stopword-scores.js';
import { TRIGRAM_UNDETERMINED, trigramLanguage } from './trigram-language.js';

/** ISO 639-3 codes franc-min returns, mapped to ISO 639-1 where one exists. */
const ISO_639_3_TO_1: Readonly<Record<string, string>> = {
  eng: 'en', deu: 'de', fra: 'fr', spa: 'es', ita: 'it', nld: 'nl', por: 'pt', swe: 'sv', pol: 'pl',
  ces: 'cs', hun: 'hu', ron: 'ro', tur: 'tr', ind: 'id', zlm: 'ms', vie: 'vi', jav: 'jv', sun: 'su',
  swh: 'sw', hau: 'ha', yor: 'yo', ibo: 'ig', zul: 'zu', som: 'so', kin: 'rw', run: 'rn', lin: 'ln',
  nya: 'ny', plt: 'mg', tgl: 'tl', uzn: 'uz', azj: 'az', bos: 'bs', hrv: 'hr', srp: 'sr', rus: 'ru',
  ukr: 'uk', bel: 'be', bul: 'bg', kaz: 'kk', arb: 'ar', urd: 'ur', pes: 'fa', pbu: 'ps', hin: 'hi',
  mar: 'mr', npi: 'ne', ben: 'bn', cmn: 'zh', jpn: 'ja', kor: 'ko', tel: 'te', tam: 'ta', guj: 'gu',
  kan: 'kn', mal: 'ml', mya: 'my', pan: 'pa', amh: 'am', tha: 'th', sin: 'si', ell: 'el', heb: 'he',
  ckb: 'ku', qug: 'qu', dan: 'da', nob: 'nb', fin: 'fi', cat: 'ca', slk: 'sk', slv: 'sl', lit: 'lt',
  lav: 'lv', est: 'et', kat: 'ka', hye: 'hy', gle: 'ga', cym: 'cy', eus: 'eu', glg: 'gl', afr: 'af',
};

const UNDETERMINED = 'und';
/** Characters from which franc's trigram statistics beat a function-word count. */
export const TRIGRAM_MIN_CHARS = 200;
/** Evidence (function words) another language needs to overrule the source's language on a short text. */
const HINT_OVERRIDE_MIN_SCORE = 2;
/** Evidence (function words, endings, letters) a short undeclared text needs to be given a language. */
const UNDECLARED_MIN_SCORE = 1;
/** Words from which a short text without known function words is a sentence franc can read, not a headline. */
const TRIGRAM_MIN_WORDS = 12;
/** Stopword share of tokens from which a long Latin text is taken to be in the best-scoring language. */
const STOPWORD_MIN_SHARE = 0.1;
/** Weight by which the best language must lead the runner-up to win without the hint. */
const DECISIVE_LEAD = 1.5;
/** Characters fed to franc: the start of an article says enough, and keeps detection fast. */
const TRIGRAM_MAX_CHARS = 2000;

const TAG_SEPARATOR = /[-_]/;
const TWO_LETTERS = /^[a-z]{2}$/;
const THREE_LETTERS = /^[a-z]{3}$/;
/**
 * Scripts that name their language on their own, even in a few characters. Cyrillic, Arabic, Han
 * and Devanagari are each written for several languages, so they name none without more evidence.
 */
const UNAMBIGUOUS_SCRIPTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Georgian}/u, 'ka'],
  [/\p{Script=Armenian}/u, 'hy'],
];

const LATIN = COUNTED_SCRIPTS.indexOf('Latin');

/** Scripts a language is written in (indexes in COUNTED_SCRIPTS), for the languages whose tags feeds use; others are not judged. */
const LANGUAGE_SCRIPTS: ReadonlyMap<string, readonly number[]> = (() => {
  const map = new Map<string, readonly number[]>();
  const add = (langs: string, ...scripts: CountedScript[]): void => {
    for (const lang of langs.split(' ')) map.set(lang, scripts.map((script) => COUNTED_SCRIPTS.indexOf(script)));
  };
  add('en de fr es it nl pt sv pl cs hu ro tr id ms vi jv su sw ha yo ig zu so rw rn ln ny mg tl bs hr da nb nn no fi ca sk sl lt lv et ga cy eu gl af is mt sq lb eo la fo gd br oc', 'Latin');
  add('ru uk be bg mk kk ky tg tt mn', 'Cyrillic');
  // Serbian, Uzbek and Azerbaijani are written in Latin and in Cyrillic letters.
  add('sr uz az', 'Latin', 'Cyrillic');
  add('el', 'Greek');
  add('he yi', 'Hebrew');
  add('ar fa ur ps ku sd ug', 'Arabic');
  add('zh', 'Han');
  add('ja', 'Han', 'Hiragana', 'Katakana');
  add('ko', 'Hangul', 'Han');
  add('hi mr ne', 'Devanagari');
  add('bn', 'Bengali');
  add('pa', 'Gurmukhi');
  add('gu', 'Gujarati');
  add('ta', 'Tamil');
  add('te', 'Telugu');
  add('kn', 'Kannada');
  add('ml', 'Malayalam');
  add('si', 'Sinhala');
  add('my', 'Myanmar');
  add('th', 'Thai');
  add('am', 'Ethiopic');
  add('ka', 'Georgian');
  add('hy', 'Armenian');
  return map;
})();

/** Reduces a language tag ("en-US", "de_DE", "eng") to ISO 639-1, or undefined. */
export function languageFromTag(tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  const primary = tag.trim().toLowerCase().split(TAG_SEPARATOR)[0] ?? '';
  if (TWO_LETTERS.test(primary)) return primary;
  if (THREE_LETTERS.test(primary)) return ISO_639_3_TO_1[primary];
  return undefined;
}

const ISO_639_1_TO_3: ReadonlyMap<string, string> = new Map(Object.entries(ISO_639_3_TO_1).map(([three, one]) => [one, three]));

function trigramLanguageOf(text: string, only?: readonly string[]): string | undefined {
  const options = only === undefined
    ? { minLength: 10 }
    : { minLength: 3, only: only.map((lang) => ISO_639_1_TO_3.get(lang) ?? lang) };
  const code = trigramLanguage(text.slice(0, TRIGRAM_MAX_CHARS), options);
  return code === TRIGRAM_UNDETERMINED ? undefined : ISO_639_3_TO_1[code];
}

function unambiguousScriptLanguage(text: string): string | undefined {
  for (const [pattern, lang] of UNAMBIGUOUS_SCRIPTS) if (pattern.test(text)) return lang;
  return undefined;
}

/**
 * Tells whether a text is written mostly (half its letters or more) in the script of `lang`, from
 * its letter counts; undefined for a language whose script is not listed, which is then not judged.
 */
export function fitsScript(lang: string, counts: LetterCounts): boolean | undefined {
  const scripts = LANGUAGE_SCRIPTS.get(lang);
  if (scripts === undefined) return undefined;
  return inScripts(counts, scripts) * 2 >= counts.letters;
}

/** The letter counts that stand for any ASCII text's: its letters, if any, are all Latin ones, and one stands for them all. */
const ASCII_LETTERS: LetterCounts = latinLetters(1);

/**
 * Returns the language an item declares for itself (`declared`, a tag of the item alone, such as a `cluster` input
 * line's `lang`) when `text` is written in that language's script, without reading its words; undefined when the tag
 * names no language, names one whose script is not listed, or the text is mostly in another script (then the text is
 * detected; see detectLanguage). A tag a feed gives all its items is not one to trust this way: a feed's items may be in
 * several languages of one script.
 */
export function trustedDeclaredLanguage(text: string, declared: string | undefined): string | undefined {
  const tagged = languageFromTag(declared);
  if (tagged === undefined) return undefined;
  const sample = text.slice(0, TRIGRAM_MAX_CHARS);
  return fitsScript(tagged, isAscii(sample) ? ASCII_LETTERS : countLetters(sample)) === true ? tagged : undefined;
}

/**
 * trustedDeclaredLanguage of a title and a text read as one (`${title}\n${text}`), without joining them when both
 * are ASCII: the join, made for every item, was a copy of its first thousands of characters.
 */
export function trustedDeclaredLanguageOf(title: string, text: string, declared: string | undefined): string | undefined {
  const tagged = languageFromTag(declared);
  if (tagged === undefined) return undefined;
  if (isAscii(title) && isAscii(text.length > TRIGRAM_MAX_CHARS ? text.slice(0, TRIGRAM_MAX_CHARS) : text)) return fitsScript(tagged, ASCII_LETTERS) === true ? tagged : undefined;
  return trustedDeclaredLanguage(`${title}\n${text}`, declared);
}

/** Detects a text mostly in other letters than Latin ones. */
function nonLatinLanguage(text: string, declared: string | undefined): string {
  // A short text cannot tell Russian from Ukrainian, or Arabic from Persian: the declared
  // language, written in these letters, is the better answer.
  if (declared !== undefined && text.length < TRIGRAM_MIN_CHARS) return declared;
  return trigramLanguageOf(text) ?? unambiguousScriptLanguage(text) ?? declared ?? UNDETERMINED;
}

/**
 * Detects the language of `text` as ISO 639-1, or 'und': function-word and letter evidence for
 * en/de/fr/es/it/nl/pt (robust on headlines), franc-min trigrams for long or other texts and
 * other scripts. `declared` (the item's or feed's language tag) is used where detection is
 * unsure, unless the text is written in another script than that language's (lang="en" on
 * Cyrillic text). A short text without a declared language gets one only on clear evidence, never
 * on a guess. Deterministic: the same input gives the same answer.
 */
export function detectLanguage(text: string, declared?: string): string {
  const tagged = languageFromTag(declared);
  const sample = text.slice(0, TRIGRAM_MAX_CHARS);
  // ASCII letters are Latin ones: an ASCII sample's words are scored first, its letters counted on the way.
  const asciiEvidence = isAscii(sample) ? asciiStopwordScores(sample, TRIGRAM_MIN_CHARS) : undefined;
  const counts = asciiEvidence !== undefined ? latinLetters(asciiEvidence.asciiLetters) : countLetters(sample);
  const letters = counts.letters;
  if (letters === 0) return tagged ?? UNDETERMINED;
  const hinted = tagged !== undefined && fitsScript(tagged, counts) !== false ? tagged : undefined;
  if ((counts.byScript[LATIN] as number) / letters < 0.5) return nonLatinLanguage(text, hinted);

  const evidence = asciiEvidence ?? stopwordScores(sample, TRIGRAM_MIN_CHARS);
  const tokens = evidence.tokens;
  let best: string | undefined;
  let bestScore = 0;
  let secondScore = 0;
  for (const lang of SCORED_LANGUAGES) {
    const score = scoreOf(evidence, lang);
    if (score > bestScore) {
      secondScore = bestScore;
      bestScore = score;
      best = lang;
    } else if (score > secondScore) {
      secondScore = score;
    }
  }
  const hintScore = hinted === undefined ? 0 : scoreOf(evidence, hinted);
  const decisive = best !== undefined && bestScore >= DECISIVE_LEAD * secondScore && bestScore >= 1;

  if (text.length >= TRIGRAM_MIN_CHARS) {
    // Long text: function words decide among the seven when they are frequent enough; anything
    // else (Polish, Turkish, Swedish…) is franc's.
    if (best !== undefined && decisive && bestScore / Math.max(tokens, 1) >= STOPWORD_MIN_SHARE) return best;
    return trigramLanguageOf(text) ?? best ?? hinted ?? UNDETERMINED;
  }
  // Short text: the declared language holds unless another language has solid evidence.
  const share = bestScore / Math.max(tokens, 1);
  if (hinted !== undefined) {
    const overruled = best !== undefined && best !== hinted && decisive && bestScore >= HINT_OVERRIDE_MIN_SCORE && share >= STOPWORD_MIN_SHARE && bestScore > hintScore;
    return overruled && best !== undefined ? best : hinted;
  }
  // Undeclared: the evidence must point to one language. Function words shared by a few of them
  // ("la" is French, Spanish and Italian) leave franc to choose among those few only; a sentence of
  // many words with hardly any of them goes to franc. A weak lead, or trigrams over a headline of
  // a few words, would be a guess, and a wrong language is worse than none.
  if (best !== undefined && decisive && bestScore >= UNDECLARED_MIN_SCORE && share >= STOPWORD_MIN_SHARE) return best;
  if (best !== undefined && bestScore >= UNDECLARED_MIN_SCORE && share >= STOPWORD_MIN_SHARE) {
    const close = SCORED_LANGUAGES.filter((lang) => scoreOf(evidence, lang) * DECISIVE_LEAD > bestScore);
    const chosen = trigramLanguageOf(text, close);
    if (chosen !== undefined) return chosen;
  }
  if (tokens >= TRIGRAM_MIN_WORDS && share < STOPWORD_MIN_SHARE) return trigramLanguageOf(text) ?? UNDETERMINED;
  return UNDETERMINED;
}

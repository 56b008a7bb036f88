import { franc } from 'franc-min';
import { LETTER_HINTS, STOPWORDS, SUFFIX_HINTS, SUFFIX_WEIGHT } from './language-stopwords.js';

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
/** Languages scored by function words, in tie-break order. */
const SCORED_LANGUAGES = Object.keys(STOPWORDS);
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

/** word → languages listing it, built once. */
const WORD_LANGUAGES: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [lang, words] of Object.entries(STOPWORDS)) {
    for (const word of words.split(' ')) {
      const langs = map.get(word) ?? [];
      if (!langs.includes(lang)) langs.push(lang);
      map.set(word, langs);
    }
  }
  return map;
})();

const WORD = /[\p{L}\p{M}']+/gu;
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

/** Scripts a language is written in, for the languages whose tags feeds use; others are not judged. */
const LANGUAGE_SCRIPTS: ReadonlyMap<string, RegExp> = (() => {
  const map = new Map<string, RegExp>();
  const add = (langs: string, pattern: RegExp): void => {
    for (const lang of langs.split(' ')) map.set(lang, pattern);
  };
  add('en de fr es it nl pt sv pl cs hu ro tr id ms vi jv su sw ha yo ig zu so rw rn ln ny mg tl bs hr da nb nn no fi ca sk sl lt lv et ga cy eu gl af is mt sq lb eo la fo gd br oc', /\p{Script=Latin}/gu);
  add('ru uk be bg mk kk ky tg tt mn', /\p{Script=Cyrillic}/gu);
  // Serbian, Uzbek and Azerbaijani are written in Latin and in Cyrillic letters.
  add('sr uz az', /[\p{Script=Latin}\p{Script=Cyrillic}]/gu);
  add('el', /\p{Script=Greek}/gu);
  add('he yi', /\p{Script=Hebrew}/gu);
  add('ar fa ur ps ku sd ug', /\p{Script=Arabic}/gu);
  add('zh', /\p{Script=Han}/gu);
  add('ja', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  add('ko', /[\p{Script=Hangul}\p{Script=Han}]/gu);
  add('hi mr ne', /\p{Script=Devanagari}/gu);
  add('bn', /\p{Script=Bengali}/gu);
  add('pa', /\p{Script=Gurmukhi}/gu);
  add('gu', /\p{Script=Gujarati}/gu);
  add('ta', /\p{Script=Tamil}/gu);
  add('te', /\p{Script=Telugu}/gu);
  add('kn', /\p{Script=Kannada}/gu);
  add('ml', /\p{Script=Malayalam}/gu);
  add('si', /\p{Script=Sinhala}/gu);
  add('my', /\p{Script=Myanmar}/gu);
  add('th', /\p{Script=Thai}/gu);
  add('am', /\p{Script=Ethiopic}/gu);
  add('ka', /\p{Script=Georgian}/gu);
  add('hy', /\p{Script=Armenian}/gu);
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

interface LatinShare {
  latin: number;
  letters: number;
}

const LATIN_LETTERS = /\p{Script=Latin}/gu;
const LETTERS = /\p{L}/gu;

function letterShare(text: string): LatinShare {
  // The regex engine counts faster than a per-character loop; a bounded sample is enough.
  const sample = text.slice(0, TRIGRAM_MAX_CHARS);
  return { latin: sample.match(LATIN_LETTERS)?.length ?? 0, letters: sample.match(LETTERS)?.length ?? 0 };
}

/** Adds the weight of the word endings `word` matches, shared among the languages matching. */
function addSuffixEvidence(word: string, scores: Map<string, number>): void {
  let matched: string[] | undefined;
  for (const [pattern, lang] of SUFFIX_HINTS) {
    if (pattern.test(word) && !(matched ?? []).includes(lang)) (matched ??= []).push(lang);
  }
  if (matched === undefined) return;
  for (const lang of matched) scores.set(lang, (scores.get(lang) ?? 0) + SUFFIX_WEIGHT / matched.length);
}

function stopwordScores(text: string): { scores: Map<string, number>; tokens: number } {
  const scores = new Map<string, number>();
  const lower = text.slice(0, TRIGRAM_MAX_CHARS).toLowerCase();
  // Word endings matter on headlines; on longer texts function words are plenty.
  const useSuffixes = lower.length < TRIGRAM_MIN_CHARS;
  let tokens = 0;
  for (const match of lower.matchAll(WORD)) {
    tokens++;
    const word = match[0];
    const langs = WORD_LANGUAGES.get(word);
    if (langs !== undefined) {
      for (const lang of langs) scores.set(lang, (scores.get(lang) ?? 0) + 1 / langs.length);
      continue;
    }
    if (useSuffixes) addSuffixEvidence(word, scores);
  }
  for (const [letters, langs, weight] of LETTER_HINTS) {
    if (!lower.includes(letters)) continue;
    for (const lang of langs) scores.set(lang, (scores.get(lang) ?? 0) + weight / langs.length);
  }
  return { scores, tokens };
}

const ISO_639_1_TO_3: ReadonlyMap<string, string> = new Map(Object.entries(ISO_639_3_TO_1).map(([three, one]) => [one, three]));

function trigramLanguage(text: string, only?: readonly string[]): string | undefined {
  const options = only === undefined
    ? { minLength: 10 }
    : { minLength: 3, only: only.map((lang) => ISO_639_1_TO_3.get(lang) ?? lang) };
  const code = franc(text.slice(0, TRIGRAM_MAX_CHARS), options);
  return code === UNDETERMINED ? undefined : ISO_639_3_TO_1[code];
}

function unambiguousScriptLanguage(text: string): string | undefined {
  for (const [pattern, lang] of UNAMBIGUOUS_SCRIPTS) if (pattern.test(text)) return lang;
  return undefined;
}

/**
 * Tells whether the text is written mostly (half its letters or more) in the script of `lang`;
 * undefined for a language whose script is not listed, which is then not judged.
 */
export function fitsScript(lang: string, text: string, letters: number): boolean | undefined {
  const pattern = LANGUAGE_SCRIPTS.get(lang);
  if (pattern === undefined) return undefined;
  const inScript = text.slice(0, TRIGRAM_MAX_CHARS).match(pattern)?.length ?? 0;
  return inScript * 2 >= letters;
}

/** Detects a text mostly in other letters than Latin ones. */
function nonLatinLanguage(text: string, declared: string | undefined): string {
  // A short text cannot tell Russian from Ukrainian, or Arabic from Persian: the declared
  // language, written in these letters, is the better answer.
  if (declared !== undefined && text.length < TRIGRAM_MIN_CHARS) return declared;
  return trigramLanguage(text) ?? unambiguousScriptLanguage(text) ?? declared ?? UNDETERMINED;
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
  const { latin, letters } = letterShare(text);
  if (letters === 0) return tagged ?? UNDETERMINED;
  const hinted = tagged !== undefined && fitsScript(tagged, text, letters) !== false ? tagged : undefined;
  if (latin / letters < 0.5) return nonLatinLanguage(text, hinted);

  const { scores, tokens } = stopwordScores(text);
  let best: string | undefined;
  let bestScore = 0;
  let secondScore = 0;
  for (const lang of SCORED_LANGUAGES) {
    const score = scores.get(lang) ?? 0;
    if (score > bestScore) {
      secondScore = bestScore;
      bestScore = score;
      best = lang;
    } else if (score > secondScore) {
      secondScore = score;
    }
  }
  const hintScore = hinted === undefined ? 0 : scores.get(hinted) ?? 0;
  const decisive = best !== undefined && bestScore >= DECISIVE_LEAD * secondScore && bestScore >= 1;

  if (text.length >= TRIGRAM_MIN_CHARS) {
    // Long text: function words decide among the seven when they are frequent enough; anything
    // else (Polish, Turkish, Swedish…) is franc's.
    if (best !== undefined && decisive && bestScore / Math.max(tokens, 1) >= STOPWORD_MIN_SHARE) return best;
    return trigramLanguage(text) ?? best ?? hinted ?? UNDETERMINED;
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
    const close = SCORED_LANGUAGES.filter((lang) => (scores.get(lang) ?? 0) * DECISIVE_LEAD > bestScore);
    const chosen = trigramLanguage(text, close);
    if (chosen !== undefined) return chosen;
  }
  if (tokens >= TRIGRAM_MIN_WORDS && share < STOPWORD_MIN_SHARE) return trigramLanguage(text) ?? UNDETERMINED;
  return UNDETERMINED;
}

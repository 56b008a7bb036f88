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
/** Characters from which a short text with few known function words goes to franc. */
const TRIGRAM_SHORT_MIN_CHARS = 60;
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
const SCRIPT_FALLBACK: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Cyrillic}/u, 'ru'],
];

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

function scriptLanguage(text: string): string | undefined {
  for (const [pattern, lang] of SCRIPT_FALLBACK) if (pattern.test(text)) return lang;
  return undefined;
}

/**
 * Detects the language of `text` as ISO 639-1, or 'und': function-word and letter evidence for
 * en/de/fr/es/it/nl/pt (robust on headlines), franc-min trigrams for long or other texts and
 * other scripts; `hint` (the source's language tag) breaks ties and is the fallback for texts too
 * short to tell. Deterministic: the same input gives the same answer.
 */
export function detectLanguage(text: string, hint?: string): string {
  const hinted = languageFromTag(hint);
  const { latin, letters } = letterShare(text);
  if (letters === 0) return hinted ?? UNDETERMINED;
  if (latin / letters < 0.5) return trigramLanguage(text) ?? scriptLanguage(text) ?? hinted ?? UNDETERMINED;

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
  // Short text: the source's language holds unless another language has solid evidence.
  const share = bestScore / Math.max(tokens, 1);
  if (hinted !== undefined) {
    const overruled = best !== undefined && best !== hinted && decisive && bestScore >= HINT_OVERRIDE_MIN_SCORE && share >= STOPWORD_MIN_SHARE && bestScore > hintScore;
    return overruled && best !== undefined ? best : hinted;
  }
  if (best !== undefined && decisive && share >= STOPWORD_MIN_SHARE) return best;
  // A sentence with hardly any of these function words is likely in another language.
  if (text.length >= TRIGRAM_SHORT_MIN_CHARS && share < STOPWORD_MIN_SHARE) {
    const trigram = trigramLanguage(text);
    if (trigram !== undefined) return trigram;
  }
  if (best !== undefined && bestScore > secondScore) return best;
  if (best !== undefined) {
    // Function words tie ("in" is English, German, Italian and Dutch): trigrams pick among the tied.
    const tied = SCORED_LANGUAGES.filter((lang) => (scores.get(lang) ?? 0) === bestScore);
    return trigramLanguage(text, tied) ?? best;
  }
  // No evidence at all in a short text: trigrams over 82 languages are noise at this length, so
  // franc chooses among the languages feeds mostly come in.
  return trigramLanguage(text, text.length < TRIGRAM_SHORT_MIN_CHARS ? SCORED_LANGUAGES : undefined) ?? UNDETERMINED;
}

import anyAscii from 'any-ascii';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SALT_TOKEN } from '../../src/cluster/article-features.js';
import { scanText } from '../../src/cluster/scan-text.js';
import { STOPWORDS } from '../../src/cluster/stopwords.js';
import { COUNT_KINDS, type CountedNumber, extractNumbers, extractTitleTextNumbers, foldText, KINDS_BEFORE, MONTHS, NUMBER_WORDS } from '../../src/cluster/text-features.js';

// ---------------------------------------------------------------------------------------------------------------------
// Frozen oracle: the regex-based extractNumbers as it was before it was rewritten with character loops, copied
// verbatim; it reads the same word tables (COUNT_KINDS, KINDS_BEFORE, MONTHS), which are data, not the rules under
// test. The fast version must return exactly what this returns for every string.
// Do not "fix" this copy; change both together on purpose if the extraction rules ever change. Changed on purpose
// since: thousands in groups split by spaces or apostrophes ("30 000", "44'000"), days only 1 to 31 and without a leading zero, ordinal days
// ("20. Februar"), the Turkish "ı" and Polish "ł" read as "i" and "l", and spelled numbers before a word of scale
// ("zehn Milliarden"), listed after the written ones, a text in Cyrillic transliterated, and "km/h" read as a speed.
// ---------------------------------------------------------------------------------------------------------------------

const NUMBER_RE = /(\d{1,3}(?:[ \u00a0\u202f\u2009'’]\d{3}(?![.,]?\d))+|\d+(?:[.,]\d+)*)(?:\s*[-–:]\s*(\d+)(?![.,]?\d))?/g;
const NON_ASCII_RE = /[^\x00-\x7f]/;

/** Normalizes a written number: thousands separators dropped, a decimal comma read as a point. */
function normalizeNumber(raw: string): string {
  if (/^\d{1,3}(?:[ \u00a0\u202f\u2009'’]\d{3})+$/.test(raw)) return raw.replace(/\D/g, '');
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(raw)) return raw.replace(/[.,]/g, '');
  return raw.replace(',', '.').replace(/\.0+$/, '');
}

/** Finds the numbers of a text, with the kind each one counts (a count noun after it, a month before it, a score). */
function referenceExtractNumbers(text: string): CountedNumber[] {
  const out: CountedNumber[] = [];
  const folded = NON_ASCII_RE.test(text) ? foldNonAscii(text) : text.toLowerCase();
  for (const match of folded.matchAll(NUMBER_RE)) {
    const index = match.index ?? 0;
    const first = normalizeNumber(match[1] ?? '');
    const second = match[2];
    const before = folded.slice(Math.max(0, index - 12), index);
    const after = folded.slice(index + match[0].length, index + match[0].length + 24);
    const sep = /[-–:]/.exec(match[0].slice(match[1]?.length ?? 0))?.[0];
    if (sep === ':' && second !== undefined && second.length === 2) {
      // "7:53 p.m." is a clock time, not a result; times of day say little about identity.
      continue;
    }
    if (second !== undefined && /^\d{1,3}$/.test(first) && /^\d{1,3}$/.test(second) && !/^\s*(?:year|jahr|ano|an)/.test(after)) {
      // "3-1", "2:0": a result; the pair is one value (RFC-free convention of sports reporting).
      out.push({ value: `${first}-${second}`, kind: 'score' });
      continue;
    }
    out.push(numberWithKind(first, before, after));
    if (second !== undefined) out.push(numberWithKind(normalizeNumber(second), '', after));
  }
  const scales = [...COUNT_KINDS].filter(([, kind]) => kind === 'million' || kind === 'billion').map(([word]) => word);
  const spelled = new RegExp(`(?<![a-z])(${[...NUMBER_WORDS.keys()].join('|')})\\s+(${scales.join('|')})(?![a-z])`, 'g');
  for (const m of folded.matchAll(spelled)) out.push({ value: NUMBER_WORDS.get(m[1] ?? '') ?? '', kind: COUNT_KINDS.get(m[2] ?? '') ?? '' });
  return out;
}

/** Folds a text beyond ASCII: Cyrillic transliterated, else the Turkish "ı" and Polish "ł" read as "i" and "l". */
function foldNonAscii(text: string): string {
  const f = foldText(text);
  return /\p{Script=Cyrillic}/u.test(f) ? anyAscii(f).toLowerCase() : f.replace(/ı/g, 'i').replace(/ł/g, 'l');
}

/** A day of a month, 1 to 31, without its leading zero; undefined for anything else. */
function dayOf(value: string): string | undefined {
  return /^\d{1,2}$/.test(value) && Number(value) >= 1 && Number(value) <= 31 ? String(Number(value)) : undefined;
}

function numberWithKind(value: string, before: string, after: string): CountedNumber {
  const day = dayOf(value);
  const wordBefore = /([a-z]+)\s*$/.exec(before)?.[1];
  if (wordBefore !== undefined && KINDS_BEFORE.has(wordBefore)) return { value, kind: KINDS_BEFORE.get(wordBefore) as string };
  const monthBefore = /([a-z]+)\.?\s*$/.exec(before)?.[1];
  const month = monthBefore === undefined ? undefined : MONTHS.get(monthBefore);
  if (month !== undefined && day !== undefined) return { value: day, kind: `date:${month}` };
  const ordinalMonth = MONTHS.get(/^\.\s+([a-z]+)/.exec(after)?.[1] ?? '');
  if (ordinalMonth !== undefined && day !== undefined) return { value: day, kind: `date:${ordinalMonth}` };
  const next = /^\s*(%|[a-z]+)(?:\s+([a-z]+))?/.exec(after);
  const speeds = [/^\s*km\/h/.test(after), /^\s*[a-z]+\s+km\/h/.test(after)];
  for (const [k, candidate] of [next?.[1], next?.[2]].entries()) {
    if (candidate === undefined) continue;
    const kind = COUNT_KINDS.get(candidate);
    if (kind === 'distance' && candidate === 'km' && speeds[k] === true) return { value, kind: 'speed' };
    if (kind !== undefined) return { value, kind };
    const monthAfter = MONTHS.get(candidate);
    if (monthAfter !== undefined && day !== undefined) return { value: day, kind: `date:${monthAfter}` };
    if (!STOPWORDS.has(candidate)) break;
  }
  return { value };
}

// Real-world sentences in the languages of the feeds, with the shapes the rules care about.
const SENTENCES: readonly string[] = [
  'A magnitude 5.8 quake injured 12 people on March 3; the final was 3-1. It hit at 7:53 p.m. Turnout 1,250 votes.',
  'Ein Erdbeben der Stärke 5,8 hat am 3. März 12 Menschen verletzt; Müller traf beim 2:0 zweimal.',
  'Bei dem Unglück starben 12 Menschen, 40 Verletzte wurden in Kliniken gebracht. Die Straße bleibt bis 18 Uhr gesperrt.',
  'Un terremoto de magnitud 6,1 dejó 3 muertos y 27 heridos el 14 de marzo; el Real Madrid ganó 3-1 al Barça.',
  'Un séisme de magnitude 4,9 a fait 2 morts et 15 blessés le 3 mars 2024, à 7:53 ; le PSG s’impose 2:0.',
  '12 killed and 40 injured as the storm hit on 3 March, with 1,000 people evacuated and 4.5% of homes without power.',
  'Inflation rose to 4.5% in March, up from 3,9 %, while unemployment held at 5,0 percent.',
  'The club won 3–1 in the 2024-25 season opener; in 2023-2024 it finished with 78 points.',
  'About 1.000.000 Menschen demonstrierten; die Polizei sprach von 1.000.000 – 1.200.000 Teilnehmern.',
  'Das Budget liegt bei 5,0 Mio. Euro, 2,5 Milliarden mehr als im Jahr 2022.',
  'The final score was 2 : 0 after extra time, and 10-12 years of waiting ended.',
  'The vote was 52-48, with 1,234,567 ballots cast and 3 seats changing hands.',
  'Temperatures hit 40 degrees on Aug. 12, and 38 grad in Berlin am 12. August.',
  'Flight 370 left at 00:41 with 239 passengers; Sept. 8 marked 10 years since.',
  'On May 1 and mai 1er, 3 children and 2 workers were hurt; kilometer 42.195 marks the finish.',
  'He scored 2 goals in 90 minutes: 1-0, 2-0, then 2-1 at 88:30.',
  'Im Jahr 2024 wurden 3-4 Jahre alte Kinder geimpft; 1:1 endete das Spiel, 3-1 an der Spitze.',
  'El 5-2 del año pasado; 3-1 ano; 7-0 and more; 4-4 an hour later.',
  'Les 3 et 4 juin, 1 500 personnes; le score final : 24-17 pour la France.',
  'Version 1.0, 2.10, 3.00, 0.0 and 10,00 — also 1,5 and 1.5 and 1,000.5; 1,5,0 and 2.5,0 and 1234.567 and 12.3456.',
  'Le 14 juillet, 25 000 soldats ont défilé; 1,5 millions de personnes; 12 000 km parcourus.',
  'Magnitude\u00a06.2 strikes off coast; 3\u00a0killed, 14\u202finjured at 11:05\u00a0a.m.',
  'Starke 7 erdbeben; STÄRKE 6,4; magnitudes 5.1-5.3 recorded over 2 days.',
  'Mar. 3, 2024: 5 dead. Dec 25 of 2023, jan. 1 and 12 feb were holidays; magnitude. 5 and Mar.. 4',
  'Scores: 110-105, 3-10, 1000-1, 0-0, 05:30, 5:3, 12:345, 1:2.5, 1-2,3 and 4 - 5 people.',
  'Of the 5 of the people, 7 of them left; 8 and the children; 9 the of the goals; 10 x people.',
  '¼ of the ½ million, ² squared, ① first — 5½ hours; ＡＢＣ１２３ people; ΟΔΟΣ 12 ΣΟΦΙΑ.',
  'Die Filialen sind seit dem 20. März geschlossen; 30 000 Brillen, 05. April 2020, im April 50 000 Stück, 3,5 Mrd. Euro.',
  'Dnia 20 lutego zginęło 12 osób, 3 rannych; 1\u00a0500 zł, 12\u202f345 678 i 1 000,5 oraz 2019 100 i 12 3456.',
  '15 Mayıs 2020: yüzde 12 artış, 250 kişi öldü; 3 Kasım, 1 Ocak; milyar 4,5 milyar dolar.',
  "Bei mehr als 44'000 Menschen, 1’500 Franken, the 90's and 5'12 or 12'345'678.",
  'Le 1er mai, 2 300 personnes; 0. März, 32. Mai, 00 April, April 0 and April 31, 31. Dez. and 7. januar',
  'Bezos spendet zehn Milliarden Dollar, Ten Billion, DREI Mio. Euro, trzy miliardy, iki milyar; oneten million, one millionaire, zwei  Millionen.',
  'Retour aux 90 km/h, 80 km/h et 400 000 km de routes; 3.239 tués, 3 239 décès; 80 de km/h, 5 km /h, 12 km/hour.',
  'МОСКВА, 5 мая. В результате взрыва 12 человек погибли, 30 000 пострадавших, 3,5 млрд рублей, № 5, 1 января 2020 года.',
  'No numbers here, just words and the end.',
  '',
];

// Words the rules look up (count nouns, months, kinds named before, function words, year words) and some they do not.
const WORDS: readonly string[] = [
  'people', 'PEOPLE', 'killed', 'injured', 'menschen', 'Menschen', 'verletzte', 'muertos', 'goals', 'votes', 'percent', 'million',
  'kilometres', 'fatalities', 'magnitude', 'magnitudes', 'starke', 'Stärke', 'magnitud', 'march', 'MARCH', 'mar', 'mar.', 'Sept.',
  'september', 'may', 'mai', 'juin', 'marz', 'März', 'year', 'years', 'jahr', 'ano', 'año', 'an', 'and', 'annual', 'the', 'of',
  'de', 'la', 'der', 'y', 'a', 'in', 'p.m.', 'Müller', 'quake', 'x', '%', '.', ',', ';', '-', '. ', '. marz', '. April', 'lutego',
  'Mayıs', 'kişi', 'yüzde', 'Mrd.', 'mld', 'osób', 'ł', 'ı', 'zehn', 'Ten', 'one', 'Milliarden', 'billion', 'mio', 'une', 'x3',
  'km', 'km/h', 'KM/H', '/h', 'tués', 'мая', 'Мая', 'человек', 'погибших', 'млрд', 'ъ', 'й', '№',
];

const PIECES: readonly string[] = [
  '0', '1', '2', '3', '5', '7', '9', '00', '05', '12', '31', '32', '123', '1000', '2024', ' 000', '\u00a0500', '\u202f250', '\u2009999',
  '.', ',', '-', '–', ':', ' ', ' ', '  ', '\n', '\t', '%', '\u00a0', '\u2009', '\u202f', '\u3000', '\ufeff', '\u1680', '\u2028', '\u00ad',
  ...WORDS, 'abcdefghijklmnopqrstuvwxyz', 'A', 'é', 'ß', '²', '½', '①', 'Σ',
];

/** Whitespace of any length, with the kinds JavaScript's \s knows beyond ASCII. */
const gap = fc.string({ unit: fc.constantFrom(' ', ' ', ' ', '\n', '\t', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2028', '\u3000'), maxLength: 20 });
/** A written number: digit runs joined by '.' or ','. */
const numberish = fc
  .tuple(
    fc.constantFrom('0', '1', '5', '12', '123', '1234'),
    fc.array(fc.tuple(fc.constantFrom('.', ','), fc.constantFrom('0', '00', '000', '5', '50', '500', '1234')), { maxLength: 3 }),
  )
  .map(([head, rest]) => head + rest.map(([sep, run]) => sep + run).join(''));
/** A number in groups of thousands split by spaces, sometimes with a digit or decimal glued on. */
const grouped = fc
  .tuple(
    fc.constantFrom('1', '05', '12', '123', '1234'),
    fc.array(fc.tuple(fc.constantFrom(' ', '\u00a0', '\u202f', '\u2009', '  ', "'", '’'), fc.constantFrom('000', '500', '12', '1234')), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('', '5', ',5', '.5', '.', ' '),
  )
  .map(([head, rest, tail]) => head + rest.map(([sep, run]) => sep + run).join('') + tail);
/** Words, a number (perhaps a range or score), words: the shapes the rules read, with gaps that reach the window edges. */
const phrase = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...WORDS), gap), { maxLength: 2 }),
    fc.oneof(numberish, grouped),
    fc.option(fc.tuple(gap, fc.constantFrom('-', '–', ':'), gap, fc.constantFrom('0', '1', '12', '53', '123', '2024', '5.5', '3,0'))),
    fc.array(fc.tuple(gap, fc.constantFrom(...WORDS)), { maxLength: 4 }),
  )
  .map(([before, num, range, after]) => before.flat().join('') + num + (range?.join('') ?? '') + after.flat().join(''));
const phrases = fc.array(fc.oneof(phrase, fc.constantFrom(...PIECES)), { maxLength: 6 }).map((parts) => parts.join(''));
const pieced = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));
const rawText = fc.string({ unit: fc.constantFrom('1', '2', '0', '3', '.', ',', '-', '–', ':', ' ', '\u00a0', '\u202f', 'a', 'n', 'r', 'm', '%', 'ü', '²', 'ı', 'ł'), maxLength: 60 });

describe('extractNumbers matches the frozen regex implementation', () => {
  it('on real-world sentences', () => {
    for (const s of SENTENCES) expect(extractNumbers(s), s).toStrictEqual(referenceExtractNumbers(s));
    // The sentences together, so windows reach across sentence ends.
    const all = SENTENCES.join(' ');
    expect(extractNumbers(all)).toStrictEqual(referenceExtractNumbers(all));
    // Spot checks that the oracle reads these as intended (so the list exercises each rule).
    expect(extractNumbers(SENTENCES[0] ?? '')).toEqual(
      expect.arrayContaining([{ value: '5.8', kind: 'magnitude' }, { value: '3', kind: 'date:mar' }, { value: '3-1', kind: 'score' }]),
    );
  });

  it('does not take a word for a count noun whose hash it shares', () => {
    // "abqkhkcvkh" was searched for to share the lookup hash of "grad" (degrees); only the spelling tells them apart.
    expect(extractNumbers('5 abqkhkcvkh, 5 ABQKHKCVKH and 5 grad')).toStrictEqual([{ value: '5' }, { value: '5' }, { value: '5', kind: 'degree' }]);
  });

  it('at the edges of the windows before and after a number', () => {
    for (let pad = 0; pad <= 30; pad++) {
      const space = ' '.repeat(pad);
      for (const s of [
        `5${space}people`, `5 of${space}people`, `5 of${space}march`, `12${space}%`, `magnitude${space}5`, `mar.${space}3`,
        `mar${space}3`, `x magnitude${space}5`, `3-1${space}years`, `3-1 ${space}an`, `2024-25${space}people`,
      ]) {
        expect(extractNumbers(s), JSON.stringify(s)).toStrictEqual(referenceExtractNumbers(s));
      }
    }
  });

  it('on generated strings (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: phrases, weight: 3 }, { arbitrary: pieced, weight: 2 }, { arbitrary: rawText, weight: 1 }), (text) => {
        expect(extractNumbers(text)).toStrictEqual(referenceExtractNumbers(text));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('extractNumbers with the words of scale a scan found', () => {
  /** What computeIndexFeatures gives extractNumbers: the scans' positions of the title and the text, joined. */
  function withScans(title: string, text: string): CountedNumber[] {
    const titleScales = scanText(title, SALT_TOKEN).scales;
    const textScales = scanText(text, SALT_TOKEN).scales;
    const scales = titleScales === undefined || textScales === undefined ? undefined : Int32Array.from([...titleScales, ...[...textScales].map((at) => at + title.length + 1)]);
    return extractNumbers(`${title}\n${text}`, scales);
  }

  it('reads what its own search reads, on words of scale in every case, glued to digits, after punctuation and across the title', () => {
    const cases: [string, string][] = [
      ['Ten', 'million people'],
      ['zehn Milliarden Euro', 'und ZWEI MRD. dazu, elf mrd'],
      ['', 'two bn2 three bn 4 five million5 six millions, seven Millionen\tacht Milliarde neun milliards'],
      ['', '5million ten-million (three million) one\nmillion two\u00a0million dos millones tres mil millones'],
      ['Dwa miliardy', 'osiem mln, dziewiec mlrd i trzy milionow; iki milyar, bes milyon'],
      ['one', 'million'],
      ['Größe zehn', 'Milliarden'],
    ];
    for (const [title, text] of cases) expect(withScans(title, text)).toEqual(extractNumbers(`${title}\n${text}`));
  });

  it('agrees with its own search on generated text', () => {
    const piece = fc.constantFrom(
      'one', 'Two', 'ZEHN', 'dos', 'elf', 'million', 'Millions', 'MRD', 'bn', 'mio', 'milliarden', 'milyar', 'x', 'Ab', '5', '42', '3.5',
      'é', 'ß', ' ', ' ', '  ', '\t', '\n', '\u00a0', '. ', ', ', '-', '(', ')', '2', 'a1',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(piece, { maxLength: 40 }), (titleParts, textParts) => {
        const title = titleParts.join('');
        const text = textParts.join('');
        expect(withScans(title, text)).toEqual(extractNumbers(`${title}\n${text}`));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('extractTitleTextNumbers', () => {
  /** What computeIndexFeatures reads: the title and the text with the words of scale their scans found. */
  function fromScans(title: string, text: string): CountedNumber[] {
    return extractTitleTextNumbers(title, text, scanText(title, SALT_TOKEN).scales, scanText(text, SALT_TOKEN).scales);
  }

  it('reads what the joined text gives where the title and the text meet', () => {
    const cases: [string, string][] = [
      ['Quake toll rises', 'people died when the 5.8 quake hit'],
      ['Toll rises to 12', 'people died'],
      ['Score', '3-1 after extra time was the result'],
      ['Final 3', '- 1 after extra time was the result'],
      ['Ten', 'million people were counted by officials'],
      ['Officials counted ten', ' million people'],
      ['On March', '3 the storm hit the coast near the town'],
      ['On March', 'the 3 storms hit the coast near the town'],
      ['Storm hits', '\u00a0Twelve people died on 3 March in the storm'],
      ['', 'Twelve people died on 3 March in the storm'],
      ['Grad', 'ist die Temperatur am 5. Mai um 20 Grad gestiegen'],
      ['Größe', 'zehn Milliarden Euro und 12 Menschen'],
    ];
    for (const [title, text] of cases) expect(fromScans(title, text), JSON.stringify([title, text])).toStrictEqual(extractNumbers(`${title}\n${text}`));
  });

  it('agrees with the joined text on generated titles and texts', () => {
    const piece = fc.constantFrom(
      'one', 'Ten', 'million', 'MRD', 'people', 'dead', 'March', 'mar.', 'magnitude', 'year', 'of', 'the', 'km', '/h', '%', 'x',
      'Quake', '5', '42', '3.5', '1,250', '30 000', '3-1', '7:53', '2024', 'é', ' ', ' ', '  ', '\t', '\n', '\u00a0', '. ', ', ', '-', ':',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.array(piece, { maxLength: 40 }), (titleParts, textParts) => {
        const title = titleParts.join('');
        const text = textParts.join('');
        expect(fromScans(title, text)).toStrictEqual(extractNumbers(`${title}\n${text}`));
      }),
      { numRuns: 5000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersectSorted, minhashSignature, SetProbe, sortUnique, uniqueSorted } from '../../src/cluster/minhash.js';
import { scanStemmedText, scanText } from '../../src/cluster/scan-text.js';
import { wordStemsFor } from '../../src/cluster/snowball-stems.js';
import { STOPWORDS } from '../../src/cluster/stopwords.js';
import { fnv1a } from '../../src/cluster/hash.js';
import { isNameCandidate, lightStem, scanWords } from '../../src/cluster/text-features.js';

const SALT = 0x7101;

/** The readable reference: word by word, with strings, as the scan's comment says it computes. */
function reference(text: string): { hashes: number[]; names: Map<string, number>; words: number; common: string[] } {
  const hashes: number[] = [];
  const names = new Map<string, number>();
  const lower = new Set<string>();
  let words = 0;
  scanWords(text, (folded, capital, sentenceStart) => {
    words++;
    const stop = STOPWORDS.has(folded);
    if (!stop) hashes.push(fnv1a(lightStem(folded), SALT) | 0);
    if (isNameCandidate(folded, capital, sentenceStart, stop)) names.set(folded, (names.get(folded) ?? 0) + 1);
    if (!stop && !capital) lower.add(folded);
  });
  // The names the text also writes in lower case, a content word not capitalised.
  return { hashes, names, words, common: [...names.keys()].filter((name) => lower.has(name)).sort() };
}

function fast(text: string): { hashes: number[]; names: Map<string, number>; words: number; common: string[] } {
  const scanned = scanText(text, SALT);
  return { hashes: [...scanned.hashes.subarray(0, scanned.count)], names: scanned.names, words: scanned.words, common: [...scanned.common].sort() };
}

const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));

/** Expects the scan of `text` to give what the reference gives; returns the scan's. */
function expectSameScan(text: string): ReturnType<typeof fast> {
  const a = fast(text);
  const b = reference(text);
  expect(a.hashes).toEqual(b.hashes);
  expect(sorted(a.names)).toEqual(sorted(b.names));
  expect(a.words).toBe(b.words);
  expect(a.common).toEqual(b.common);
  return a;
}

describe('scanText: one pass over the characters, equal to the word-by-word reference', () => {
  it('agrees on real sentences in English, German, Spanish and Greek, with suffixes the stemmer strips', () => {
    const texts = [
      'The Rust shooting: Alec Baldwin said prosecutors were filing charges. Stories, boxes, wishes, churches and buses.',
      'Gestern sagte Jürgen Müller in München, dass die Straße gesperrt wird. „Das ist groß“, sagte er. STRASSE ẞ',
      'El presidente Sánchez anunció 3,5 millones de euros; «Es histórico», dijo. Niño, año, corazón.',
      'Ο ΠΡΩΘΥΠΟΥΡΓΟΣ είπε ότι ΟΔΟΣ και Οδός είναι ίδια. ΣΟΦΟΣ σοφός.',
      'İstanbul’da 5.8 büyüklüğünde deprem: 2 ölü, 37 yaralı. Kilometres, miles, 1998-2001, 3:1.',
      'ﬁled ﬂights … “quoted” — x y z 7 42 ab AB Ab aB',
      '',
    ];
    for (const text of texts) {
      expectSameScan(text);
    }
  });

  it('agrees on generated text mixing cases, stopwords, suffixes, digits, accents and punctuation', () => {
    const piece = fc.constantFrom(
      'the', 'The', 'THE', 'und', 'Die', 'stories', 'Stories', 'filing', 'filed', 'boxes', 'wishes', 'buses', 'share',
      'Müller', 'müller', 'STRAẞE', 'straße', 'ΟΔΟΣ', 'οδος', 'σοφός', 'İzmir', 'ﬁle', '42', '3.5', 'x', 'Ab', 'ab', 'é', 'ö', '😀', '\u0301',
      ' ', ' ', '  ', '. ', ', ', '\n', '“', '”', '…', '!', '?', ':', '-', '«', '»', '\u00a0',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expectSameScan(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('holds as many names as a text has room for, after short and long texts, in both scans', () => {
    // Two-letter capitalised words one space apart are the most names a text can hold; single digits, the most words.
    const names = (count: number, from: number): string => Array.from({ length: count }, (_, k) => `Q${String.fromCharCode(97 + ((from + k) % 26))}${k >= 26 ? String.fromCharCode(97 + Math.floor(k / 26) % 26) : ''}`).join(' ');
    const stems = wordStemsFor('de', SALT) as NonNullable<ReturnType<typeof wordStemsFor>>;
    for (const text of [names(3, 0), `x ${names(700, 1)}`, names(40, 2), `x ${names(5000, 3)}`, '1 2 3 4 5 6 7 8 9 0 '.repeat(400), `x ${names(20, 4)}`]) {
      const a = expectSameScan(text);
      const stemmed = scanStemmedText(text, stems);
      expect(sorted(stemmed.names)).toEqual(sorted(a.names));
      expect(stemmed.words).toBe(a.words);
    }
  });

  it('grows its tables for a text too long to have them sized beforehand, then scans short texts as before', () => {
    // 40,000 distinct names (Q and the number in letters), 200,000 characters: more than the tables are sized for.
    const letters = (k: number): string => [...k.toString(26)].map((d) => String.fromCharCode(97 + Number.parseInt(d, 26))).join('');
    const long = Array.from({ length: 40_000 }, (_, k) => `Q${letters(k + 26 * 26)}`).join(' ');
    for (const text of [`x ${long} million ${'5 million '.repeat(40_000)}`, 'Dock workers in Rotterdam ended the strike; rotterdam port said 2 million tonnes waited.']) {
      expectSameScan(text);
    }
    expect(scanText(`x ${long}`, SALT).names.size).toBe(40_000);
    // Every word of scale is listed, where it starts.
    const scales = scanText(`x ${'5 million '.repeat(40_000)}`, SALT).scales as Int32Array;
    expect(scales.length).toBe(40_000);
    expect(scales[39_999]).toBe(2 + 39_999 * 10 + 2);
  });
});

describe('one-permutation MinHash with densification', () => {
  const set = (values: number[]): Int32Array => uniqueSorted(values.map((v) => fnv1a(String(v)) | 0));

  it('gives identical sets identical signatures and fills every slot, even from a few shingles', () => {
    const a = set([1, 2, 3]);
    const sig = minhashSignature(a, 64);
    expect([...sig]).toEqual([...minhashSignature(a.slice(), 64)]);
    // Three shingles fill at most three slots; densification copies their values into all 64.
    const values = new Set(sig);
    expect(values.size).toBeLessThanOrEqual(3);
    for (const v of values) expect([...a]).toContain(v);
  });

  it('estimates Jaccard resemblance: slots agree about as often as the sets overlap', () => {
    const a = set(Array.from({ length: 300 }, (_, i) => i));
    const b = set(Array.from({ length: 300 }, (_, i) => i + 100)); // J = 200 / 400 = 0.5
    const sa = minhashSignature(a, 64);
    const sb = minhashSignature(b, 64);
    let agree = 0;
    for (let i = 0; i < 64; i++) if (sa[i] === sb[i]) agree++;
    expect(agree / 64).toBeGreaterThan(0.3);
    expect(agree / 64).toBeLessThan(0.7);
    const disjoint = minhashSignature(set(Array.from({ length: 300 }, (_, i) => i + 1000)), 64);
    let clash = 0;
    for (let i = 0; i < 64; i++) if (sa[i] === disjoint[i]) clash++;
    expect(clash).toBe(0);
  });
});

describe('SetProbe counts shared values exactly, as the sorted merge does', () => {
  it('equals intersectSorted on arbitrary sets, zero included', () => {
    const values = fc.array(fc.integer({ min: -40, max: 40 }), { maxLength: 60 });
    const probe = new SetProbe();
    fc.assert(
      fc.property(values, values, (x, y) => {
        const a = sortUnique(Int32Array.from(x));
        const b = sortUnique(Int32Array.from(y));
        probe.load(a);
        expect(probe.countShared(b)).toBe(intersectSorted(a, b));
      }),
      { numRuns: 1000 },
    );
  });
});

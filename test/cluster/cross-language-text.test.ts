import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFeatures } from '../../src/cluster/article-features.js';
import { crossLanguageCosine, crossLanguageVector, foldsLikeScan, vectorKeys } from '../../src/cluster/cross-language.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
import { makeArticle } from './make-article.js';

/** Text that crosses languages: the cross-language vector and its cosine. */

const keysOf = (text: string): number[] => vectorKeys(crossLanguageVector(text));
const seedDir = new URL('../../seeds/', import.meta.url);
const seeds = readdirSync(seedDir)
  .sort()
  .map((f) => readFileSync(new URL(f, seedDir), 'utf8'));
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/cluster/${name}`, import.meta.url), 'utf8');
const floor = DEFAULT_CLUSTER_OPTIONS.weights.crossTextFloor;

describe('cross-language keys', () => {
  it('gives a German word and its English cognate one key', () => {
    for (const [de, en] of [
      ['Präsident', 'president'],
      ['Polizei', 'police'],
      ['Kommission', 'commission'],
      ['Kanzlerin', 'chancellor'],
      ['Krise', 'crisis'],
      ['Pandemie', 'pandemic'],
      ['Lawrow', 'Lavrov'],
    ] as const) {
      expect(keysOf(de), `${de} / ${en}`).toEqual(keysOf(en));
      expect(keysOf(de)).toHaveLength(1);
    }
  });

  it('reads country and language names of every supported language as one concept, inflected or transliterated', () => {
    const russia = keysOf('Russia');
    for (const w of ['Russland', 'Rusia', 'Russie', 'Россия', 'Rosja']) expect(keysOf(w), w).toEqual(russia);
    const russian = keysOf('Russian');
    for (const w of ['russischen', 'russische', 'Russisch', 'russe']) expect(keysOf(w), w).toEqual(russian);
    expect(russian).not.toEqual(russia);
    expect(keysOf('Deutschland')).toEqual(keysOf('Germany'));
  });

  it('drops the function words of the supported languages and words under four letters', () => {
    expect(keysOf('und oder aber nicht wurde sagte because which their about über para pero avec dans')).toEqual([]);
    expect(keysOf('Bus Tor war')).toEqual([]);
  });

  it('is deterministic, one entry per key, and a text is its own nearest', () => {
    const a = crossLanguageVector(seeds[0] as string);
    const b = crossLanguageVector(seeds[0] as string);
    expect([...a.entries]).toEqual([...b.entries]);
    expect(a.norm).toBe(b.norm);
    const keys = vectorKeys(a);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort((x, y) => x - y));
    // Title and body apart count the same words as one text.
    const [title, ...rest] = (seeds[0] as string).split('\n');
    expect([...crossLanguageVector(title as string, rest.join('\n')).entries]).toEqual([...a.entries]);
    expect(crossLanguageCosine(a, b)).toBeCloseTo(1, 5);
    expect(crossLanguageCosine(a, crossLanguageVector(''))).toBe(0);
  });
});

describe('cross-language cosine', () => {
  const german = seeds.find((s) => /\b(der|die|und)\b/.test(s)) as string;
  const english = seeds.filter((s) => s !== german);

  it('puts the German seed above the chance floor with each English version of its story', () => {
    expect(english).toHaveLength(4);
    const de = crossLanguageVector(german);
    for (const en of english) expect(crossLanguageCosine(de, crossLanguageVector(en))).toBeGreaterThan(floor);
  });

  it('keeps the German seed under the floor with English reports of other events', () => {
    const de = crossLanguageVector(german);
    for (const other of ['unrelated-quake-turkey.txt', 'unrelated-ecb-holds-rates.txt', 'swift-chiefs-game.txt']) {
      expect(crossLanguageCosine(de, crossLanguageVector(fixture(other))), other).toBeLessThan(floor);
    }
  });
});

describe('the vector read in the scan of the title and body', () => {
  const { shingleSize, bands, rows } = DEFAULT_CLUSTER_OPTIONS;
  /** The entries computeFeatures reads in its scans, against the vector's own pass over the same title and body. */
  const both = (title: string, body: string, language: string): [number[], number[]] => {
    const features = computeFeatures(makeArticle({ id: 'x', title, text: body, language }), { shingleSize, bands, rows });
    return [[...(features.crossLanguage?.entries ?? [])], [...crossLanguageVector(title, body).entries]];
  };
  const filler = ' The figures come from a statement released in the morning, and several sides have confirmed them since.';

  it('equals the vector of the title and body, for ASCII, accented and other scripts, stemmed or not', () => {
    const bodies: [string, string][] = [
      [seeds[0] as string, 'en'],
      [seeds[3] as string, 'de'],
      [`Café in Zürich: “Niño” … 3½ déjà vu—Ärger, naïve façade.${filler}`, 'en'],
      [`Straße, Øresund, Łódź, İzmir, Россия и Лавров, ǅemal, ﬁnancial, ™ 2²${filler}`, 'en'],
      [`Die Straße in München wurde gesperrt; Lawrows Sprecher sagte „nein“ (e\u0301tude).${filler}`, 'de'],
      [`Президент России Владимир Путин заявил, что 12 человек погибли.${filler}`, 'ru'],
    ];
    for (const [text, language] of bodies) {
      const [title, ...rest] = text.split('\n');
      const [scanned, own] = both(title as string, rest.join('\n') || text, language);
      expect(scanned.length, text.slice(0, 30)).toBeGreaterThan(0);
      expect(scanned, text.slice(0, 30)).toEqual(own);
    }
  });

  it('counts in the scan itself where the scanned form of the text gives the words, and apart where it does not', () => {
    expect(foldsLikeScan('plain ASCII')).toBe(true);
    expect(foldsLikeScan('Café “Zürich” … 3½ – naïve')).toBe(true);
    expect(foldsLikeScan('Straße')).toBe(false);
    expect(foldsLikeScan('Россия')).toBe(false);
    expect(foldsLikeScan('e\u0301tude')).toBe(false);
    expect(foldsLikeScan('™')).toBe(false);
  });

  it('equals the vector of the title and body on generated text', () => {
    const pieces = ['lavrov ', 'Präsident ', 'police ', 'Russia ', 'über ', 'straße ', 'ab12cd ', 'x ', '…', '’', '\u00a0', '½', 'é', 'ß', 'ø', 'д', '\u0301', 'ǅ', 'ﬁ', '™', '😀', '٣', 'İ', 'ı', '. ', '\n'];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, text, fc.constantFrom('en', 'de', 'ru', 'fr', 'und'), (title, body, language) => {
        const [scanned, own] = both(title, `${body}${filler}${filler}`, language);
        expect(scanned).toEqual(own);
      }),
      { numRuns: 300 },
    );
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossLanguageCosine, crossLanguageVector, crossLanguageVectorsMade, CrossLanguageText, vectorKeys } from '../../src/cluster/cross-language.js';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
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

describe('the vector is made only for a candidate in another language', () => {
  const [title, ...rest] = (seeds[1] as string).split('\n');
  const body = rest.join('\n');

  it('is made on first use, once, and is the vector of title and body', () => {
    const text = new CrossLanguageText(title as string, body);
    expect(text.isBuilt).toBe(false);
    const v = text.vector();
    expect(text.isBuilt).toBe(true);
    expect(text.vector()).toBe(v);
    expect([...v.entries]).toEqual([...crossLanguageVector(title as string, body).entries]);
  });

  it('is not made while every candidate is in the article\'s own language, and is made for one in another', () => {
    let next = 0;
    const index = createStoryIndex(DEFAULT_CLUSTER_OPTIONS, () => `story-${next++}`);
    const before = crossLanguageVectorsMade();
    // The bundled seeds: 003 is the German version.
    const english = seeds.filter((_, i) => i !== 3);
    english.forEach((text, i) => {
      const [t, ...b] = text.split('\n');
      index.assign(makeArticle({ id: `en-${i}`, title: t as string, text: b.join('\n'), sourceId: `src-${i}`, published: '2025-03-01T12:00:00Z' }));
    });
    expect(crossLanguageVectorsMade()).toBe(before);
    const [t, ...b] = (seeds[3] as string).split('\n');
    index.assign(makeArticle({ id: 'de', title: t as string, text: b.join('\n'), language: 'de', sourceId: 'src-de', published: '2025-03-01T13:00:00Z' }));
    expect(crossLanguageVectorsMade()).toBeGreaterThan(before);
  });
});

import { describe, expect, it } from 'vitest';
import { computeFeatures, type ArticleFeatures } from '../../src/cluster/article-features.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
import { BANDS, COUNT_KINDS, CROSS, DISTINCTIVE, ENTITIES, ENTITY_KEYS, FeatureStore, HAS_BODY, NUMBERS, SHINGLES, TITLE, TITLE_KEY, TRUNCATED } from '../../src/cluster/feature-store.js';
import { packedTitleWords, packTitle } from '../../src/cluster/title-bigrams.js';
import { makeArticle } from './make-article.js';

const { shingleSize, bands, rows } = DEFAULT_CLUSTER_OPTIONS;

/** Articles of different lengths, names and numbers, so blocks differ in size. */
function articles(): ArticleFeatures[] {
  const out: ArticleFeatures[] = [];
  for (let i = 0; i < 24; i++) {
    const words = Array.from({ length: 20 + ((i * 37) % 300) }, (_, k) => `word${(k * 7 + i) % 97} Name${k % 5}`).join(' ');
    out.push(computeFeatures(makeArticle({ id: `a${i}`, title: `Title ${i} of Cat${i % 3}`, text: `${words} with ${i * 13} people and 3.${i} million.`, truncated: i % 4 === 0 }), { shingleSize, bands, rows }));
  }
  return out;
}

/** What a slot holds, read back. */
function readBack(store: FeatureStore, slot: number): unknown {
  const list = (l: number): number[] => [...store.ints.subarray(store.from(slot, l), store.to(slot, l))];
  return {
    shingles: list(SHINGLES),
    entities: list(ENTITIES),
    bands: list(BANDS),
    title: list(TITLE),
    entityKeys: list(ENTITY_KEYS),
    numbers: list(NUMBERS),
    distinctive: list(DISTINCTIVE),
    countKinds: list(COUNT_KINDS),
    titleKey: list(TITLE_KEY),
    cross: list(CROSS),
    values: [...store.floats.subarray(store.countValuesFrom(slot), store.countValuesFrom(slot) + 2 * list(COUNT_KINDS).length)],
    body: store.has(slot, HAS_BODY),
    truncated: store.has(slot, TRUNCATED),
    timeMs: store.timeMs[slot],
    entityNames: store.entities(slot),
    numberNames: store.numbers(slot),
    counts: [...store.counts(slot)].map(([kind, values]) => [kind, [...values]]),
  };
}

/** What the features put in a slot should read back as. */
function expected(f: ArticleFeatures): unknown {
  const title = new Int32Array(packedTitleWords(f.titleKey));
  packTitle(f.titleKey, title, 0);
  return {
    shingles: [...f.shingles],
    entities: [...f.entityHashes],
    bands: [...(f.bandKeys ?? [])],
    title: [...f.titleTokens],
    entityKeys: [...f.entityKeys],
    numbers: [...f.numberHashes],
    distinctive: [...f.distinctiveNumberHashes],
    countKinds: [...f.countKinds],
    titleKey: [...title],
    cross: [...(f.crossLanguage?.entries ?? [])],
    values: [...f.countValues, ...f.countUnits],
    body: f.hasBody,
    truncated: f.truncated,
    timeMs: f.timeMs,
    entityNames: f.entities,
    numberNames: f.numbers,
    counts: [...f.counts].map(([kind, values]) => [kind, [...values]]),
  };
}

describe('FeatureStore', () => {
  it('reads back every live slot as packed, while blocks are freed mostly in order, the ring wraps and moves', () => {
    const store = new FeatureStore();
    const features = articles();
    const live = new Map<number, ArticleFeatures>();
    const order: number[] = [];
    let x = 11;
    for (let step = 0; step < 6000; step++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      const f = features[(x >>> 8) % features.length] as ArticleFeatures;
      const slot = store.add(f, undefined);
      expect(live.has(slot)).toBe(false);
      live.set(slot, f);
      order.push(slot);
      // The window holds a few hundred blocks, then frees the oldest, now and then one out of order.
      while (order.length > 300 + ((x >>> 4) % 200)) {
        const at = (x >>> 12) % 7 === 0 ? Math.min(order.length - 1, (x >>> 16) % 40) : 0;
        const [freed] = order.splice(at, 1) as [number];
        store.free(freed);
        live.delete(freed);
      }
      if (step % 500 === 0) for (const [s, g] of live) expect(readBack(store, s), `slot ${s} at step ${step}`).toEqual(expected(g));
    }
    for (const [s, g] of live) expect(readBack(store, s)).toEqual(expected(g));
  });

  it('grows the ring in large steps while the window fills, then fits it to what it holds once a block is freed', () => {
    const store = new FeatureStore();
    const features = articles();
    const slots: number[] = [];
    const sizes = new Set<number>();
    // Stop just after a later doubling, when the filling ring holds about half its size.
    let last = store.ints.length;
    for (let i = 0; store.ints.length === last || i < 400; i++) {
      last = store.ints.length;
      slots.push(store.add(features[i % features.length] as ArticleFeatures, undefined));
      sizes.add(store.ints.length);
    }
    // Doubled each time from its first size: a few moves, however many blocks.
    const grown = [...sizes];
    expect(grown.length).toBeGreaterThan(2);
    for (let i = 1; i < grown.length; i++) expect(grown[i]).toBe(2 * (grown[i - 1] as number));
    const filled = store.ints.length;
    const first = slots.shift() as number;
    store.free(first);
    slots.push(store.add(features[0] as ArticleFeatures, undefined));
    expect(store.ints.length).toBeLessThan(0.75 * filled);
    slots.forEach((slot, i) => expect(readBack(store, slot)).toEqual(expected(features[i === slots.length - 1 ? 0 : (i + 1) % features.length] as ArticleFeatures)));
  });

  it('grows the ring straight to a full window when told how many articles the window holds, and reads back every slot', () => {
    const features = articles();
    const window = 1500;
    const sizes = (store: FeatureStore): Set<number> => {
      const seen = new Set([store.ints.length]);
      const slots: number[] = [];
      for (let i = 0; i < window; i++) {
        slots.push(store.add(features[i % features.length] as ArticleFeatures, undefined));
        seen.add(store.ints.length);
      }
      slots.forEach((slot, i) => expect(readBack(store, slot)).toEqual(expected(features[i % features.length] as ArticleFeatures)));
      return seen;
    };
    const told = new FeatureStore(true, window);
    const toldSizes = sizes(told);
    // Its first size, then, once the first ring is full, one a full window's words and a little more.
    expect(toldSizes.size).toBe(2);
    expect(told.capacity).toBeGreaterThanOrEqual(window);
    expect(sizes(new FeatureStore()).size).toBeGreaterThan(3);
  });

  it('leaves a ring that the window mostly fills where it is when the first block is freed', () => {
    const features = articles();
    // How many blocks fill the ring up to a later doubling: the ring holds about half its size after it.
    const probe = new FeatureStore();
    let doubled = 0;
    for (let i = 0, last = probe.ints.length; doubled === 0; i++) {
      probe.add(features[i % features.length] as ArticleFeatures, undefined);
      if (probe.ints.length !== last && i >= 400) doubled = i;
      last = probe.ints.length;
    }
    // Nine tenths of the way there, the ring is some nine tenths full: fitting it would give back a tenth for a copy of
    // the whole window, so it stays.
    const store = new FeatureStore();
    const slots: number[] = [];
    for (let i = 0; i < Math.floor(0.9 * doubled); i++) slots.push(store.add(features[i % features.length] as ArticleFeatures, undefined));
    const full = store.ints.length;
    store.free(slots.shift() as number);
    slots.push(store.add(features[0] as ArticleFeatures, undefined));
    expect(store.ints.length).toBe(full);
    slots.forEach((slot, i) => expect(readBack(store, slot)).toEqual(expected(features[i === slots.length - 1 ? 0 : (i + 1) % features.length] as ArticleFeatures)));
    // Told the window has just filled, it stays too; told to fit a window loaded in one go, it gives the tenth back.
    store.fit(true);
    expect(store.ints.length).toBe(full);
    store.fit();
    expect(store.ints.length).toBeLessThan(full);
    slots.forEach((slot, i) => expect(readBack(store, slot)).toEqual(expected(features[i === slots.length - 1 ? 0 : (i + 1) % features.length] as ArticleFeatures)));
  });

  it('fits a ring filled in one go to what it holds when told, and reads back every slot after', () => {
    const store = new FeatureStore();
    const features = articles();
    const slots: number[] = [];
    let last = store.ints.length;
    // Stop just after a doubling, when the filling ring holds about half its size.
    for (let i = 0; store.ints.length === last || i < 200; i++) {
      last = store.ints.length;
      slots.push(store.add(features[i % features.length] as ArticleFeatures, undefined));
    }
    const filled = store.ints.length;
    store.fit();
    expect(store.ints.length).toBeLessThan(0.75 * filled);
    slots.forEach((slot, i) => expect(readBack(store, slot)).toEqual(expected(features[i % features.length] as ArticleFeatures)));
    const fitted = store.ints.length;
    store.fit();
    expect(store.ints.length).toBe(fitted);
  });

  it('keeps a scored list apart only where the template took something out', () => {
    const store = new FeatureStore();
    const [f] = articles() as [ArticleFeatures];
    const kept = f.shingles.slice(1);
    const slot = store.add(f, { shingles: kept, entityHashes: f.entityHashes, numberHashes: f.numberHashes, numbers: f.numbers.length });
    expect(store.scored(slot, SHINGLES)).not.toBe(SHINGLES);
    expect([...store.ints.subarray(store.from(slot, store.scored(slot, SHINGLES)), store.to(slot, store.scored(slot, SHINGLES)))]).toEqual([...kept]);
    expect(store.scored(slot, ENTITIES)).toBe(ENTITIES);
    expect(store.scored(slot, NUMBERS)).toBe(NUMBERS);
    const none = store.add(f, { shingles: new Int32Array(0), entityHashes: f.entityHashes, numberHashes: f.numberHashes, numbers: f.numbers.length });
    expect(store.to(none, store.scored(none, SHINGLES)) - store.from(none, store.scored(none, SHINGLES))).toBe(0);
  });
});

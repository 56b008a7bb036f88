import type { ArticleFeatures } from '../../src/cluster/article-features.js';
import { FeatureStore } from '../../src/cluster/feature-store.js';

/** Two articles' features packed in a store as the index holds them, with every rarity weight 1 unless given. */
export function storedPair(a: ArticleFeatures, b: ArticleFeatures, idf: (hash: number) => number = () => 1): { store: FeatureStore; a: number; b: number } {
  const store = new FeatureStore();
  const slotA = store.add(a, undefined);
  const slotB = store.add(b, undefined);
  store.writeRarity(slotA, idf);
  store.writeRarity(slotB, idf);
  return { store, a: slotA, b: slotB };
}

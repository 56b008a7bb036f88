import { computeFeatures, WordCache } from '../../src/cluster/article-features.js';
import { createPermutations } from '../../src/cluster/minhash.js';
import { splitWords, extractNumbers } from '../../src/cluster/text-features.js';
import { generateCorpus } from './generate-corpus.js';
const arts = [...generateCorpus(2000, { seed: 42, storyIntervalS: 40, batchStories: 64 })].map(x => x.article);
const perms = createPermutations(64); const words = new WordCache();
for (let rep = 0; rep < 3; rep++) {
let t = performance.now(); for (const a of arts) computeFeatures(a, { shingleSize: 2, perms, words }); console.log('features', (performance.now() - t) * 1000 / arts.length);
t = performance.now(); for (const a of arts) splitWords(a.text); console.log('split', (performance.now() - t) * 1000 / arts.length);
t = performance.now(); for (const a of arts) extractNumbers(a.text); console.log('numbers', (performance.now() - t) * 1000 / arts.length);
}

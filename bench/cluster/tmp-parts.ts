import { WordCache } from '../../src/cluster/article-features.js';
import { createPermutations, minhashSignature, uniqueSorted } from '../../src/cluster/minhash.js';
import { scanWords, extractNumbers, foldText } from '../../src/cluster/text-features.js';
import { fnv1a, combineHash } from '../../src/cluster/hash.js';
import { generateCorpus } from './generate-corpus.js';
const arts = [...generateCorpus(3000, { seed: 42, storyIntervalS: 40, batchStories: 64 })].map(x => x.article);
const perms = createPermutations(64); const words = new WordCache();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const time = (name: string, f: (a: typeof arts[0]) => unknown) => { const t = cpu(); for (const a of arts) f(a); console.log(name, ((cpu() - t) * 1000 / arts.length).toFixed(1)); };
for (let r = 0; r < 2; r++) {
time('scan noop', (a) => scanWords(a.text, () => {}));
time('scan+cache', (a) => scanWords(a.text, (f) => words.get(f)));
time('regex split', (a) => a.text.split(/\s+/).length);
const hashes = arts.map(a => { const h: number[] = []; scanWords(a.text, (f) => { const i = words.get(f); if (!i.stop) h.push(i.stemHash); }); return h; });
let k = 0;
time('shingle+unique', () => { const h = hashes[k++ % hashes.length]!; const out: number[] = []; for (let i = 0; i + 2 <= h.length; i++) out.push(combineHash(combineHash(0x5419, h[i]!), h[i + 1]!)); return uniqueSorted(out); });
const sh = hashes.map(h => { const out: number[] = []; for (let i = 0; i + 2 <= h.length; i++) out.push(combineHash(combineHash(0x5419, h[i]!), h[i + 1]!)); return uniqueSorted(out); });
k = 0; time('minhash', () => minhashSignature(sh[k++ % sh.length]!, perms));
time('numbers', (a) => extractNumbers(a.text));
time('fold title', (a) => foldText(a.title));
}

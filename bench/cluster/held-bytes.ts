/**
 * The memory a story index holds per article in its window: `node --expose-gc --import tsx bench/cluster/held-bytes.ts
 * [N]` fills an index with the bench corpus, N articles (30,000 by default: the window fills at ~14,000 and then
 * slides), and prints `held_bytes_per_article=…` as indexHeldBytes measures it. The articles are generated one at a
 * time and dropped once assigned, so what stays is what the index keeps.
 *
 * indexHeldBytes is the one measure the benches share (bench:cluster, bench:soak-leader, bench:scale): the heap and
 * array buffers that a full collection frees when the index is dropped, over the articles it held. Measured that way,
 * whatever the index keeps alive counts, its articles too when it keeps them (a closure over them, a string sliced
 * from one), as long as nothing else does: the bench builds it from articles it then lets go. Code compiled while
 * the index was built and caches outside it stay after the drop, so they do not count.
 */
import { fileURLToPath } from 'node:url';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
import type { StoryIndex } from '../../src/model/story.js';
import { BENCH_CORPUS } from './export-corpus.js';
import { generateCorpus } from './generate-corpus.js';

const DEFAULT_ARTICLES = 30_000;

/** The figures of one fill. */
export interface HeldBytes {
  bytesPerArticle: number;
  /** Articles in the window at the end. */
  window: number;
  /** Whether the window was full: an article left it before the end. */
  full: boolean;
}

/** An index filled with the first `n` bench articles, and whether its window filled (an article left it). */
function fill(n: number): { index: StoryIndex; full: boolean } {
  let next = 0;
  const index = createStoryIndex(DEFAULT_CLUSTER_OPTIONS, () => `${next++}`);
  let full = false;
  for (const { article } of generateCorpus(n, BENCH_CORPUS)) {
    const size = index.size();
    index.assign(article);
    if (index.size() <= size) full = true;
  }
  return { index, full };
}

/**
 * Forces full collections until the memory counted holds still: the collector frees array buffers' memory in a task of
 * its own, so one collection can leave freed buffers counted for a moment.
 */
export async function collect(gc: () => void): Promise<void> {
  let last = Number.NaN;
  for (let round = 0; round < 10; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    if (heapUsed + arrayBuffers === last) return;
    last = heapUsed + arrayBuffers;
  }
}

/** What indexHeldBytes prints beside its figure, so a reader knows what is measured. */
export const HELD_BYTES_MEANING =
  'held_bytes_per_article = heap + array buffers freed when the index is dropped (full collections forced), over the articles it held; built from articles nothing else keeps';

/** An index held by the bench: `drop` lets go of the bench's last reference to it. */
export interface HeldIndex {
  size(): number;
  drop(): void;
}

/**
 * What `held` holds per article (needs --expose-gc): the memory counted with it, less the memory counted once it is
 * dropped, both after full collections. The caller must hold no other reference to the index, nor to the articles it
 * was built from (they count only if the index keeps them, which is what the figure is there to show).
 */
export async function indexHeldBytes(held: HeldIndex): Promise<{ bytesPerArticle: number; window: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('held bytes: run node with --expose-gc');
  const window = held.size();
  await collect(gc);
  const withIndex = process.memoryUsage();
  held.drop();
  await collect(gc);
  const without = process.memoryUsage();
  return { bytesPerArticle: (withIndex.heapUsed + withIndex.arrayBuffers - without.heapUsed - without.arrayBuffers) / window, window };
}

/** Fills an index with `n` bench articles and measures what it holds per article (needs --expose-gc). */
export async function heldBytes(n: number): Promise<HeldBytes> {
  let filled: { index: StoryIndex; full: boolean } | undefined = fill(n);
  const full = filled.full;
  const { bytesPerArticle, window } = await indexHeldBytes({
    size: () => (filled as { index: StoryIndex }).index.size(),
    drop: () => {
      filled = undefined;
    },
  });
  return { bytesPerArticle, window, full };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? DEFAULT_ARTICLES);
  const held = await heldBytes(n);
  process.stdout.write(`${HELD_BYTES_MEANING}\nheld_bytes_per_article=${held.bytesPerArticle.toFixed(0)} window=${held.window} window_full=${held.full} articles=${n}\n`);
}

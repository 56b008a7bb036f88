/**
 * The memory a story index holds per article in its window: `node --expose-gc --import tsx bench/cluster/held-bytes.ts
 * [N]` fills an index with the bench corpus, N articles (30,000 by default: the window fills at ~14,000 and then
 * slides), forces the collector before and after, and prints `held_bytes_per_article=…`, (heapUsed + arrayBuffers
 * after − before) / index.size(). The articles are generated one at a time and dropped once assigned, so what stays is
 * what the index keeps.
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

/** Articles a throwaway index takes first, so that the code compiled on the way is not counted as held. */
const WARM_UP_ARTICLES = 3_000;

/** Fills an index with `n` bench articles and measures what it holds per article (needs --expose-gc). */
export async function heldBytes(n: number): Promise<HeldBytes> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('held-bytes: run node with --expose-gc');
  fill(Math.min(n, WARM_UP_ARTICLES));
  await collect(gc);
  const before = process.memoryUsage();
  const { index, full } = fill(n);
  await collect(gc);
  const after = process.memoryUsage();
  const window = index.size();
  const bytesPerArticle = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / window;
  return { bytesPerArticle, window, full };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? DEFAULT_ARTICLES);
  const held = await heldBytes(n);
  process.stdout.write(`held_bytes_per_article=${held.bytesPerArticle.toFixed(0)} window=${held.window} window_full=${held.full} articles=${n}\n`);
}

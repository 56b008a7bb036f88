/**
 * Writes the bench's generated corpus as `feedfold cluster` input (JSON Lines, one article per line, with its planted
 * story as `gold`): `tsx bench/cluster/export-corpus.ts N FILE`. The same N gives the same file.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { generateCorpus, type CorpusOptions } from './generate-corpus.js';

export const BENCH_CORPUS: CorpusOptions = { seed: 42, storyIntervalS: 40, batchStories: 64 };

/** Streams `n` generated articles to `file` as cluster input lines; returns their planted stories, in line order. */
export async function exportCorpus(n: number, file: string): Promise<Int32Array> {
  const out = createWriteStream(file);
  const golds = new Int32Array(n);
  let i = 0;
  for (const { article, gold } of generateCorpus(n, BENCH_CORPUS)) {
    const line = { id: article.id, title: article.title, text: article.text, url: article.url, published: article.published, source: article.sourceTitle, lang: article.language, gold };
    golds[i++] = gold;
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return golds;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [n, file] = process.argv.slice(2);
  if (n === undefined || file === undefined || !Number.isInteger(Number(n))) {
    process.stderr.write('usage: tsx bench/cluster/export-corpus.ts N FILE\n');
    process.exit(64);
  }
  await exportCorpus(Number(n), file);
}

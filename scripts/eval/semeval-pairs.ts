import { readdirSync } from 'node:fs';
import path from 'node:path';
import { clusterBatch, readClusterInput } from '../../src/cli/cluster-command.js';

/** Pair files of `semeval-dev`: `NNNN-l1-l2-OK|BAD.jsonl`, two lines ready for `feedfold cluster`. */
const PAIR_FILE = /^\d+-([a-z]{2,3})-([a-z]{2,3})-(OK|BAD)\.jsonl$/;

/** One judged pair and what the clustering made of it. */
export interface PairDecision {
  file: string;
  /** The two articles' languages, as the file name gives them. */
  languages: readonly [string, string];
  /** True when the two articles are in two languages. */
  crossLanguage: boolean;
  /** True when both articles come from one site (their links share a host): posts of one source, kept apart by design. */
  sameOutlet: boolean;
  /** The gold label: the two articles report the same story. */
  same: boolean;
  folded: boolean;
  /** Score of the joining decision when folded; else the score the pair gets when any score joins (0 when no candidate was found). */
  score: number;
}

/** Precision and recall of folding over a set of pairs, with their counts. */
export interface PairScores {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

/**
 * Decides each pair of the folder by clustering its two lines in-process through `clusterBatch`,
 * the code path of `feedfold cluster` (same normalization, same ordering by date, an undated line
 * kept undated as the command keeps it).
 */
export async function decideSemevalPairs(dir: string): Promise<PairDecision[]> {
  const out: PairDecision[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = PAIR_FILE.exec(file);
    if (!m) continue;
    const inputs = await readClusterInput(path.join(dir, file));
    if (inputs.length !== 2) throw new Error(`eval-semeval: ${file} has ${inputs.length} lines, not 2`);
    const [a, b] = clusterBatch(inputs);
    if (!a || !b) throw new Error(`eval-semeval: ${file} gave no decision`);
    const folded = a.story === b.story;
    // For a pair left apart, the score it would have joined with shows how far under the threshold it fell.
    const open = folded ? [a, b] : clusterBatch(inputs, { threshold: Number.MIN_VALUE });
    out.push({ file, languages: [m[1] as string, m[2] as string], crossLanguage: m[1] !== m[2], sameOutlet: hostOf(inputs[0]?.url) !== undefined && hostOf(inputs[0]?.url) === hostOf(inputs[1]?.url), same: m[3] === 'OK', folded, score: Math.max(...open.map((d) => d.score)) });
  }
  return out;
}

/** The host of a link without `www.`, or undefined. */
function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname.replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

/** Scores folding as a same-story prediction: precision over folded pairs, recall over same-story pairs. */
export function scorePairs(pairs: readonly PairDecision[]): PairScores {
  const tp = pairs.filter((p) => p.folded && p.same).length;
  const fp = pairs.filter((p) => p.folded && !p.same).length;
  const fn = pairs.filter((p) => !p.folded && p.same).length;
  // No folds at all means no wrong fold: precision 1 by convention, recall tells the rest.
  return { tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}

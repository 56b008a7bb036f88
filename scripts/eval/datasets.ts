import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { EvalItem } from './eval-item.js';
import { readArticleDir, readArticleFile } from './seed-dataset.js';
import { loadUci } from './uci-dataset.js';
import { generateVariants } from './variant-dataset.js';

/** Seed of the variant generator; fixed so every run evaluates the same labelled set. */
export const VARIANT_SEED = 20250301;
export const SEEDS_GOLD = 'seeds-kim-basinger-alec-baldwin';

/** Fixture articles that report the story of another fixture (another outlet's version); every other is its own story. */
const FIXTURE_SAME_STORY: Record<string, string> = { 'ecb-rewrite-other-outlet.txt': 'unrelated-ecb-holds-rates.txt' };

/** Where the evaluation reads its inputs. */
export interface EvalPaths {
  uciCsv: string;
  seedsDir: string;
  fixturesDir: string;
}

/** Returns the default input paths relative to the repository root. */
export function defaultEvalPaths(root: string): EvalPaths {
  return {
    uciCsv: path.resolve(root, '..', 'shared', 'corpora', 'uci-news-dev', 'uci-news-dev.csv'),
    seedsDir: path.join(root, 'seeds'),
    fixturesDir: path.join(root, 'test', 'fixtures', 'cluster'),
  };
}

/** Loads the UCI dev headlines, or undefined when the shared corpora are absent. */
export function uciItems(paths: EvalPaths): EvalItem[] | undefined {
  return existsSync(paths.uciCsv) ? loadUci(paths.uciCsv) : undefined;
}

/** Loads the five seeds (one story) and the cluster fixture articles (their own stories, same-people and same-place negatives included). */
export function seedItems(paths: EvalPaths): EvalItem[] {
  const seeds = readArticleDir(paths.seedsDir, SEEDS_GOLD);
  const fixtures = readdirSync(paths.fixturesDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readArticleFile(path.join(paths.fixturesDir, f), `fixture-${FIXTURE_SAME_STORY[f] ?? f}`));
  return [...seeds, ...fixtures];
}

/** Generates the labelled variant set from the seeds and fixtures (real text), deterministically. */
export function variantItems(paths: EvalPaths): EvalItem[] {
  return generateVariants(seedItems(paths), VARIANT_SEED);
}

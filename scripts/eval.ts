/**
 * `npm run eval`: B-cubed precision/recall/F1 of feedfold's clustering (through `feedfold cluster`) on the UCI dev
 * headlines, the five seeds, and generated variants of real text, beside the greedy title baseline; then the
 * folds of one day of real feeds run through `feedfold run`, and the judged full-text pairs of semeval-dev, beside
 * the previous release's decisions on them (`eval-xl`, `eval-same-lang`). `--semeval-dir=DIR` (repeatable) adds the
 * same two lines for another folder of pairs in semeval-dev's format; `../shared-extra/semeval-extra` is read when
 * no folder is given and it exists. `--verbose` lists every wrong fold of the day and every pair's decision.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CLUSTER_OPTIONS } from '../src/cluster/create-story-index.js';
import { bcubed, type BCubed } from './eval/bcubed.js';
import { clusterDirect } from './eval/cluster-direct.js';
import { clusterViaCli, hasClusterCli, REPO_ROOT } from './eval/cluster-cli.js';
import { defaultEvalPaths, seedItems, SEEDS_GOLD, uciItems, variantItems } from './eval/datasets.js';
import type { EvalItem } from './eval/eval-item.js';
import { evalRealFeeds, realFeedsLines, realFeedsSummary } from './eval/real-feeds-eval.js';
import type { RealFoldCounts } from './eval/real-feeds-count.js';
import { decideSemevalPairs, scorePairs, type PairDecision, type PairScores } from './eval/semeval-pairs.js';
import { releaseLines } from './eval/semeval-release.js';
import { BASELINE_TITLE_THRESHOLD, greedyTitleBaseline } from './eval/title-baseline.js';

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const f3 = (x: number): string => x.toFixed(3);
const fmt = (r: BCubed): string => `P=${f3(r.precision)} R=${f3(r.recall)} F1=${f3(r.f1)}`;

/** Clusters with the CLI when present (the real batch path), else with the index directly. */
function cluster(items: readonly EvalItem[], viaCli: boolean): string[] {
  return viaCli ? clusterViaCli(items) : clusterDirect(items).labels;
}

function report(name: string, items: readonly EvalItem[], viaCli: boolean): { ours: BCubed; labels: string[] } {
  const gold = items.map((i) => i.gold);
  const labels = cluster(items, viaCli);
  const ours = bcubed(gold, labels);
  const baseline = bcubed(gold, greedyTitleBaseline(items));
  out(`${name.padEnd(10)} n=${String(items.length).padStart(5)} stories=${new Set(gold).size}  feedfold ${fmt(ours)}   baseline(title Dice ≥ ${BASELINE_TITLE_THRESHOLD}) ${fmt(baseline)}`);
  return { ours, labels };
}

const CORPORA = path.resolve(REPO_ROOT, '..', 'shared', 'corpora');
const REAL_FEEDS_DIR = path.join(CORPORA, 'real-feeds');
const SEMEVAL_DIR = path.join(CORPORA, 'semeval-dev');
/** Held-out pairs of the same task kept outside the repository (their texts belong to their publishers). */
const DEFAULT_EXTRA_SEMEVAL_DIR = path.resolve(REPO_ROOT, '..', 'shared-extra', 'semeval-extra');

/** Runs the real-feeds day and prints its section; undefined when the corpus is absent. */
function realFeeds(verbose: boolean): RealFoldCounts | undefined {
  if (!existsSync(REAL_FEEDS_DIR)) {
    out(`eval-real: ${REAL_FEEDS_DIR} is absent (the shared corpora sit beside the checkout); skipped`);
    return undefined;
  }
  const r = evalRealFeeds(REPO_ROOT, REAL_FEEDS_DIR);
  for (const line of realFeedsLines(r, verbose)) out(line);
  return r.counts;
}

const pairFmt = (s: PairScores): string => `P=${f3(s.precision)} R=${f3(s.recall)} (${s.tp}/${s.fp}/${s.fn})`;

const listPairs = (pairs: readonly PairDecision[]): void => {
  for (const p of pairs) out(`  pair ${p.file.padEnd(22)} ${p.same ? 'same ' : 'diff '} ${p.folded ? 'folded    ' : 'not folded'} score=${f3(p.score)}`);
};

/** Decides the semeval-dev pairs (listing each with --verbose) and returns the summary lines; undefined when the corpus is absent. */
async function semeval(verbose: boolean): Promise<string[] | undefined> {
  if (!existsSync(SEMEVAL_DIR)) {
    out(`eval-semeval: ${SEMEVAL_DIR} is absent (the shared corpora sit beside the checkout); skipped, and eval-xl and eval-same-lang with it`);
    return undefined;
  }
  const pairs = await decideSemevalPairs(SEMEVAL_DIR);
  if (verbose) listPairs(pairs);
  const xl = scorePairs(pairs.filter((p) => p.crossLanguage));
  // Two articles of one site are two posts for a reader (a follow-up, another angle), whatever the judges said of their
  // story: the same-source rule keeps them apart, so they are counted on their own.
  const same = scorePairs(pairs.filter((p) => !p.crossLanguage && !p.sameOutlet));
  const outlet = scorePairs(pairs.filter((p) => p.sameOutlet));
  return [`eval-semeval: xl ${pairFmt(xl)} same-lang ${pairFmt(same)} same-outlet ${pairFmt(outlet)} pairs=${pairs.length}`, ...releaseLines(REPO_ROOT, SEMEVAL_DIR, pairs)];
}

/** Decides each further pair folder that exists (listing its pairs with --verbose) and returns its two release lines. */
async function extraSemeval(dirs: readonly string[], verbose: boolean): Promise<string[]> {
  const lines: string[] = [];
  for (const dir of dirs.filter((d) => existsSync(d))) {
    const pairs = await decideSemevalPairs(dir);
    if (verbose) {
      out(`${path.basename(dir)}:`);
      listPairs(pairs);
    }
    lines.push(...releaseLines(REPO_ROOT, dir, pairs, path.basename(dir)));
  }
  return lines;
}

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');
  const given = process.argv.filter((a) => a.startsWith('--semeval-dir=')).map((a) => path.resolve(a.slice('--semeval-dir='.length)));
  const extraDirs = given.length > 0 ? given : [DEFAULT_EXTRA_SEMEVAL_DIR];
  const paths = defaultEvalPaths(REPO_ROOT);
  const viaCli = hasClusterCli();
  out(`eval: clustering through ${viaCli ? '`feedfold cluster` (src/cli/main.ts)' : 'the story index directly (src/cli/cluster-command.ts is absent)'}; threshold ${DEFAULT_CLUSTER_OPTIONS.threshold}`);

  const uci = uciItems(paths);
  let uciResult: BCubed | undefined;
  if (uci === undefined) out(`eval: ${paths.uciCsv} is absent (the shared corpora sit beside the checkout); UCI dev skipped`);
  else uciResult = report('uci-dev', uci, viaCli).ours;

  const seeds = seedItems(paths);
  const seedRun = report('seeds', seeds, viaCli);
  const seedStories = new Set(seedRun.labels.filter((_, i) => seeds[i]?.gold === SEEDS_GOLD));
  const pulledIn = seeds.filter((s, i) => s.gold !== SEEDS_GOLD && seedStories.has(seedRun.labels[i] as string)).map((s) => s.id);
  out(`seeds: the five seeds fall into ${seedStories.size} story(ies); fixture articles pulled in: ${pulledIn.length === 0 ? 'none' : pulledIn.join(', ')}`);

  report('variants', variantItems(paths), viaCli);

  const real = realFeeds(verbose);
  const pairs = await semeval(verbose);
  const extra = await extraSemeval(extraDirs, verbose);

  const u = uciResult;
  out(`eval: uci-dev P=${u ? f3(u.precision) : 'n/a'} R=${u ? f3(u.recall) : 'n/a'} F1=${u ? f3(u.f1) : 'n/a'} seeds-stories=${seedStories.size}`);
  // The day's and the pairs' figures right after the last line, so one grep for "^eval" finds them all.
  if (real) out(realFeedsSummary(real));
  for (const line of [...(pairs ?? []), ...extra]) out(line);
}

await main();

/**
 * `npm run eval`: B-cubed precision/recall/F1 of feedfold's clustering (through `feedfold cluster`) on the UCI dev
 * headlines, the five seeds, and generated variants of real text, beside the greedy title baseline.
 */
import { DEFAULT_CLUSTER_OPTIONS } from '../src/cluster/create-story-index.js';
import { bcubed, type BCubed } from './eval/bcubed.js';
import { clusterDirect } from './eval/cluster-direct.js';
import { clusterViaCli, hasClusterCli, REPO_ROOT } from './eval/cluster-cli.js';
import { defaultEvalPaths, seedItems, SEEDS_GOLD, uciItems, variantItems } from './eval/datasets.js';
import type { EvalItem } from './eval/eval-item.js';
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

function main(): void {
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

  const u = uciResult;
  out(`eval: uci-dev P=${u ? f3(u.precision) : 'n/a'} R=${u ? f3(u.recall) : 'n/a'} F1=${u ? f3(u.f1) : 'n/a'} seeds-stories=${seedStories.size}`);
}

main();

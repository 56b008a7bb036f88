/**
 * Prints B-cubed figures on the UCI dev headlines for sets of clustering options, through the same batch path as
 * `feedfold cluster` (in-process): `npx tsx scripts/eval/sweep-options.ts '{"coreAgreement":0.5}' '{"coreAgreement":0}'`.
 * Options are merged over the defaults; `weights` are merged key by key.
 */
import { DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../../src/cluster/create-story-index.js';
import { clusterBatch } from '../../src/cli/cluster-command.js';
import { bcubed } from './bcubed.js';
import { REPO_ROOT } from './cluster-cli.js';
import { defaultEvalPaths, uciItems, variantItems } from './datasets.js';
import type { EvalItem } from './eval-item.js';

const paths = defaultEvalPaths(REPO_ROOT);
const sets: [string, EvalItem[] | undefined][] = [
  ['uci-dev', uciItems(paths)],
  ['variants', variantItems(paths)],
];
/** B-cubed figures of one labelled set clustered with the given options. */
function measure(items: readonly EvalItem[], options: ClusterOptions): string {
  const labels = clusterBatch(items.map(({ gold: _gold, ...line }) => line), options).map((o) => o.story);
  const r = bcubed(items.map((i) => i.gold), labels);
  return `P=${r.precision.toFixed(3)} R=${r.recall.toFixed(3)} F1=${r.f1.toFixed(3)}`;
}
for (const arg of process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['{}']) {
  const given = JSON.parse(arg) as Partial<ClusterOptions>;
  const options: ClusterOptions = { ...DEFAULT_CLUSTER_OPTIONS, ...given, weights: { ...DEFAULT_CLUSTER_OPTIONS.weights, ...(given.weights ?? {}) } };
  const figures = sets.map(([name, items]) => `${name} ${items === undefined ? 'absent' : measure(items, options)}`);
  process.stdout.write(`${arg}  ${figures.join('  ')}\n`);
}

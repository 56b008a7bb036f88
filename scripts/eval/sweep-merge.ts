/** Prints B-cubed figures on the UCI dev headlines for a range of story-merge thresholds (the sweep behind TUNING.md). */
import { bcubed } from './bcubed.js';
import { clusterViaCli, REPO_ROOT } from './cluster-cli.js';
import { defaultEvalPaths, uciItems } from './datasets.js';

const items = uciItems(defaultEvalPaths(REPO_ROOT));
if (items === undefined) {
  process.stdout.write('sweep: the UCI dev corpus is absent\n');
} else {
  // 2 (above 1) turns merging off: the figures before this step.
  const thresholds = (process.argv[2] ?? '2,0.7,0.6,0.5,0.4,0.3').split(',').map(Number);
  const extra = process.argv.slice(3);
  for (const t of thresholds) {
    const r = bcubed(items.map((i) => i.gold), clusterViaCli(items, ['--merge-threshold', String(t), ...extra]));
    process.stdout.write(`merge-threshold=${t} P=${r.precision.toFixed(3)} R=${r.recall.toFixed(3)} F1=${r.f1.toFixed(3)}\n`);
  }
}

/** Prints B-cubed figures on the UCI dev headlines for a range of thresholds (the sweep behind TUNING.md). */
import { bcubed } from './bcubed.js';
import { clusterViaCli, REPO_ROOT } from './cluster-cli.js';
import { defaultEvalPaths, uciItems } from './datasets.js';

const items = uciItems(defaultEvalPaths(REPO_ROOT));
if (items === undefined) {
  process.stdout.write('sweep: the UCI dev corpus is absent\n');
} else {
  const thresholds = (process.argv[2] ?? '0.15,0.2,0.25,0.3,0.35').split(',').map(Number);
  for (const t of thresholds) {
    const r = bcubed(items.map((i) => i.gold), clusterViaCli(items, ['--threshold', String(t)]));
    process.stdout.write(`threshold=${t} P=${r.precision.toFixed(3)} R=${r.recall.toFixed(3)} F1=${r.f1.toFixed(3)}\n`);
  }
}

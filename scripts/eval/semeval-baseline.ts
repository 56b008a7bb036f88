/**
 * Writes the pair decisions of this checkout on a semeval-style folder to a baseline file, so that `npm run eval` can
 * print a release's figures beside the current ones without keeping the old code path:
 *
 *   npx tsx scripts/eval/semeval-baseline.ts [--semeval-dir=DIR] [--out=FILE]
 *
 * Run at an older commit (copy this file into a checkout of it): it needs only `clusterBatch` and `readClusterInput`
 * of `src/cli/cluster-command.ts`, which every release since the batch command has, and decides each pair the way
 * `decideSemevalPairs` does (the two lines clustered together; a pair left apart gets the score it would have joined
 * with). The file holds the decisions and scores keyed by pair file name, never the corpus text.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterBatch, readClusterInput } from '../../src/cli/cluster-command.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PAIR_FILE = /^\d+-([a-z]{2,3})-([a-z]{2,3})-(OK|BAD)\.jsonl$/;

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const dir = path.resolve(arg('semeval-dir') ?? path.join(ROOT, '..', 'shared', 'corpora', 'semeval-dev'));
const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
const out = path.resolve(arg('out') ?? path.join(ROOT, 'scripts', 'eval', 'baselines', `${path.basename(dir)}-${commit.slice(0, 7)}.json`));

const pairs: Record<string, { folded: boolean; score: number }> = {};
for (const file of readdirSync(dir).sort()) {
  if (!PAIR_FILE.test(file)) continue;
  const inputs = await readClusterInput(path.join(dir, file));
  const [a, b] = clusterBatch(inputs);
  if (inputs.length !== 2 || !a || !b) throw new Error(`semeval-baseline: ${file} is not a pair`);
  const folded = a.story === b.story;
  const open = folded ? [a, b] : clusterBatch(inputs, { threshold: Number.MIN_VALUE });
  pairs[file] = { folded, score: Math.max(...open.map((d) => d.score)) };
}

// The command names the corpus and the baseline file from the checkout it is run in (the shared corpora sit beside
// it); a folder elsewhere keeps its absolute path.
const short = commit.slice(0, 7);
const tmp = `/tmp/feedfold-${short}`;
const dirArg = path.basename(dir) === 'semeval-dev' ? '"$OLDPWD/../shared/corpora/semeval-dev"' : dir;
const inRepo = /(?:^|\/)(scripts\/eval\/baselines\/[^/]+)$/.exec(out);
const outArg = inRepo ? `"$OLDPWD/${inRepo[1]}"` : out;
const header = {
  commit,
  corpus: path.basename(dir),
  regenerate: [
    `git worktree add --detach ${tmp} ${short}`,
    `cp scripts/eval/semeval-baseline.ts ${tmp}/scripts/eval/`,
    `ln -s "$PWD/node_modules" ${tmp}/node_modules`,
    `(cd ${tmp} && npx tsx scripts/eval/semeval-baseline.ts --semeval-dir=${dirArg} --out=${outArg})`,
    `git worktree remove --force ${tmp}`,
  ].join(' && '),
};
mkdirSync(path.dirname(out), { recursive: true });
// One line per pair, so a regenerated file diffs pair by pair.
const body = Object.entries(pairs).map(([file, d]) => `  ${JSON.stringify(file)}: ${JSON.stringify(d)}`);
const head = JSON.stringify(header, null, 1).replace(/\n}$/, '');
writeFileSync(out, `${head},\n "pairs": {\n${body.join(',\n')}\n }\n}\n`);
process.stdout.write(`semeval-baseline: ${Object.keys(pairs).length} pairs of ${dir} at ${commit.slice(0, 7)} written to ${out}\n`);

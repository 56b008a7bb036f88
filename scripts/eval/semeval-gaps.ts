/**
 * Hours between the two articles of each judged pair, same story against different, and what the story window makes
 * of them: `npx tsx scripts/eval/semeval-gaps.ts [--semeval-dir=DIR ...] [--windows=72,168,336]`. Reads semeval-dev
 * (and `../shared-extra/semeval-extra` when no folder is given and it exists); prints one table of gaps per folder,
 * then the folds of the pairs through `feedfold cluster`'s code at each window.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { clusterBatch, readClusterInput, type ClusterInput } from '../../src/cli/cluster-command.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
import { parseDate } from '../../src/parse/parse-date.js';
import { REPO_ROOT } from './cluster-cli.js';
import { scorePairs, type PairDecision } from './semeval-pairs.js';
import { isKind, type PairKind } from './semeval-release.js';

const PAIR_FILE = /^\d+-([a-z]{2,3})-([a-z]{2,3})-(OK|BAD)\.jsonl$/;
const MS_PER_HOUR = 3_600_000;

/** Gap buckets in hours: upper bounds, the last open. */
export const GAP_BUCKETS = [24, 72, 168, 336, Number.POSITIVE_INFINITY] as const;

/** One pair with its two lines and the hours between their dates (undefined when a side is undated). */
interface GapPair {
  decision: Omit<PairDecision, 'folded' | 'score'>;
  inputs: ClusterInput[];
  hours?: number;
}

const timeOf = (i: ClusterInput | undefined): number | undefined => {
  const iso = i?.published === undefined ? undefined : typeof i.published === 'number' ? new Date(i.published).toISOString() : parseDate(i.published);
  return iso === undefined ? undefined : Date.parse(iso);
};

const hostOf = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url).hostname.replace(/^www\./, '') || undefined : undefined;
  } catch {
    return undefined;
  }
};

async function readPairs(dir: string): Promise<GapPair[]> {
  const out: GapPair[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = PAIR_FILE.exec(file);
    if (!m) continue;
    const inputs = await readClusterInput(path.join(dir, file));
    const [a, b] = [timeOf(inputs[0]), timeOf(inputs[1])];
    const host = hostOf(inputs[0]?.url);
    const decision = { file, languages: [m[1] as string, m[2] as string] as const, crossLanguage: m[1] !== m[2], sameOutlet: host !== undefined && host === hostOf(inputs[1]?.url), same: m[3] === 'OK' };
    out.push({ decision, inputs, ...(a !== undefined && b !== undefined ? { hours: Math.abs(a - b) / MS_PER_HOUR } : {}) });
  }
  return out;
}

/** Returns the label of the bucket a gap falls in. */
export function bucketOf(hours: number | undefined): string {
  if (hours === undefined) return 'undated';
  const i = GAP_BUCKETS.findIndex((b) => hours <= b);
  const lo = i === 0 ? 0 : GAP_BUCKETS[i - 1];
  const hi = GAP_BUCKETS[i] as number;
  return Number.isFinite(hi) ? `${lo}–${hi} h` : `> ${lo} h`;
}

const pct = (xs: number[], q: number): string => {
  if (xs.length === 0) return '–';
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] as number).toFixed(0);
};

function gapTable(name: string, pairs: readonly GapPair[]): void {
  const labels = [...GAP_BUCKETS.map((b) => bucketOf(b)), 'undated'];
  const kinds: [string, (p: GapPair) => boolean][] = [
    ['xl same', (p) => p.decision.crossLanguage && p.decision.same],
    ['xl diff', (p) => p.decision.crossLanguage && !p.decision.same],
    ['same-lang same', (p) => !p.decision.crossLanguage && p.decision.same],
    ['same-lang diff', (p) => !p.decision.crossLanguage && !p.decision.same],
  ];
  process.stdout.write(`${name}: hours between the two articles of a pair (both dated), pairs per bucket\n`);
  process.stdout.write(`| pairs | ${labels.join(' | ')} | median h | 90th pct h | max h |\n|${' --- |'.repeat(labels.length + 4)}\n`);
  for (const [kind, keep] of kinds) {
    const mine = pairs.filter(keep);
    const hours = mine.flatMap((p) => (p.hours === undefined ? [] : [p.hours]));
    const counts = labels.map((l) => mine.filter((p) => bucketOf(p.hours) === l).length);
    process.stdout.write(`| ${kind} (${mine.length}) | ${counts.join(' | ')} | ${pct(hours, 0.5)} | ${pct(hours, 0.9)} | ${hours.length ? Math.max(...hours).toFixed(0) : '–'} |\n`);
  }
}

function windowTable(name: string, pairs: readonly GapPair[], windows: readonly number[]): void {
  process.stdout.write(`${name}: folds at each window (tp/fp/fn, same_recall, precision)\n| window h | xl | same-lang |\n| --- | --- | --- |\n`);
  for (const windowHours of windows) {
    const decided: PairDecision[] = pairs.map((p) => {
      const [a, b] = clusterBatch(p.inputs, { windowHours });
      return { ...p.decision, folded: a !== undefined && a.story === b?.story, score: 0 };
    });
    const cell = (kind: PairKind): string => {
      const s = scorePairs(decided.filter((d) => isKind(d, kind)));
      return `${s.tp}/${s.fp}/${s.fn} R=${s.recall.toFixed(3)} P=${s.precision.toFixed(3)}`;
    };
    process.stdout.write(`| ${windowHours}${windowHours === DEFAULT_CLUSTER_OPTIONS.windowHours ? ' (default)' : ''} | ${cell('xl')} | ${cell('same-lang')} |\n`);
  }
}

async function main(): Promise<void> {
  const given = process.argv.filter((a) => a.startsWith('--semeval-dir=')).map((a) => path.resolve(a.slice('--semeval-dir='.length)));
  const dirs = given.length > 0 ? given : [path.resolve(REPO_ROOT, '..', 'shared', 'corpora', 'semeval-dev'), path.resolve(REPO_ROOT, '..', 'shared-extra', 'semeval-extra')];
  const windows = (process.argv.find((a) => a.startsWith('--windows='))?.slice('--windows='.length) ?? '72,168,336,720').split(',').map(Number);
  let any = false;
  for (const dir of dirs.filter((d) => existsSync(d))) {
    any = true;
    const pairs = await readPairs(dir);
    gapTable(path.basename(dir), pairs);
    windowTable(path.basename(dir), pairs, windows);
  }
  if (!any) process.stdout.write(`semeval-gaps: none of ${dirs.join(', ')} exists (the shared corpora sit beside the checkout); nothing to measure\n`);
}

await main();

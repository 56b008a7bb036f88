import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scorePairs, type PairDecision, type PairScores } from './semeval-pairs.js';

/** The release the `eval-xl` and `eval-same-lang` lines compare with: its decisions are stored, not its code. */
export const PREVIOUS_RELEASE = 'b890dfd';

/** A release's decisions on one pair folder, written by `scripts/eval/semeval-baseline.ts`. */
export interface SemevalBaseline {
  commit: string;
  corpus: string;
  pairs: Readonly<Record<string, { folded: boolean; score: number }>>;
}

/** The two kinds of pair the release lines report: two languages, and one language other than English. */
export type PairKind = 'xl' | 'same-lang';

/** Figures of one kind of pair: now, and for the stored release over the same pair files. */
export interface ReleaseRow {
  kind: PairKind;
  pairs: number;
  current: PairScores;
  /** Undefined when no release decisions are stored for the folder. */
  previous?: PairScores & { commit: string; pairs: number };
}

/**
 * Tells whether a pair counts for a kind. Pairs from one site count in `same-lang` as judged, in both columns: the
 * release before the same-source rule folded two of them, and counting them keeps that visible.
 */
export function isKind(p: PairDecision, kind: PairKind): boolean {
  return kind === 'xl' ? p.crossLanguage : !p.crossLanguage && p.languages[0] !== 'en';
}

/** Scores one kind of pair now and, over the pair files the baseline also decided, as the stored release did. */
export function releaseRow(kind: PairKind, decisions: readonly PairDecision[], baseline?: SemevalBaseline): ReleaseRow {
  const mine = decisions.filter((p) => isKind(p, kind));
  const row: ReleaseRow = { kind, pairs: mine.length, current: scorePairs(mine) };
  if (!baseline) return row;
  const old = mine.flatMap((p) => {
    const b = baseline.pairs[p.file];
    return b ? [{ ...p, folded: b.folded, score: b.score }] : [];
  });
  return { ...row, previous: { ...scorePairs(old), commit: baseline.commit, pairs: old.length } };
}

const f3 = (x: number): string => x.toFixed(3);

/**
 * Formats a row as `eval-xl: pairs=65 same_recall=0.419 precision=1.000 previous(b890dfd): same_recall=… precision=…`;
 * a folder other than semeval-dev is named in brackets after the kind, and a release that decided fewer of the
 * pair files says how many.
 */
export function formatReleaseRow(row: ReleaseRow, folder?: string): string {
  const head = `eval-${row.kind}${folder ? `[${folder}]` : ''}: pairs=${row.pairs} same_recall=${f3(row.current.recall)} precision=${f3(row.current.precision)}`;
  const p = row.previous;
  if (!p) return `${head} previous(${PREVIOUS_RELEASE}): not stored`;
  const of = p.pairs === row.pairs ? '' : `, ${p.pairs} of ${row.pairs} pairs`;
  return `${head} previous(${p.commit.slice(0, 7)}${of}): same_recall=${f3(p.recall)} precision=${f3(p.precision)}`;
}

/**
 * Reads the stored release decisions for a pair folder: `scripts/eval/baselines/<folder>-<release>.json` in the
 * repository, else `baseline-<release>.json` inside the folder (a corpus kept outside the repository keeps its
 * decisions beside it); undefined when neither exists.
 */
export function readBaseline(repoRoot: string, dir: string): SemevalBaseline | undefined {
  const candidates = [path.join(repoRoot, 'scripts', 'eval', 'baselines', `${path.basename(dir)}-${PREVIOUS_RELEASE}.json`), path.join(dir, `baseline-${PREVIOUS_RELEASE}.json`)];
  const file = candidates.find((f) => existsSync(f));
  if (!file) return undefined;
  const b = JSON.parse(readFileSync(file, 'utf8')) as SemevalBaseline;
  if (b.corpus !== path.basename(dir)) throw new Error(`eval: ${file} holds decisions on ${b.corpus}, not ${path.basename(dir)}`);
  return b;
}

/** Gives the `eval-xl` and `eval-same-lang` lines of a pair folder, each beside the stored release's figures. */
export function releaseLines(repoRoot: string, dir: string, pairs: readonly PairDecision[], folder?: string): string[] {
  const baseline = readBaseline(repoRoot, dir);
  return (['xl', 'same-lang'] as const).map((kind) => formatReleaseRow(releaseRow(kind, pairs, baseline), folder));
}

import { rmSync } from 'node:fs';
import type { CorpusItem, SkippedFile } from './real-feeds-corpus.js';
import { readRealFeeds } from './real-feeds-corpus.js';
import { countRealFolds, type CountedItem, type RealFoldCounts } from './real-feeds-count.js';
import { REAL_DAY_NOW, runRealFeedsDay, type DayResult } from './real-feeds-day.js';

/** Worst wrong folds listed without --verbose. */
const WORST_SHOWN = 8;
/** Members named per listed fold. */
const MEMBERS_SHOWN = 8;

/** The real-feeds day: what was read, what the run published, and the counts. */
export interface RealFeedsEval {
  counts: RealFoldCounts;
  skipped: SkippedFile[];
  reused: string[];
  day: DayResult;
  items: CorpusItem[];
}

/** Reduces a corpus item to what the counting needs. */
export function countedOf(it: CorpusItem): CountedItem {
  return { key: it.key, file: it.file, family: it.family, link: it.link, title: it.entry.title ?? '' };
}

/** Reads the corpus, runs the day through the built CLI and counts the folds; the temp dir is removed unless `keepDir`. */
export function evalRealFeeds(repoRoot: string, corpusDir: string, opts: { keepDir?: boolean; dir?: string } = {}): RealFeedsEval {
  const { feeds, skipped } = readRealFeeds(corpusDir);
  const items = feeds.flatMap((f) => f.items);
  const day = runRealFeedsDay(repoRoot, feeds, REAL_DAY_NOW, opts.dir);
  if (!opts.keepDir && opts.dir === undefined) rmSync(day.dir, { recursive: true, force: true });
  const counts = countRealFolds(items.map(countedOf), day.entries);
  return { counts, skipped, reused: feeds.filter((f) => f.reused > 0).map((f) => `${f.file} (${f.reused})`), day, items };
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Formats the section before the summary line: notes on the corpus and the run, and the worst wrong folds. */
export function realFeedsLines(r: RealFeedsEval, verbose: boolean): string[] {
  const c = r.counts;
  const lines: string[] = [];
  const notes = [
    ...r.skipped.map((s) => `${s.file} not read (${clip(s.reason, 60)})`),
    ...(r.reused.length ? [`items made unique where a feed reuses a link or guid: ${r.reused.join(', ')}`] : []),
    ...(c.unpublished.length ? [`${c.unpublished.length} item(s) not in the merged feed: ${clip(c.unpublished.join(' '), 120)}`] : []),
    ...(r.day.unmapped.length ? [`${r.day.unmapped.length} link(s) of the merged feed map to no item`] : []),
  ];
  for (const note of notes) lines.push(`  real-feeds: ${note}`);
  const shown = verbose ? c.worst : c.worst.slice(0, WORST_SHOWN);
  for (const w of shown) {
    const members = w.members.length > MEMBERS_SHOWN ? [...w.members.slice(0, MEMBERS_SHOWN), `+${w.members.length - MEMBERS_SHOWN}`] : w.members;
    lines.push(`  wrong fold: ${String(w.wrongPairs).padStart(3)} pair(s) in "${clip(w.title, 50)}": ${members.join(' ')}`);
  }
  if (shown.length < c.worst.length) lines.push(`  … ${c.worst.length - shown.length} more entries with wrong folds (--verbose lists them; scripts/eval/real-feeds-folds.ts shows why)`);
  return lines;
}

/** Formats the one-line summary of the day. */
export function realFeedsSummary(c: RealFoldCounts): string {
  return `eval-real: items=${c.items} wrong_pairs=${c.wrongPairs} wrong_items=${c.wrongItems} format_pairs=${c.formatPairsFolded}/${c.formatPairsTotal} cross_family_pairs=${c.crossFamilyPairs}`;
}

/**
 * Prints every fold of the real-feeds day with the evidence of each decision, for tuning the clustering:
 * `npm run build --silent && npx tsx scripts/eval/real-feeds-folds.ts [--wrong] [--keep]`.
 * `--wrong` lists only entries holding a wrong pair; `--keep` keeps the day's folder (config, feeds,
 * out/ with feedfold.db and feedfold.log) so `feedfold explain` can be run in it.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { canonicalUrl } from '../../src/normalize/canonical-url.js';
import { REPO_ROOT } from './cluster-cli.js';
import type { CorpusItem } from './real-feeds-corpus.js';
import { judgePair } from './real-feeds-count.js';
import { sourceIdOf } from './real-feeds-day.js';
import { countedOf, evalRealFeeds, realFeedsSummary } from './real-feeds-eval.js';

/** The fields of a `decision` record of the NDJSON log that explain a fold. */
interface DecisionRecord {
  action: string;
  story: string;
  score?: number;
  article: { source: string; url?: string; title?: string };
  evidence?: Record<string, unknown>;
  runnerUp?: { storyId: string; score: number };
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** Reads the decision records of the run's log, skipping other records and lines that are not JSON. */
export function readDecisions(logFile: string): DecisionRecord[] {
  const records: DecisionRecord[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"decision"')) continue;
    try {
      const r = JSON.parse(line) as Partial<DecisionRecord> & { msg?: string };
      if (r.msg === 'decision' && typeof r.story === 'string' && r.article && typeof r.article.source === 'string') records.push(r as DecisionRecord);
    } catch {
      // A torn last line of a killed run: nothing to explain.
    }
  }
  return records;
}

function evidenceText(d: DecisionRecord | undefined): string {
  if (d === undefined) return 'no decision in the log';
  const parts = [d.action, ...(d.score !== undefined && d.action !== 'new-story' ? [`score=${d.score}`] : [])];
  for (const [k, v] of Object.entries(d.evidence ?? {})) parts.push(`${k}=${Array.isArray(v) ? `[${v.join(',')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  if (d.runnerUp) parts.push(`runnerUp=${d.runnerUp.score}`);
  return parts.join(' ');
}

function main(): void {
  const args = process.argv.slice(2);
  const onlyWrong = args.includes('--wrong');
  const keep = args.includes('--keep');
  const corpus = path.resolve(REPO_ROOT, '..', 'shared', 'corpora', 'real-feeds');
  const r = evalRealFeeds(REPO_ROOT, corpus, { keepDir: true });
  try {
    const decisions = readDecisions(path.join(r.day.dir, 'out', 'feedfold.log'));
    const byKey = new Map(r.items.map((it) => [it.key, it]));
    for (const entry of r.day.entries) {
      if (entry.members.length < 2) continue;
      const members = entry.members.map((k) => byKey.get(k)).filter((it): it is CorpusItem => it !== undefined);
      const pairs: string[] = [];
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
          const a = members[i] as CorpusItem;
          const b = members[j] as CorpusItem;
          const kind = judgePair(countedOf(a), countedOf(b));
          pairs.push(`${a.key} × ${b.key}: ${kind}`);
        }
      }
      const wrong = pairs.filter((p) => p.endsWith('wrong-same-feed') || p.endsWith('wrong-same-family')).length;
      if (onlyWrong && wrong === 0) continue;
      out(`entry "${entry.title}" ${entry.id}: ${members.length} items, ${pairs.length} pairs, ${wrong} wrong`);
      // Items of one source sharing a canonical URL (links differing by a fragment) take that source's decisions in log order.
      const pool = decisions.filter((d) => d.story === entry.id);
      for (const m of members) {
        const url = canonicalUrl(m.link);
        const at = pool.findIndex((d) => d.article.source === sourceIdOf(m.file) && d.article.url === url);
        const d = at === -1 ? undefined : pool.splice(at, 1)[0];
        out(`  ${m.key.padEnd(26)} "${(m.entry.title ?? '').slice(0, 60)}" ${evidenceText(d)}`);
      }
      for (const p of pairs) out(`    ${p}`);
    }
    out(realFeedsSummary(r.counts));
    if (keep) out(`real-feeds-folds: the day is kept in ${r.day.dir} (feedfold explain -c ${path.join(r.day.dir, 'config.yaml')} <story-id>)`);
  } finally {
    if (!keep) rmSync(r.day.dir, { recursive: true, force: true });
  }
}

main();

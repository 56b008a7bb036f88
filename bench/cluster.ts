/**
 * `npm run bench:cluster`: clusters generated news-length corpora with planted duplicate groups at n = 10k, 100k and
 * 1M (`--quick`: 10k only; `--sizes=100000` chosen sizes; `--skip-naive` without the naive run), printing articles/s, peak RSS and planted-group precision/recall, then the naive all-pairs
 * string-similarity approach at n = 2,000 and the speed ratio; then the whole `feedfold cluster` process beside the Go
 * MinHash-LSH peer on the exported corpus at 30k (and at 1M in the full run; see cluster/process-run.ts).
 */
import stringSimilarity from 'string-similarity';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS } from '../src/cluster/create-story-index.js';
import { generateCorpus, type CorpusOptions } from './cluster/generate-corpus.js';
import { BENCH_CORPUS } from './cluster/export-corpus.js';
import { PlantedScores } from './cluster/planted-scores.js';
import { processRuns } from './cluster/process-run.js';
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { crossLanguageCosine, crossLanguageVector, type CrossLanguageVector } from '../src/cluster/cross-language.js';

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const CORPUS: CorpusOptions = BENCH_CORPUS;
const NAIVE_N = 2_000;
const NAIVE_THRESHOLD = 0.5;
/** Time the naive run may take; beyond it the remaining all-pairs cost is extrapolated from the measured pair rate. */
const NAIVE_BUDGET_MS = 30_000;
const KB_PER_MB = 1024;

const peakRssMb = (): number => process.resourceUsage().maxRSS / KB_PER_MB;

interface RunFigures {
  n: number;
  perSecond: number;
  usPerArticle: number;
  precision: number;
  recall: number;
  windowSize: number;
  wallS: number;
}

function runIndex(n: number): RunFigures {
  let next = 0;
  const index = createStoryIndex(DEFAULT_CLUSTER_OPTIONS, () => `${next++}`);
  const scores = new PlantedScores();
  let clusterMs = 0;
  const wall = performance.now();
  for (const { article, gold } of generateCorpus(n, CORPUS)) {
    const t = process.cpuUsage();
    const decision = index.assign(article);
    const d = process.cpuUsage(t);
    clusterMs += (d.user + d.system) / 1000;
    scores.add(gold, Number(decision.storyId));
  }
  const { precision, recall } = scores.result();
  return { n, perSecond: n / (clusterMs / 1000), usPerArticle: (clusterMs * 1000) / n, precision, recall, windowSize: index.size(), wallS: (performance.now() - wall) / 1000 };
}

function runNaive(): { perSecond: number; measuredArticles: number; precision: number; recall: number } {
  const texts: string[] = [];
  const labels: number[] = [];
  const scores = new PlantedScores();
  let pairs = 0;
  const start = performance.now();
  for (const { article, gold } of generateCorpus(NAIVE_N, CORPUS)) {
    if (performance.now() - start > NAIVE_BUDGET_MS) break;
    const text = `${article.title}\n${article.text}`;
    let best = -1;
    let bestScore = NAIVE_THRESHOLD;
    for (let j = 0; j < texts.length; j++) {
      const s = stringSimilarity.compareTwoStrings(text, texts[j] as string);
      pairs++;
      if (s >= bestScore) {
        bestScore = s;
        best = j;
      }
    }
    const label = best >= 0 ? (labels[best] as number) : texts.length;
    texts.push(text);
    labels.push(label);
    scores.add(gold, label);
  }
  const elapsedS = (performance.now() - start) / 1000;
  const allPairs = (NAIVE_N * (NAIVE_N - 1)) / 2;
  const { precision, recall } = scores.result();
  return { perSecond: NAIVE_N / ((elapsedS / Math.max(1, pairs)) * allPairs), measuredArticles: texts.length, precision, recall };
}

/** A multiply-add loop of `ops` steps (its own function, so the JIT compiles it whole before it is timed). */
function multiplyAddLoop(ops: number): number {
  let x = 0;
  for (let i = 0; i < ops; i++) x = (x + Math.imul(i, 2654435761)) | 0;
  return x;
}

/**
 * Measures the CPU nanoseconds per step of a simple multiply-add loop, so figures from a shared or throttled machine can
 * be read. The loop is warmed up first: timed cold, V8's on-stack replacement of the running loop reads several times
 * slower than the same loop compiled as a function.
 */
function calibrateNsPerOp(): number {
  const ops = 30_000_000;
  let sink = 0;
  for (let i = 0; i < 50; i++) sink ^= multiplyAddLoop(100_000);
  const t = process.cpuUsage();
  sink ^= multiplyAddLoop(ops);
  const d = process.cpuUsage(t);
  if (sink === 42) out('');
  return ((d.user + d.system) * 1000) / ops;
}

/**
 * The cost of the cross-language step, apart from the index: making an article's cross-language vector in a pass of
 * its own (the index counts the words in its scan instead, except for text whose letters the scan reads otherwise, see
 * foldsLikeScan), comparing two vectors (per candidate in another language), and the memory a vector adds to a member.
 * The vector is timed on 2,000 generated articles, the comparison on the bundled seeds (four English versions and
 * one German version of one story).
 */
function crossLanguageCost(): string {
  const texts: [string, string][] = [];
  for (const { article } of generateCorpus(2_000, CORPUS)) texts.push([article.title ?? '', article.text ?? '']);
  const vectors: CrossLanguageVector[] = [];
  for (const t of texts) vectors.push(crossLanguageVector(...t));
  const t0 = process.cpuUsage();
  const rounds = 5;
  for (let r = 0; r < rounds; r++) for (const t of texts) crossLanguageVector(...t);
  const d0 = process.cpuUsage(t0);
  const vectorUs = (d0.user + d0.system) / (rounds * texts.length);
  const bytes = vectors.reduce((sum, v) => sum + v.entries.byteLength, 0) / vectors.length;

  const seedDir = new URL('../seeds/', import.meta.url);
  const seeds = readdirSync(seedDir).sort().map((f) => crossLanguageVector(readFileSync(new URL(f, seedDir), 'utf8')));
  const pairs = 200_000;
  let sink = 0;
  const t1 = process.cpuUsage();
  for (let i = 0; i < pairs; i++) sink += crossLanguageCosine(seeds[i % seeds.length] as CrossLanguageVector, seeds[(i + 1) % seeds.length] as CrossLanguageVector);
  const d1 = process.cpuUsage(t1);
  if (sink < 0) out('');
  const cosineNs = ((d1.user + d1.system) * 1000) / pairs;
  return `bench-cluster-xl: vector_us=${vectorUs.toFixed(1)} compare_ns_per_candidate=${cosineNs.toFixed(0)} bytes_per_vector=${bytes.toFixed(0)}`;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // --sizes=10000,100000 runs only those sizes (for profiling one size); the default is the full set.
  const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
  const sizes = sizesArg !== undefined ? sizesArg.slice('--sizes='.length).split(',').map(Number) : quick ? [10_000] : [10_000, 100_000, 1_000_000];
  out(`bench-cluster: generated corpus (seed ${CORPUS.seed}, 250–400 words, planted groups of 1–5 versions, a story every ${CORPUS.storyIntervalS} s, window ${DEFAULT_CLUSTER_OPTIONS.windowHours} h); timing is the CPU time (user+system) of assign() calls, so other load on the machine does not count`);
  out(`calibration: ${calibrateNsPerOp().toFixed(2)} CPU ns per multiply-add loop step (lower is a faster or quieter core; read the figures below against it)`);
  const runs: RunFigures[] = [];
  let naiveLine: { text: string; perSecond: number } | undefined;
  for (const n of sizes) {
    const r = runIndex(n);
    runs.push(r);
    out(`n=${n}: ${r.perSecond.toFixed(0)} articles/s (${r.usPerArticle.toFixed(1)} µs/article), planted P=${r.precision.toFixed(4)} R=${r.recall.toFixed(4)}, window holds ${r.windowSize} articles, peak RSS ${peakRssMb().toFixed(0)} MB, wall ${r.wallS.toFixed(1)} s`);
    if (naiveLine === undefined && !process.argv.includes('--skip-naive')) {
      // The naive run comes right after the first size, so its figure is there even if a long run is cut short.
      const naive = runNaive();
      const ratio = r.perSecond / naive.perSecond;
      out(`naive all-pairs string-similarity (title+body, Dice ≥ ${NAIVE_THRESHOLD}) at n=${NAIVE_N}: ${naive.perSecond.toFixed(1)} articles/s (pair rate measured on the first ${naive.measuredArticles} articles, extrapolated to all ${(NAIVE_N * (NAIVE_N - 1)) / 2} pairs), planted P=${naive.precision.toFixed(3)} R=${naive.recall.toFixed(3)} on those; feedfold at n=${n} is ${ratio.toFixed(0)}x faster`);
      naiveLine = { text: ratio.toFixed(0), perSecond: naive.perSecond };
    }
  }
  const first = runs[0] as RunFigures;
  const last = runs[runs.length - 1] as RunFigures;
  out(`per-article time at n=${last.n} vs n=${first.n}: ${(last.usPerArticle / first.usPerArticle).toFixed(2)}x`);
  out(crossLanguageCost());
  // What the index holds per article of its window, measured in a process of its own with the collector forced.
  out(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./cluster/held-bytes.ts', import.meta.url))], { encoding: 'utf8' }).trim());
  out(`bench-cluster: n=${last.n} articles_per_s=${last.perSecond.toFixed(0)} peak_rss_mb=${peakRssMb().toFixed(0)} naive_ratio_at_2000=${naiveLine?.text ?? 'n/a'}`);
  // The whole process at 30k always; at 1M too in the full run (no --quick, no --sizes).
  const processSizes = quick || sizesArg !== undefined ? [30_000] : [30_000, 1_000_000];
  await processRuns(processSizes, (n) => (runs.find((r) => r.n === n) ?? runIndex(n)).perSecond, out);
}

await main();

/**
 * The whole `feedfold cluster` process on the exported bench corpus, and the Go MinHash-LSH peer on the same file in
 * the same run: CPU time (user+system) and peak RSS of each child, articles/s, and the planted precision/recall of
 * what each wrote: up to 100k lines in five rounds, the two alternating which goes first, with medians.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findChildMeter, type ChildCost, type ChildMeter } from './child-cost.js';
import { exportCorpus } from './export-corpus.js';
import { buildGoPeer, GO_PEER_INSTALL } from './go-peer.js';
import { PlantedScores } from './planted-scores.js';

const FEEDFOLD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'feedfold.js');
/** Peak RSS allowed to `feedfold cluster` on a million lines (issue 12, acceptance 3). */
const MAX_RSS_AT_1M_MB = 2048;
const BYTES_PER_MB = 1024 * 1024;

/**
 * Scores an output file (one `{"id","story"}` line per input line, in input order) against the planted stories; throws
 * when it has not one line per input line.
 */
async function plantedScores(outputFile: string, golds: Int32Array): Promise<{ precision: number; recall: number }> {
  const scores = new PlantedScores();
  const labels = new Map<string, number>();
  let i = 0;
  for await (const line of readline.createInterface({ input: createReadStream(outputFile), crlfDelay: Infinity })) {
    if (line === '') continue;
    if (i === golds.length) throw new Error(`bench: ${outputFile} has more lines than the ${golds.length} inputs`);
    const story = String((JSON.parse(line) as { story: unknown }).story);
    let label = labels.get(story);
    if (label === undefined) labels.set(story, (label = labels.size));
    scores.add(golds[i++] as number, label);
  }
  if (i !== golds.length) throw new Error(`bench: ${outputFile} has ${i} lines for ${golds.length} inputs`);
  return scores.result();
}

const fixed = (x: number, digits: number): string => x.toFixed(digits);

/** One line of figures for a measured child. */
function costLine(what: string, n: number, cost: ChildCost, pr: { precision: number; recall: number }): string {
  return `${what} at n=${n}: ${fixed(cost.cpuS, 1)} s CPU (user+sys), ${fixed(n / cost.cpuS, 0)} articles/s (${fixed((cost.cpuS * 1e6) / n, 0)} µs/article), peak RSS ${fixed(cost.peakRssMb, 0)} MB, wall ${fixed(cost.wallS, 1)} s, planted P=${fixed(pr.precision, 4)} R=${fixed(pr.recall, 4)}`;
}

/** Rounds of the two children at sizes up to this many lines; one above it (a million lines take minutes). */
const ROUNDS_UP_TO = 100_000;
/**
 * Rounds at those sizes. On a shared virtual machine one process's CPU time moves by ±15 % from run to run (the same
 * build, the same file, minutes apart); the median of five moves less than that of three.
 */
const ROUNDS = 5;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Runs both children on an exported corpus of `n` lines in `dir`, printing through `out`: ROUNDS rounds up to
 * ROUNDS_UP_TO lines, the two alternating which goes first, so that both meet the same minutes of a machine whose speed
 * drifts; the CPU figures are medians, the ratio theirs.
 */
async function runOnCorpus(n: number, dir: string, meter: ChildMeter, goPeer: string | undefined, assignPerSecond: (n: number) => number, out: (line: string) => void): Promise<void> {
  const input = path.join(dir, `corpus-${n}.jsonl`);
  const golds = await exportCorpus(n, input);
  out(`process run: exported ${n} articles (${fixed(statSync(input).size / BYTES_PER_MB, 0)} MB of JSON Lines)`);
  const rounds = n <= ROUNDS_UP_TO ? ROUNDS : 1;
  const own: { cost: ChildCost; pr: { precision: number; recall: number } }[] = [];
  const peer: { cost: ChildCost; pr: { precision: number; recall: number } }[] = [];
  const runOwn = async (): Promise<void> => {
    const output = path.join(dir, `feedfold-${n}.out`);
    const cost = meter(process.execPath, [FEEDFOLD, 'cluster', '--in', input, '--out', output], path.join(dir, 'feedfold.stdout'));
    own.push({ cost, pr: await plantedScores(output, golds) });
    rmSync(output);
  };
  const runPeer = async (binary: string): Promise<void> => {
    const output = path.join(dir, `go-peer-${n}.out`);
    const cost = meter(binary, [input], output);
    peer.push({ cost, pr: await plantedScores(output, golds) });
    rmSync(output);
  };
  for (let round = 0; round < rounds; round++) {
    if (goPeer !== undefined && round % 2 === 1) await runPeer(goPeer);
    await runOwn();
    if (goPeer !== undefined && round % 2 === 0) await runPeer(goPeer);
    if (rounds > 1) {
      const peerPart = goPeer === undefined ? '' : `, go peer ${fixed((peer[round] as (typeof peer)[number]).cost.cpuS, 2)} s`;
      out(`process run round ${round + 1} of ${rounds}: feedfold ${fixed((own[round] as (typeof own)[number]).cost.cpuS, 2)} s CPU${peerPart}`);
    }
  }
  // The outputs are the same every round (same input, same build); the first round's scores stand for all.
  const ownCpu = median(own.map((r) => r.cost.cpuS));
  const ownRss = Math.max(...own.map((r) => r.cost.peakRssMb));
  const ownPr = (own[0] as (typeof own)[number]).pr;
  const ownCost: ChildCost = { ...(own[0] as (typeof own)[number]).cost, cpuS: ownCpu, peakRssMb: ownRss };
  const assignRate = assignPerSecond(n);
  const of = rounds > 1 ? ` (median CPU of ${rounds} rounds, highest peak RSS)` : '';
  out(`${costLine('feedfold cluster (whole process)', n, ownCost, ownPr)}${of}; assign() alone ${fixed(assignRate, 0)} articles/s, so ${fixed((100 * (n / assignRate)) / ownCpu, 0)}% of the process`);
  if (n >= 1_000_000) out(`acceptance 3 (peak RSS of cluster on 1M lines ≤ ${MAX_RSS_AT_1M_MB} MB): ${ownRss <= MAX_RSS_AT_1M_MB ? 'met' : 'NOT met'} (${fixed(ownRss, 0)} MB)`);
  let peerCpu = 'go_peer_cpu_s=n/a ratio=n/a';
  let peerRest = '';
  if (peer.length > 0) {
    const cpu = median(peer.map((r) => r.cost.cpuS));
    const rss = Math.max(...peer.map((r) => r.cost.peakRssMb));
    const pr = (peer[0] as (typeof peer)[number]).pr;
    out(`${costLine('go peer (MinHash-LSH, 64 hashes, word 2-shingles, threshold 0.5, union-find)', n, { ...(peer[0] as (typeof peer)[number]).cost, cpuS: cpu, peakRssMb: rss }, pr)}${of}`);
    peerCpu = `go_peer_cpu_s=${fixed(cpu, 2)} ratio=${fixed(ownCpu / cpu, 2)}`;
    peerRest = ` go_peer_rss_mb=${fixed(rss, 0)} go_peer_P=${fixed(pr.precision, 4)} go_peer_R=${fixed(pr.recall, 4)}`;
  }
  rmSync(input);
  out(`bench-cluster-process: n=${n} rounds=${rounds} feedfold_cpu_s=${fixed(ownCpu, 2)} ${peerCpu} feedfold_rss_mb=${fixed(ownRss, 0)} P=${fixed(ownPr.precision, 4)} R=${fixed(ownPr.recall, 4)}${peerRest}`);
}

/**
 * Times the whole `feedfold cluster` process (the build in bin/, as `npm run bench:cluster` leaves it) and the Go peer
 * on exported corpora of each size, printing through `out`; `assignPerSecond(n)` gives the in-process assign() rate at
 * that size, to set beside it. A missing meter or peer is said in one line and skipped.
 */
export async function processRuns(sizes: readonly number[], assignPerSecond: (n: number) => number, out: (line: string) => void): Promise<void> {
  const meter = findChildMeter();
  if (meter === undefined) {
    out("bench-cluster-process: skipped (needs python3 or /usr/bin/time to read a child process's CPU time and peak RSS)");
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-bench-process-'));
  try {
    out(`process run: the whole \`feedfold cluster\` process and the Go peer on the exported corpus; CPU time and peak RSS of each child read through ${meter.name}`);
    const peer = buildGoPeer(dir);
    if ('missing' in peer) out(`go peer: skipped (${peer.missing} not found; install with: ${GO_PEER_INSTALL})`);
    for (const n of sizes) await runOnCorpus(n, dir, meter.run, 'binary' in peer ? peer.binary : undefined, assignPerSecond, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

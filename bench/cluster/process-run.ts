/**
 * The whole `feedfold cluster` process on the exported bench corpus, and the Go MinHash-LSH peer on the same file in
 * the same run: CPU time (user+system) and peak RSS of each child, articles/s, and the planted precision/recall of
 * what each wrote.
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

/** Runs both children on an exported corpus of `n` lines in `dir`, printing through `out`. */
async function runOnCorpus(n: number, dir: string, meter: ChildMeter, goPeer: string | undefined, assignPerSecond: (n: number) => number, out: (line: string) => void): Promise<void> {
  const input = path.join(dir, `corpus-${n}.jsonl`);
  const golds = await exportCorpus(n, input);
  out(`process run: exported ${n} articles (${fixed(statSync(input).size / BYTES_PER_MB, 0)} MB of JSON Lines)`);
  const ownOutput = path.join(dir, `feedfold-${n}.out`);
  const own = meter(process.execPath, [FEEDFOLD, 'cluster', '--in', input, '--out', ownOutput], path.join(dir, 'feedfold.stdout'));
  const ownPr = await plantedScores(ownOutput, golds);
  const assignRate = assignPerSecond(n);
  out(`${costLine('feedfold cluster (whole process)', n, own, ownPr)}; assign() alone ${fixed(assignRate, 0)} articles/s, so ${fixed((100 * (n / assignRate)) / own.cpuS, 0)}% of the process`);
  if (n >= 1_000_000) out(`acceptance 3 (peak RSS of cluster on 1M lines ≤ ${MAX_RSS_AT_1M_MB} MB): ${own.peakRssMb <= MAX_RSS_AT_1M_MB ? 'met' : 'NOT met'} (${fixed(own.peakRssMb, 0)} MB)`);
  rmSync(ownOutput);
  let peerCpu = 'go_peer_cpu_s=n/a ratio=n/a';
  let peerRest = '';
  if (goPeer !== undefined) {
    const peerOutput = path.join(dir, `go-peer-${n}.out`);
    const peer = meter(goPeer, [input], peerOutput);
    const peerPr = await plantedScores(peerOutput, golds);
    rmSync(peerOutput);
    out(costLine('go peer (MinHash-LSH, 64 hashes, word 2-shingles, threshold 0.5, union-find)', n, peer, peerPr));
    peerCpu = `go_peer_cpu_s=${fixed(peer.cpuS, 2)} ratio=${fixed(own.cpuS / peer.cpuS, 2)}`;
    peerRest = ` go_peer_rss_mb=${fixed(peer.peakRssMb, 0)} go_peer_P=${fixed(peerPr.precision, 4)} go_peer_R=${fixed(peerPr.recall, 4)}`;
  }
  rmSync(input);
  out(`bench-cluster-process: n=${n} feedfold_cpu_s=${fixed(own.cpuS, 2)} ${peerCpu} feedfold_rss_mb=${fixed(own.peakRssMb, 0)} P=${fixed(ownPr.precision, 4)} R=${fixed(ownPr.recall, 4)}${peerRest}`);
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

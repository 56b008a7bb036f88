/**
 * The whole `feedfold cluster` process on the exported bench corpus, and the Go MinHash-LSH peer on the same file in
 * the same run: CPU time (user+system) and peak RSS of each child, articles/s, and the planted precision/recall of
 * what each wrote: up to 100k lines in five rounds, the two alternating which goes first, with medians. Then, at those
 * sizes, the same file clustered four times in one process: the first pass against the later ones is the runtime's
 * warm-up.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findChildMeter, type ChildCost, type ChildMeter } from './child-cost.js';
import { exportCorpus } from './export-corpus.js';
import { buildGoPeer, GO_PEER_INSTALL } from './go-peer.js';
import { PlantedScores } from './planted-scores.js';
import { tieringFlags } from '../../src/cli/tiering-flags.js';

/**
 * The installed `feedfold` command (package.json "bin"), run as a command, so the process measured is the one
 * `feedfold cluster` starts: its first lines set glibc's allocator and exec node (NODE: this node) on it.
 */
const FEEDFOLD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'feedfold.js');
const CLI_MAIN = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js')).href;
/** Passes of `feedfold cluster` made in one process by warmPasses: the first, then the same file again with warm code. */
const WARM_PASSES = 4;
/**
 * Runs the CLI's `cluster` (its module's URL in argv[1]) on argv[2] WARM_PASSES (argv[4]) times in one process, pass
 * k writing argv[3].k, and prints each pass's CPU seconds (all of the process's threads, so the optimizing compiler's
 * too) and minor page faults (memory touched for the first time), as `cpu:faults`, on one line. The module is given
 * by URL, so that it does not take itself for the entry point.
 */
const WARM_PASSES_JS = `
const { main } = await import(process.argv[1]);
const [input, output, passes] = process.argv.slice(2);
const figures = [];
for (let pass = 0; pass < Number(passes); pass++) {
  const start = process.cpuUsage();
  const faults = process.resourceUsage().minorPageFault;
  const code = await main(['node', 'feedfold', 'cluster', '--in', input, '--out', output + '.' + pass]);
  if (code !== 0) throw new Error('cluster exited with ' + code);
  const used = process.cpuUsage(start);
  figures.push((used.user + used.system) / 1e6 + ':' + (process.resourceUsage().minorPageFault - faults));
}
process.stdout.write(figures.join(' '));
`;
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
  return `${what} at n=${n}: ${fixed(cost.cpuS, 1)} s CPU (user+sys), ${fixed(n / cost.cpuS, 0)} articles/s (${fixed((cost.cpuS * 1e6) / n, 0)} µs/article), peak RSS ${fixed(cost.peakRssMb, 0)} MB, ${cost.minorFaults} minor page faults, wall ${fixed(cost.wallS, 1)} s, planted P=${fixed(pr.precision, 4)} R=${fixed(pr.recall, 4)}`;
}

/** Rounds of the two children at sizes up to this many lines; one above it (a million lines take minutes). */
const ROUNDS_UP_TO = 100_000;
/**
 * Rounds at those sizes. On a shared virtual machine one process's CPU time moves by ±15 % from run to run (the same
 * build, the same file, minutes apart); the median of five moves less than that of three.
 */
const ROUNDS = 5;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Bytes of fresh memory pageTouchMicros writes to: 16,384 pages of 4 KB, about a third of what a 30k-line run touches. */
const TOUCHED_BYTES = 64 << 20;

/**
 * CPU microseconds per 4 KB page written for the first time (one byte a page of a fresh 64 MB array, which the
 * allocator maps without writing it): what each of the children's minor page faults costs this minute. On a shared
 * virtual machine it has been seen from under 2 µs to over 10 µs, with the two children's tens of thousands of
 * faults each, so it is printed with every round.
 */
function pageTouchMicros(): number {
  const pages = TOUCHED_BYTES / 4096;
  const start = process.cpuUsage();
  const bytes = new Uint8Array(TOUCHED_BYTES);
  for (let page = 0; page < pages; page++) bytes[page * 4096] = 1;
  const used = process.cpuUsage(start);
  return (used.user + used.system) / pages;
}

/**
 * What the command gives node, so the warm passes run as it does: its shell line's GLIBC_TUNABLES and the V8 flags it
 * puts before the script, and the tiering flags its script sets for `cluster` (see tieringFlags).
 */
function commandSettings(): { tunables: string; nodeFlags: string[] } {
  const text = readFileSync(FEEDFOLD, 'utf8');
  const tunables = /^":" \/\/; GLIBC_TUNABLES="([^"$]+)/m.exec(text)?.[1];
  const flags = /^":" \/\/;.*exec "\$\{NODE:-node\}" ((?:--\S+ )*)"\$0"/m.exec(text)?.[1];
  if (tunables === undefined || flags === undefined) throw new Error(`bench: no GLIBC_TUNABLES or exec of node in the shell line of ${FEEDFOLD}`);
  return { tunables, nodeFlags: [...flags.split(' ').filter((flag) => flag !== ''), ...tieringFlags('cluster')] };
}

/**
 * The CPU seconds of `feedfold cluster` on `input` made WARM_PASSES times in one process (after its start): the first
 * pass pays the runtime's warm-up (the optimizing compiler's work, code run before it is optimized, memory touched for
 * the first time), the later ones barely. The process has the command's allocator settings and V8 flags. Each pass must
 * write what the separate process wrote (`expected`).
 */
function warmPasses(input: string, output: string, expected: string): { cpuS: number; faults: number }[] {
  const { tunables, nodeFlags } = commandSettings();
  const printed = execFileSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', WARM_PASSES_JS, CLI_MAIN, input, output, String(WARM_PASSES)], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: tunables } }).trim();
  const passes = printed.split(' ').map((figure) => {
    const [cpuS, faults] = figure.split(':').map(Number);
    return { cpuS: cpuS as number, faults: faults as number };
  });
  if (passes.length !== WARM_PASSES || passes.some((p) => !Number.isFinite(p.cpuS) || !Number.isInteger(p.faults))) throw new Error(`bench: the warm passes printed ${printed}`);
  const lines = readFileSync(expected);
  for (let pass = 0; pass < WARM_PASSES; pass++) {
    if (!readFileSync(`${output}.${pass}`).equals(lines)) throw new Error(`bench: pass ${pass + 1} in one process wrote other lines than the process alone`);
    rmSync(`${output}.${pass}`);
  }
  return passes;
}

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
  const ownOutput = path.join(dir, `feedfold-${n}.out`);
  const runOwn = async (): Promise<void> => {
    const cost = meter(FEEDFOLD, ['cluster', '--in', input, '--out', ownOutput], path.join(dir, 'feedfold.stdout'), { NODE: process.execPath });
    own.push({ cost, pr: await plantedScores(ownOutput, golds) });
  };
  const runPeer = async (binary: string): Promise<void> => {
    const output = path.join(dir, `go-peer-${n}.out`);
    const cost = meter(binary, [input], output);
    peer.push({ cost, pr: await plantedScores(output, golds) });
    rmSync(output);
  };
  const touchUs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    touchUs.push(pageTouchMicros());
    if (goPeer !== undefined && round % 2 === 1) await runPeer(goPeer);
    await runOwn();
    if (goPeer !== undefined && round % 2 === 0) await runPeer(goPeer);
    if (rounds > 1) {
      const peerPart = goPeer === undefined ? '' : `, go peer ${fixed((peer[round] as (typeof peer)[number]).cost.cpuS, 2)} s`;
      out(`process run round ${round + 1} of ${rounds}: feedfold ${fixed((own[round] as (typeof own)[number]).cost.cpuS, 2)} s CPU${peerPart}, a first-touched page ${fixed(touchUs[round] as number, 1)} µs`);
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
  const peerCpuS = peer.length > 0 ? median(peer.map((r) => r.cost.cpuS)) : undefined;
  if (peerCpuS !== undefined) {
    const rss = Math.max(...peer.map((r) => r.cost.peakRssMb));
    const pr = (peer[0] as (typeof peer)[number]).pr;
    out(`${costLine('go peer (MinHash-LSH, 64 hashes, word 2-shingles, threshold 0.5, union-find)', n, { ...(peer[0] as (typeof peer)[number]).cost, cpuS: peerCpuS, peakRssMb: rss }, pr)}${of}`);
    peerCpu = `go_peer_cpu_s=${fixed(peerCpuS, 2)} ratio=${fixed(ownCpu / peerCpuS, 2)}`;
    peerRest = ` go_peer_rss_mb=${fixed(rss, 0)} go_peer_P=${fixed(pr.precision, 4)} go_peer_R=${fixed(pr.recall, 4)}`;
  }
  out(`bench-cluster-process: n=${n} rounds=${rounds} feedfold_cpu_s=${fixed(ownCpu, 2)} ${peerCpu} feedfold_rss_mb=${fixed(ownRss, 0)} P=${fixed(ownPr.precision, 4)} R=${fixed(ownPr.recall, 4)}${peerRest} page_touch_us=${fixed(median(touchUs), 1)}`);
  if (rounds > 1) {
    // What of the process is the runtime's warm-up: the same file clustered again in the same process. The second pass
    // makes a second story index, whose functions V8 then optimizes anew for more than one index: the median of the
    // later passes is the warm figure.
    const passes = warmPasses(input, path.join(dir, `feedfold-${n}.warm.out`), ownOutput);
    const first = (passes[0] as (typeof passes)[number]).cpuS;
    const warm = median(passes.slice(1).map((p) => p.cpuS));
    const peerPart = peerCpuS === undefined ? '' : ` go_peer_cpu_s=${fixed(peerCpuS, 2)} warm_ratio=${fixed(warm / peerCpuS, 2)}`;
    out(`bench-cluster-warm: n=${n} passes_cpu_s=${passes.map((p) => fixed(p.cpuS, 2)).join(',')} passes_minor_faults=${passes.map((p) => p.faults).join(',')} first_pass_cpu_s=${fixed(first, 2)} warm_pass_cpu_s=${fixed(warm, 2)} warm_up_cpu_s=${fixed(first - warm, 2)}${peerPart}`);
  }
  rmSync(ownOutput);
  rmSync(input);
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

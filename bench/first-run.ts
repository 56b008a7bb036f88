/**
 * The whole `feedfold run` process on a first run of the 1,000-feed loopback farm (bench/loopback-farm.ts, the farm of
 * bench:ingest's loopback section), CPU time of the process as `/usr/bin/time` reports it (every thread, start-up
 * included), for one or more checkouts run alternately, so builds compare in the same minutes; each checkout runs as
 * it installs `feedfold` (its package.json "bin"):
 *
 *   npx tsx bench/first-run.ts [--rounds N] [CHECKOUT …]   (default: this checkout; each needs its dist/ built)
 *
 * A CHECKOUT may carry node options after a `|` ("../other|--max-semi-space-size=64"), given by NODE_OPTIONS (so only
 * those it allows). Each run gets a new project (config, store, out/) and the same `--now`; fetch.perHost is 16, the most the config allows. Prints a line per run and
 * `bench-first-run: checkout=… median_cpu_s=… runs=…` per checkout, last; with two or more checkouts, then
 * `bench-first-run-share:`, the last checkout's median as a share of the first's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringifyYaml as stringify } from '../src/config/yaml-text.js';
import { farmBodies, startFeedFarm } from './loopback-farm.js';

const NOW = '2025-03-05T12:00:00.000Z';
const FEEDS = 1000;
const args = process.argv.slice(2);
const checkouts: string[] = [];
let rounds = 3;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rounds') rounds = Number(args[++i]);
  else checkouts.push(args[i] as string);
}
if (checkouts.length === 0) checkouts.push(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: a whole number, at least 1, not ${String(rounds)}`);

/**
 * The command a checkout installs as `feedfold` (its package.json "bin"), run as a command, as a user's shell runs it:
 * its first line says what runs it (`#!/usr/bin/env node`, or `#!/bin/sh` for one that sets glibc's allocator and
 * execs NODE, this node). Node options (`flags`) reach node by NODE_OPTIONS.
 */
function installedCommand(dir: string): string {
  const bin = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin: { feedfold: string } }).bin.feedfold;
  return path.resolve(dir, bin);
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const bodies = farmBodies(FEEDS, { itemsPerFeed: 10, stories: 6000, now: NOW });
const server = await startFeedFarm(bodies, { keepAliveMs: 65_000 });
const cpu = new Map<string, number[]>();
try {
  for (let round = 0; round < rounds; round++) {
    for (const checkout of round % 2 === 0 ? checkouts : [...checkouts].reverse()) {
      const [dir, flags] = checkout.split('|') as [string, string | undefined];
      const project = mkdtempSync(path.join(os.tmpdir(), 'feedfold-first-run-'));
      try {
        const config = path.join(project, 'feedfold.yaml');
        writeFileSync(config, stringify({ out: 'out', fetch: { concurrency: 64, perHost: 16, allowPrivateNetworks: true }, sources: Array.from({ length: FEEDS }, (_, f) => ({ id: `outlet${f}`, url: `${server.base}/feed/${f}.xml` })) }));
        const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M %R', installedCommand(dir), 'run', '--config', config, '--now', NOW, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, NODE: process.execPath, ...(flags ? { NODE_OPTIONS: flags } : {}) } });
        const [user, sys, rssKb, minorFaults] = (run.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number) as [number, number, number, number];
        if (run.status !== 0 || !Number.isFinite(user)) throw new Error(`${checkout}: feedfold run exited ${String(run.status)}: ${run.stderr.slice(0, 500)}`);
        cpu.set(checkout, [...(cpu.get(checkout) ?? []), user + sys]);
        out(`  ${checkout} round ${round + 1}: cpu ${(user + sys).toFixed(2)} s (user ${user} s, sys ${sys} s), peak RSS ${Math.round(rssKb / 1024)} MB, ${minorFaults} minor page faults`);
      } finally {
        rmSync(project, { recursive: true, force: true });
      }
    }
  }
} finally {
  await server.stop();
}
const medians = new Map<string, number>();
for (const [checkout, xs] of cpu) {
  const sorted = [...xs].sort((a, b) => a - b);
  medians.set(checkout, sorted[Math.floor(sorted.length / 2)] as number);
  out(`bench-first-run: checkout=${checkout} median_cpu_s=${(medians.get(checkout) as number).toFixed(2)} runs=${xs.map((x) => x.toFixed(2)).join(',')}`);
}
// With a reference build first and this one last (`npm run bench:first-run -- OLD .`): the share of the reference's
// CPU time the last checkout takes (issue 12 asks for at most a third of the build at filing).
if (checkouts.length >= 2) {
  const first = checkouts[0] as string;
  const last = checkouts[checkouts.length - 1] as string;
  out(`bench-first-run-share: ${last} takes ${((100 * (medians.get(last) as number)) / (medians.get(first) as number)).toFixed(1)}% of the CPU time of ${first} (medians)`);
}

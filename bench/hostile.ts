/**
 * Hostile-feed benchmark: generates the inputs that once took minutes of CPU (elements nested
 * 100,000 deep, a truncated run of `<!DOCTYPE [`, 64 KB of '@' as an author, a 40 KB style
 * attribute, a title full of things that look like tags and character references) and runs the
 * built `feedfold inspect` on each as a real process, the way an operator would. Prints one line
 * per case with the wall time of the whole process (start-up included), whether feedfold read the
 * feed or refused it, and which limit it reported; the goal is under 2 s each.
 *
 *   npm run bench:hostile
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { HOSTILE_FEEDS, rssWithItem } from '../test/helpers/hostile-feeds.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'feedfold.js');
const NOW = '2025-03-05T12:00:00Z';
const GOAL_SECONDS = 2;
/** A process that has not finished by then is stopped and reported as such. */
const KILL_AFTER_MS = 120_000;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The cases: an ordinary feed to show the start-up time of a process, then the hostile ones. */
const CASES: [string, string][] = [['baseline', rssWithItem({})], ...HOSTILE_FEEDS.map(([name, doc]): [string, string] => [name, doc])];

/** Names the limit a message reports. */
function limitOf(stderr: string): string {
  if (/nesting limit/.test(stderr)) return 'nesting';
  if (/limit parse\.timeoutMs/.test(stderr)) return 'time';
  if (/too-large|exceeds the .*-byte limit/.test(stderr)) return 'size';
  return 'none';
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-hostile-'));
let slowest = 0;
try {
  for (const [name, doc] of CASES) {
    const file = path.join(dir, `${name}.xml`);
    writeFileSync(file, doc);
    const start = performance.now();
    const run = spawnSync(process.execPath, [BIN, 'inspect', file, '--now', NOW], {
      cwd: dir,
      encoding: 'utf8',
      timeout: KILL_AFTER_MS,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, FEEDFOLD_CONFIG: '', FEEDFOLD_OUT: '', FEEDFOLD_NOW: '', FEEDFOLD_LOG_LEVEL: '' },
    });
    const seconds = (performance.now() - start) / 1000;
    slowest = Math.max(slowest, seconds);
    let result: string;
    if (run.error || run.signal) result = `killed(${run.signal ?? run.error?.message})`;
    else if (run.status === 0) result = `parsed(items=${(JSON.parse(run.stdout) as unknown[]).length})`;
    else result = 'refused';
    const message = run.stderr.trim().split('\n')[0]?.slice(0, 160) ?? '';
    out(`bench-hostile: case=${name} bytes=${Buffer.byteLength(doc)} seconds=${seconds.toFixed(2)} result=${result} limit=${limitOf(run.stderr)}${message ? ` message="${message.replace(/"/g, "'")}"` : ''}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
out(`bench-hostile: slowest_seconds=${slowest.toFixed(2)} goal=${GOAL_SECONDS} met=${slowest < GOAL_SECONDS ? 'yes' : 'no'} cores=${os.availableParallelism()}`);

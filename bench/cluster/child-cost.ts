/**
 * Measures the CPU time (user+system) and peak RSS of a child process. Node cannot read another process's rusage, so
 * the child runs under python3 (resource.getrusage(RUSAGE_CHILDREN)) or GNU time, whichever is there.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';

/** What one child cost. */
export interface ChildCost {
  cpuS: number;
  peakRssMb: number;
  wallS: number;
  /** Minor page faults: pages of memory the child touched for the first time. */
  minorFaults: number;
}

/** Runs `command args` (with `env` added to this process's), its stdout into `stdoutFile`, and returns what it cost; throws when it fails. */
export type ChildMeter = (command: string, args: readonly string[], stdoutFile: string, env?: Readonly<Record<string, string>>) => ChildCost;

const KB_PER_MB = 1024;

/** Runs argv[2:] with its stdout in argv[1] and prints its exit status, CPU seconds, peak RSS (KB), wall seconds and minor page faults. */
const RUSAGE_PY = `
import resource, subprocess, sys, time
with open(sys.argv[1], 'wb') as out:
    start = time.monotonic()
    status = subprocess.run(sys.argv[2:], stdout=out).returncode
    wall = time.monotonic() - start
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(status, u.ru_utime + u.ru_stime, u.ru_maxrss, wall, u.ru_minflt)
`;

function fail(command: string, status: number | null): never {
  throw new Error(`bench: ${command} exited with ${status}`);
}

function pythonMeter(command: string, args: readonly string[], stdoutFile: string, env: Readonly<Record<string, string>> = {}): ChildCost {
  const run = spawnSync('python3', ['-c', RUSAGE_PY, stdoutFile, command, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, ...env } });
  // The wrapper failing (it could not start, or the child could not be run) is told apart from the child failing.
  if (run.status !== 0) fail(`python3 running ${command}`, run.status);
  const [status, cpuS, rssKb, wallS, minorFaults] = run.stdout.trim().split(/\s+/).map(Number);
  if (status !== 0) fail(command, status ?? null);
  return { cpuS: cpuS as number, peakRssMb: (rssKb as number) / KB_PER_MB, wallS: wallS as number, minorFaults: minorFaults as number };
}

function gnuTimeMeter(command: string, args: readonly string[], stdoutFile: string, env: Readonly<Record<string, string>> = {}): ChildCost {
  const report = `${stdoutFile}.time`;
  const out = openSync(stdoutFile, 'w');
  try {
    const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M %e %R', '-o', report, command, ...args], { stdio: ['ignore', out, 'inherit'], env: { ...process.env, ...env } });
    const [user, sys, rssKb, wallS, minorFaults] = readFileSync(report, 'utf8').trim().split('\n').pop()?.split(/\s+/).map(Number) ?? [];
    if (run.status !== 0) fail(command, run.status);
    return { cpuS: (user as number) + (sys as number), peakRssMb: (rssKb as number) / KB_PER_MB, wallS: wallS as number, minorFaults: minorFaults as number };
  } finally {
    closeSync(out);
    rmSync(report, { force: true });
  }
}

/** Returns a way to measure a child, and its name; undefined when neither python3 nor /usr/bin/time is there. */
export function findChildMeter(): { name: string; run: ChildMeter } | undefined {
  if (spawnSync('python3', ['-c', 'import resource'], { stdio: 'ignore' }).status === 0) return { name: 'python3 resource.getrusage(RUSAGE_CHILDREN)', run: pythonMeter };
  if (existsSync('/usr/bin/time')) return { name: '/usr/bin/time', run: gnuTimeMeter };
  return undefined;
}

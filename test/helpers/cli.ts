import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths.js';

// Compiled once per test run by test/global-setup.ts from the current src/.
const ENTRY = path.join(ROOT, '.test-dist', 'cli', 'main.js');

/** Arguments that run the feedfold CLI (compiled from the current source) in a child node process. */
export function cliArgs(args: string[]): string[] {
  return [ENTRY, ...args];
}

/** Runs the feedfold CLI from source to completion. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, cliArgs(args), {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Runs the CLI without blocking this process (a loopback server in the test keeps answering). */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Starts the feedfold CLI as a child process. */
export function spawnCli(args: string[], opts: CliSpawnOptions = {}) {
  return spawn(process.execPath, cliArgs(args), {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid === undefined ? {} : { uid: opts.uid }),
    ...(opts.gid === undefined ? {} : { gid: opts.gid }),
  });
}

/** Where and as whom the CLI runs: a working folder, extra environment, another user (tests run as root in CI). */
export interface CliSpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths.js';

const ENTRY = path.join(ROOT, 'src', 'cli', 'main.ts');

/** Arguments that run the feedfold CLI from source in a child node process. */
export function cliArgs(args: string[]): string[] {
  return ['--import', 'tsx', ENTRY, ...args];
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

/** Starts the feedfold CLI from source as a child process. */
export function spawnCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawn(process.execPath, cliArgs(args), {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

import { readFile } from 'node:fs/promises';
import type { FailingSource, RunStatus, RunSummary } from '../model/run.js';
import { nextRunStatus, parseRunStatus } from '../model/run-status.js';
import { writeFileAtomic } from './write-atomic.js';

/** Reads `out/status.json`; undefined when there is none yet or it cannot be read. */
export async function readRunStatus(file: string): Promise<RunStatus | undefined> {
  try {
    return parseRunStatus(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Adds a finished run to `out/status.json`, written atomically. */
export async function recordRunStatus(file: string, summary: RunSummary, failing: FailingSource[]): Promise<void> {
  const status = nextRunStatus(await readRunStatus(file), summary, failing);
  await writeFileAtomic(file, `${JSON.stringify(status, null, 2)}\n`);
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalItem } from './eval-item.js';

/** The repository root (scripts/eval is two levels down). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI_ENTRY = path.join(REPO_ROOT, 'src', 'cli', 'main.ts');
const CLUSTER_COMMAND = path.join(REPO_ROOT, 'src', 'cli', 'cluster-command.ts');

/** Tells whether the `feedfold cluster` batch command is present in this checkout. */
export function hasClusterCli(): boolean {
  return existsSync(CLI_ENTRY) && existsSync(CLUSTER_COMMAND);
}

/** Runs `feedfold cluster --in --out` on the items in a child process and returns one story label per item. */
export function clusterViaCli(items: readonly EvalItem[], extraArgs: readonly string[] = []): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-eval-'));
  try {
    const input = path.join(dir, 'in.jsonl');
    const output = path.join(dir, 'out.jsonl');
    writeFileSync(input, items.map(({ gold: _gold, ...line }) => JSON.stringify(line)).join('\n') + '\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'cluster', '--in', input, '--out', output, ...extraArgs], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`eval: feedfold cluster exited ${run.status}: ${run.stderr.slice(0, 2000)}`);
    const byId = new Map<string, string>();
    for (const line of readFileSync(output, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as { id?: unknown; story?: unknown };
      if (typeof row.id === 'string' && typeof row.story === 'string') byId.set(row.id, row.story);
    }
    return items.map((item) => {
      const story = byId.get(item.id);
      if (story === undefined) throw new Error(`eval: feedfold cluster gave no story for ${item.id}`);
      return story;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

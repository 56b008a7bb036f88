import { existsSync, readFileSync } from 'node:fs';

/** Reads an NDJSON log file into records; a last line caught mid-write is left for the next read. */
export function readLogRecords<T = Record<string, unknown>>(file: string): T[] {
  if (!existsSync(file)) return [];
  const records: T[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      break;
    }
  }
  return records;
}

/**
 * Polls `probe` until it gives a value (not undefined or false) and returns it; fails naming `what` after `limitMs`.
 * No fixed sleep decides anything: the poll interval only sets how soon a change is seen.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, { limitMs = 45_000, pollMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

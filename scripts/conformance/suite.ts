import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Outcome of one conformance corpus: counts, per-category results, and what was left out and why. */
export interface SuiteResult {
  tried: number;
  passed: number;
  /** Files seen, tried or not. */
  total: number;
  categories: Record<string, { passed: number; failed: number }>;
  /** Reason → number of files left out for it. */
  leftOut: Record<string, number>;
  failures: string[];
}

/** Lists files under a directory, recursively, sorted, whose names match `re`. */
export function listFiles(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const ent of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (re.test(ent.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

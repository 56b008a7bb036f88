import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** A child process's stdout read line by line: waits for a line, and for the process's end. */
export interface ChildLines {
  /** Resolves with the first line (seen so far or to come) matching `pattern`; rejects when the process ends first. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Every line printed so far. */
  lines: string[];
  /** Resolves when the process has ended, with its status and signal. */
  ended: Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Follows the stdout of a child started by spawnCli. */
export function followLines(child: ChildProcess): ChildLines {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  let stderr = '';
  (child.stderr as Readable).setEncoding('utf8').on('data', (s: string) => (stderr += s));
  createInterface({ input: child.stdout as Readable }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (!w.pattern.test(line)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const ended = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (status, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`process ended (${signal ?? status}) before a line matched ${w.pattern}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
      resolve({ status, signal, stderr });
    });
  });
  return {
    lines,
    ended,
    waitFor(pattern) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`process already ended before a line matched ${pattern}`));
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}

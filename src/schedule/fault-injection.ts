import { readSync, writeSync } from 'node:fs';

/** File descriptor a paused process announces its checkpoints on (the first one after stdio). */
const PAUSE_REPORT_FD = 3;

/**
 * Blocks until one byte (or end of file) arrives on standard input; a non-blocking pipe is retried
 * rather than taken for a go-ahead.
 */
function waitForGoAhead(): void {
  const byte = Buffer.alloc(1);
  for (;;) {
    try {
      readSync(0, byte, 0, 1, null);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}

/**
 * Crash testing: `FEEDFOLD_KILL_AT=label:n` makes the process SIGKILL itself the n-th time the run
 * passes the checkpoint `label` (n defaults to 1). Used by the crash-safety test to stop a run
 * at exact points (inside the store transaction, between the feed's temp write and its rename…);
 * without the variable a checkpoint does nothing.
 *
 * `FEEDFOLD_PAUSE_AT_CHECKPOINTS=1` makes the process stop at every checkpoint instead: it writes
 * `label:n` and a newline to file descriptor 3 and waits for one byte on standard input. While it
 * waits it runs nothing and has no write in flight (the store and the log write synchronously,
 * file writes are awaited before a checkpoint), so the files on disk are exactly those a SIGKILL
 * there would leave: a killed process flushes nothing. A test can thus take the state of every
 * kill point from one process lifetime, and kill it for real at the last one.
 */
export function checkpointFromEnv(env: NodeJS.ProcessEnv): ((label: string) => void) | undefined {
  const spec = env.FEEDFOLD_KILL_AT;
  let pause = env.FEEDFOLD_PAUSE_AT_CHECKPOINTS === '1';
  if (!spec && !pause) return undefined;
  const [label, nth] = (spec ?? '').split(':');
  const target = Math.max(1, Number(nth ?? '1') || 1);
  const seen = new Map<string, number>();
  return (at: string) => {
    const n = (seen.get(at) ?? 0) + 1;
    seen.set(at, n);
    if (pause) {
      try {
        writeSync(PAUSE_REPORT_FD, `${at}:${n}\n`);
        waitForGoAhead();
      } catch {
        // Nobody is listening any more (the test ended): the run goes on without stopping.
        pause = false;
      }
    }
    if (spec && at === label && n === target) process.kill(process.pid, 'SIGKILL');
  };
}

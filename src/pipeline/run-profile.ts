import { openSync, readSync } from 'node:fs';

/** The stages of a run whose CPU time a profile adds up. */
export type ProfileStage = 'fetch' | 'parse' | 'normalize' | 'cluster' | 'store' | 'publish';

/** Linux's per-thread scheduler clock: the first field is the nanoseconds the thread has run. */
const THREAD_SCHEDSTAT = '/proc/thread-self/schedstat';

/**
 * This thread's schedstat, opened once (module state is per thread) and read again at each call: opening it
 * at every read cost four more system calls each time. It stays open for the life of the process (profiles are
 * for benchmarks). Null where there is none; undefined until first asked.
 */
let schedstat: number | null | undefined;
const schedstatBytes = Buffer.alloc(96);

function schedstatFd(): number | null {
  if (schedstat === undefined) {
    try {
      schedstat = openSync(THREAD_SCHEDSTAT, 'r');
    } catch {
      schedstat = null;
    }
  }
  return schedstat;
}

/**
 * Returns the CPU time of the calling thread in microseconds. Node 20 has no per-thread CPU clock
 * (process.cpuUsage() counts every thread, so a worker's figure would include the others'): on
 * Linux the kernel's per-thread run time is read instead; elsewhere the process's time is returned,
 * which is right only while one thread runs.
 */
export function threadCpuMicros(): number {
  // The kernel brings a running thread's run time up to date only at scheduler ticks (4 ms apart
  // here) and switches, so a plain read lags; asking for the process's usage first updates it.
  const { user, system } = process.cpuUsage();
  const fd = schedstatFd();
  if (fd !== null) {
    try {
      const n = readSync(fd, schedstatBytes, 0, schedstatBytes.length, 0);
      return Number(schedstatBytes.toString('latin1', 0, n).split(' ', 1)[0]) / 1000;
    } catch {
      schedstat = null;
    }
  }
  return user + system;
}

/**
 * CPU time of a run by stage, added up across threads, for benchmarks. The calling (main) thread
 * is charged to one stage at a time: `switchTo` charges the time since the last switch to the
 * stage that was current, so a stage's figure is the thread's whole time in it, waits for I/O
 * excluded. Worker threads measure their own time and `add` it.
 */
export class RunProfile {
  private readonly totals = new Map<ProfileStage, number>();
  private current: ProfileStage | undefined;
  private mark = 0;

  /** Adds CPU time measured elsewhere (in a worker thread) to a stage. */
  add(stage: ProfileStage, micros: number): void {
    this.totals.set(stage, (this.totals.get(stage) ?? 0) + micros);
  }

  /**
   * Charges this thread's time since the last switch to the current stage and makes `stage` (or
   * no stage) current; returns the stage that was current, to switch back to.
   */
  switchTo(stage: ProfileStage | undefined): ProfileStage | undefined {
    const now = threadCpuMicros();
    const previous = this.current;
    if (previous !== undefined) this.add(previous, now - this.mark);
    this.current = stage;
    this.mark = now;
    return previous;
  }

  /** Runs `fn` charged to `stage`, then returns to the stage that was current. */
  time<T>(stage: ProfileStage, fn: () => T): T {
    const previous = this.switchTo(stage);
    try {
      return fn();
    } finally {
      this.switchTo(previous);
    }
  }

  /** The CPU microseconds charged to a stage so far. */
  micros(stage: ProfileStage): number {
    return this.totals.get(stage) ?? 0;
  }
}

/** Runs `fn`, charged to `stage` when there is a profile. */
export function timed<T>(profile: RunProfile | undefined, stage: ProfileStage, fn: () => T): T {
  return profile ? profile.time(stage, fn) : fn();
}

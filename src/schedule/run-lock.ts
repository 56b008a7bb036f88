import os from 'node:os';
import { FeedfoldError } from '../model/errors.js';

/** What the lock needs of the state store (the SQLite store implements it). */
export interface LockStore {
  acquireLock(name: string, pid: number, host: string, now: string, isAlive: (pid: number) => boolean): { ok: true } | { ok: false; holder: { pid: number; host: string; acquiredAt: string } };
  releaseLock(name: string, pid: number): void;
}

/** The lock shared by `feedfold run` and every daemon cycle: never two runs on one store at once. */
export const RUN_LOCK = 'run';

/** Tells whether a process is alive; a lock held by a dead process is stale and taken over. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` holding the run lock, or throws a schedule error naming the holder when it is busy. */
export async function withRunLock<T>(store: LockStore, now: string, fn: () => Promise<T>): Promise<T> {
  const got = store.acquireLock(RUN_LOCK, process.pid, os.hostname(), now, processAlive);
  if (!got.ok) {
    throw new FeedfoldError('schedule', 'busy', `another run is in progress (pid ${got.holder.pid} on ${got.holder.host} since ${got.holder.acquiredAt})`);
  }
  try {
    return await fn();
  } finally {
    store.releaseLock(RUN_LOCK, process.pid);
  }
}

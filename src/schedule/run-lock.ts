import os from 'node:os';
import type { Logger } from 'pino';
import { FeedfoldError } from '../model/errors.js';
import type { LockHolder } from '../model/run.js';
import type { LockStore } from '../store/store.js';
import { millisecondsFromEnv } from './env-milliseconds.js';

/** The lock shared by `feedfold run` and every daemon cycle: never two runs on one store at once. */
export const RUN_LOCK = 'run';

/**
 * How long a run's lease on the lock lasts without renewal. A run renews it four times per lease
 * (every 30 s), so only a run that is gone, or stuck for two minutes, loses it.
 */
export const DEFAULT_LEASE_MS = 2 * 60_000;

/** Renewals per lease: three may be missed (a busy event loop, a slow disk) before it lapses. */
const RENEWALS_PER_LEASE = 4;

/** Why a lock held by someone else was taken over. */
export type TakeOverReason = 'lease-lapsed' | 'process-gone';

/** Tells whether a process is alive; a lock held by a dead process is stale and taken over. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Decides whether `holder` may be replaced by a claim from `self` at wall-clock `nowMs`: when its
 * lease has lapsed, whatever host took it (a container restarted under a new hostname never comes
 * back for it), or at once when it is this host's and its process has exited. A row without a
 * lease (written before leases) from another host counts as lapsed: no one renews it.
 */
export function takeOverReason(holder: LockHolder, self: { pid: number; host: string }, nowMs: number, isAlive: (pid: number) => boolean): TakeOverReason | 'own' | undefined {
  const sameHost = holder.host === self.host;
  if (sameHost && holder.pid === self.pid) return 'own';
  if (sameHost && !isAlive(holder.pid)) return 'process-gone';
  if (holder.expiresAt === undefined) return sameHost ? undefined : 'lease-lapsed';
  const expires = Date.parse(holder.expiresAt);
  return Number.isNaN(expires) || expires <= nowMs ? 'lease-lapsed' : undefined;
}

/** Describes a holder for people: `pid 42 on web-1 since … (lease until …)`. */
export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} since ${h.acquiredAt}${h.expiresAt ? `, lease until ${h.expiresAt}` : ', no lease'}`;
}

/** Reads the lease length from FEEDFOLD_LOCK_LEASE_MS (milliseconds), else the default. */
export function leaseMsFromEnv(env: NodeJS.ProcessEnv): number {
  return millisecondsFromEnv(env, 'FEEDFOLD_LOCK_LEASE_MS', DEFAULT_LEASE_MS, 1000);
}

/** The run's hold on the lock while it lives. */
export interface RunLease {
  /** Renews the lease when a renewal is due; cheap to call often (the run calls it at every checkpoint). */
  renewIfDue(): void;
}

/** Options of withRunLock. */
export interface RunLockOptions {
  logger: Logger;
  leaseMs?: number;
  /** Wall clock in ms; the lease is measured by it, never by the run's injected `now`. */
  clock?: () => number;
  host?: string;
  pid?: number;
}

/**
 * Runs `fn` holding the run lock as a lease, or throws a schedule error (kind `busy`) naming the
 * holder and its lease when another live run has it. The lease is renewed on a timer and whenever
 * `fn` calls `renewIfDue` (the run does so at its checkpoints, which also fire inside its units
 * of work).
 *
 * The lease is measured by the wall clock (Date.now()), not by the run's `now`: `--now` is the
 * logical time of the output (any date, 2030 or 2016, and different in every process), while an
 * expiry must mean the same instant to every process that reads it, on any host. Hosts sharing one
 * store are assumed to keep their clocks within a small part of the lease (NTP).
 */
export async function withRunLock<T>(store: LockStore, opts: RunLockOptions, fn: (lease: RunLease) => Promise<T>): Promise<T> {
  const clock = opts.clock ?? Date.now;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const self = { pid: opts.pid ?? process.pid, host: opts.host ?? os.hostname() };
  const log = opts.logger.child({ stage: 'schedule' });
  const iso = (ms: number): string => new Date(ms).toISOString();
  const startMs = clock();
  let reason: TakeOverReason | undefined;
  let got: Awaited<ReturnType<LockStore['acquireLock']>>;
  try {
    got = await store.acquireLock(RUN_LOCK, { ...self, acquiredAt: iso(startMs), expiresAt: iso(startMs + leaseMs) }, (holder) => {
      const why = takeOverReason(holder, self, startMs, processAlive);
      if (why === 'lease-lapsed' || why === 'process-gone') reason = why;
      return why !== undefined;
    });
  } catch (err) {
    // Another process is inside its store transaction and holds SQLite's write lock for longer
    // than the busy timeout: a run is in progress.
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') throw new FeedfoldError('schedule', 'busy', 'another run is in progress (it holds the database for writing)', { cause: err });
    throw err;
  }
  if (!got.ok) {
    throw new FeedfoldError(
      'schedule',
      'busy',
      `another run is in progress (${describeHolder(got.holder)}); it is taken over once its lease lapses, or at once with \`feedfold unlock\` if that run is gone`,
    );
  }
  if (got.replaced && reason) {
    const why = reason === 'process-gone' ? 'its process has exited' : `its lease lapsed${got.replaced.expiresAt ? ` at ${got.replaced.expiresAt}` : ''}`;
    log.warn({ holder: got.replaced, reason }, `run lock taken over from pid ${got.replaced.pid} on ${got.replaced.host}: ${why}`);
  }

  const renewEveryMs = Math.max(1, Math.floor(leaseMs / RENEWALS_PER_LEASE));
  let lastRenewMs = startMs;
  let lost = false;
  let renewing: Promise<void> | undefined;
  const renewOnce = async (): Promise<void> => {
    const at = clock();
    try {
      if (await store.renewLock(RUN_LOCK, self.pid, self.host, iso(at + leaseMs))) {
        lastRenewMs = at;
        return;
      }
      lost = true;
      log.error({ pid: self.pid, host: self.host }, 'run lock lost: another process took it over or `feedfold unlock` removed it; this run goes on without it');
    } catch (err) {
      // A renewal that fails (the database busy for longer than its timeout) is retried at the next one.
      log.warn({ err }, 'run lock lease not renewed');
    }
  };
  // One renewal at a time; SQLite's runs at once, inside the call (the store is synchronous underneath).
  const renew = (): void => {
    if (lost || renewing) return;
    renewing = renewOnce().finally(() => {
      renewing = undefined;
    });
  };
  const lease: RunLease = {
    renewIfDue() {
      if (clock() - lastRenewMs >= renewEveryMs) renew();
    },
  };
  // unref: a pending renewal never keeps the process alive after the run.
  const timer = setInterval(renew, renewEveryMs);
  timer.unref();
  try {
    return await fn(lease);
  } finally {
    clearInterval(timer);
    await renewing;
    await store.releaseLock(RUN_LOCK, self.pid, self.host);
  }
}

/** Returns a run checkpoint that renews the lease when due, then calls `next` (fault injection). */
export function renewingCheckpoint(lease: RunLease, next?: (label: string) => void): (label: string) => void {
  return (label) => {
    lease.renewIfDue();
    next?.(label);
  };
}

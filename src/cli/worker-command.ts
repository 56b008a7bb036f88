import os from 'node:os';
import { loadOverrides } from '../config/overrides.js';
import { FeedfoldError } from '../model/errors.js';
import type { SourceSpec } from '../model/source.js';
import { workRound } from '../pipeline.js';
import { createParsePool } from '../pipeline/parse-pool.js';
import { leaseMsFromEnv } from '../schedule/run-lock.js';
import type { SourceRow } from '../store/store.js';
import { openContext, resolveNow, runSources, type CommonOptions } from './context.js';
import { packageVersion } from './version.js';

/** How long a worker that found nothing due waits before it looks again. */
const WORKER_IDLE_MS = 5_000;
/**
 * How long in all a `--once` worker that leased nothing waits for due sources whose rows another transaction holds
 * for a moment (a worker starting up writes the config's sources), looking again after 50 ms, 100 ms, … up to 1 s.
 */
const ONCE_WAIT_MS = 15_000;
const ONCE_FIRST_WAIT_MS = 50;
const ONCE_MAX_WAIT_MS = 1_000;

/** Resolves after `ms`, or at once when the worker is told to stop. */
function idle(ms: number, stopping: { now: boolean; wake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stopping.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/** Whether writing a configured source would change its stored row (upsertSources keeps a stored title when the config gives none). */
function needsWrite(spec: SourceSpec, row: SourceRow | undefined): boolean {
  if (row === undefined) return true;
  return row.spec.kind !== spec.kind || row.spec.location !== spec.location || (spec.title !== undefined && spec.title !== row.spec.title);
}

/**
 * Reads due sources and commits their articles as pending, leasing each source while it works
 * (`feedfold worker`): any number run at once, on any host sharing a PostgreSQL store, and each
 * source is read by one of them. Clustering and publishing stay with `feedfold run --no-fetch`
 * (one at a time, under the run lock). A source read rests until its lease lapses
 * (FEEDFOLD_LOCK_LEASE_MS). With --once it stops when nothing due is left to lease (sources other
 * workers hold are theirs; rows another transaction holds for a moment are waited for); else it runs until
 * SIGTERM/SIGINT, finishing the round in flight.
 */
export async function workerCommand(opts: CommonOptions & { once?: boolean; limit?: string }, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new FeedfoldError('config', 'invalid', `--limit: a whole number of sources, at least 1, not ${JSON.stringify(opts.limit)}`);
  const leaseMs = leaseMsFromEnv(env);
  const ctx = await openContext(opts, env);
  const { config, store, logger } = ctx;
  const owner = `${os.hostname()}:${process.pid}`;
  const parsePool = createParsePool();
  const stopping: { now: boolean; wake?: () => void } = { now: false };
  const stop = (): void => {
    stopping.now = true;
    stopping.wake?.();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    // The config's sources are known to every worker; imported ones are in the store already. Only new and changed
    // ones are written: writing a source locks its row until the commit, and a worker leasing sources meanwhile skips
    // locked rows, so a worker starting up on an unchanged config would leave the others nothing to lease for a moment
    // (and a `--once` worker that leases nothing stops).
    const configured = await runSources(config, undefined);
    const stored = new Map((await store.sources.listSources()).map((r) => [r.spec.id, r]));
    const changed = configured.filter((spec) => needsWrite(spec, stored.get(spec.id)));
    if (changed.length > 0) await store.unitOfWork(() => store.sources.upsertSources(changed.map((spec) => ({ spec, origin: stored.get(spec.id)?.origin ?? 'config' }))));
    const sources = await runSources(config, store);
    let onceWait = { waited: 0, next: ONCE_FIRST_WAIT_MS };
    while (!stopping.now) {
      const now = resolveNow(opts, env);
      const round = await workRound(
        { config, store, logger, now, sources, overrides: loadOverrides(config.overridesFile), version: packageVersion(), parsePool },
        { owner, leaseMs, limit: limit ?? config.fetch.concurrency },
      );
      if (round.sources.length > 0) logger.info({ worker: owner, sources: round.sources, articlesNew: round.articlesNew, edits: round.edits }, 'worker round');
      if (!opts.quiet && round.sources.length > 0) out(`worker ${owner}: read ${round.sources.length} source(s); ${round.articlesNew} new article(s) pending`);
      if (round.sources.length > 0) {
        onceWait = { waited: 0, next: ONCE_FIRST_WAIT_MS };
      } else if (opts.once) {
        // Nothing leased: done, unless due sources nobody leases were skipped because another transaction held their
        // rows (workers starting together on a new store each write the sources); those are left to no one.
        if (onceWait.waited >= ONCE_WAIT_MS || (await store.sources.countClaimable(now, new Date().toISOString())) === 0) break;
        await idle(onceWait.next, stopping);
        onceWait = { waited: onceWait.waited + onceWait.next, next: Math.min(2 * onceWait.next, ONCE_MAX_WAIT_MS) };
      } else {
        await idle(WORKER_IDLE_MS, stopping);
      }
    }
    return 0;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    await parsePool.close();
    await store.close();
    logger.flush?.();
  }
}

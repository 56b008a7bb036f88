import { loadOverrides } from '../config/overrides.js';
import { FeedfoldError } from '../model/errors.js';
import type { RunSummary } from '../model/run.js';
import type { SourceSpec } from '../model/source.js';
import { runOnce } from '../pipeline.js';
import type { IndexKeeper } from '../pipeline/kept-index.js';
import type { ParsePool } from '../pipeline/parse-pool.js';
import { renewingCheckpoint, withRunLock } from '../schedule/run-lock.js';
import type { CommandContext } from './context.js';
import { packageVersion } from './version.js';

/** What one cycle of a long-lived process (the daemon, the clustering leader) runs with. */
export interface CycleOptions {
  now: string;
  sources: SourceSpec[];
  /** Reads no source by design (a leader: workers read them). */
  clusterOnly?: boolean;
  keeper: IndexKeeper;
  leaseMs: number;
  parsePool?: ParsePool;
  signal?: AbortSignal;
  /** Fault injection (FEEDFOLD_KILL_AT), after the lease's renewal. */
  checkpoint?: (label: string) => void;
}

/**
 * Runs one cycle under the run lock with the process's kept index, and returns its summary; undefined (and a warning
 * logged) when another run holds the lock. The overrides are read again each cycle: an operator edits them between.
 */
export async function lockedCycle(ctx: CommandContext, opts: CycleOptions): Promise<RunSummary | undefined> {
  const { config, store, logger } = ctx;
  try {
    return await withRunLock(store.locks, { logger, leaseMs: opts.leaseMs }, (lease) =>
      runOnce({
        config,
        store,
        logger,
        now: opts.now,
        overrides: loadOverrides(config.overridesFile),
        sources: opts.sources,
        ...(opts.clusterOnly === true ? { clusterOnly: true } : {}),
        version: packageVersion(),
        checkpoint: renewingCheckpoint(lease, opts.checkpoint),
        keeper: opts.keeper,
        ...(opts.parsePool ? { parsePool: opts.parsePool } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof FeedfoldError && err.kind === 'busy') {
      logger.warn({ err }, 'run skipped: another run holds the lock');
      return undefined;
    }
    throw err;
  }
}

import { existsSync } from 'node:fs';
import { describeHolder, RUN_LOCK } from '../schedule/run-lock.js';
import { openStore } from '../store/open-store.js';
import { loadCommandConfig, type CommonOptions } from './context.js';

/**
 * Removes the run lock whoever holds it (`feedfold unlock`), for an operator who knows the run
 * that holds it is gone and will not wait for its lease to lapse; prints who held it.
 */
export async function unlockCommand(opts: CommonOptions, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const config = loadCommandConfig(opts, env);
  if (config.storeUrl === undefined && !existsSync(config.storeFile)) {
    out(`the run lock is free (no store at ${config.storeFile} yet)`);
    return 0;
  }
  const store = await openStore(config);
  try {
    const holder = await store.locks.clearLock(RUN_LOCK);
    if (!holder) {
      out('the run lock is free; nothing to remove');
      return 0;
    }
    const live = holder.expiresAt !== undefined && Date.parse(holder.expiresAt) > Date.now();
    out(`removed the run lock held by ${describeHolder(holder)}`);
    if (live) out('its lease had not lapsed: if that run is still going, it logs that it lost the lock and finishes');
    return 0;
  } finally {
    await store.close();
  }
}

import { loadConfig } from '../../src/config/load-config.js';
import { loadOverrides } from '../../src/config/overrides.js';
import { createLogger } from '../../src/log/create-logger.js';
import type { RunSummary } from '../../src/model/run.js';
import { runOnce, type RunDeps } from '../../src/pipeline.js';
import { createParsePool, type ParsePool } from '../../src/pipeline/parse-pool.js';
import { runSources } from '../../src/cli/context.js';
import { openStore as openConfiguredStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

// One set of parse workers for the runs of a test file, as a daemon keeps one across its runs (idle
// workers do not keep the process alive).
let parsePool: ParsePool | undefined;

/** Runs the pipeline in-process on a config file at an injected time; returns the summary. */
export async function runPipeline(configFile: string, now: string, extra: Pick<RunDeps, 'addressPolicy' | 'profile'> = {}): Promise<RunSummary> {
  const config = loadConfig(configFile);
  const store = await openConfiguredStore(config);
  const logger = createLogger({ level: config.log.level, file: config.logFile });
  try {
    return await runOnce({ config, store, logger, now, sources: await runSources(config, store), overrides: loadOverrides(config.overridesFile), version: '0.0.0-test', parsePool: (parsePool ??= createParsePool()), ...extra });
  } finally {
    await store.close();
  }
}

/** Opens the store of a config for assertions. */
export async function openStore(configFile: string): Promise<Store> {
  return openConfiguredStore(loadConfig(configFile));
}

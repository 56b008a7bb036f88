import { runOnce } from '../pipeline.js';
import type { RunSummary } from '../model/run.js';
import { checkpointFromEnv } from '../schedule/fault-injection.js';
import { leaseMsFromEnv, renewingCheckpoint, withRunLock } from '../schedule/run-lock.js';
import { locateConfigFile, openContext, resolveNow, runSources, type CommonOptions } from './context.js';
import { packageVersion } from './version.js';

/** Formats a run summary as one line for people. */
export function describeRun(s: RunSummary, feedFile: string): string {
  return (
    `run ${s.runId}: ${s.sourcesOk} source(s) ok, ${s.sourcesFailed} failed, ${s.sourcesSkipped} skipped; ` +
    `${s.articlesNew} new article(s); ${s.storiesNew} new and ${s.storiesUpdated} updated stories; ` +
    `feed ${s.feedChanged ? 'written' : 'unchanged'}: ${feedFile} (${s.durationMs} ms)`
  );
}

/** Exit code of a run in which every source that was read failed: nothing new could be read (EX_UNAVAILABLE). */
export const EXIT_ALL_SOURCES_FAILED = 69;

/** Whether a run read nothing because every source it tried failed (sources in back-off were not tried). */
export function everySourceFailed(s: RunSummary): boolean {
  return s.sourcesFailed > 0 && s.sourcesOk === 0;
}

/**
 * Runs the pipeline once under the run lock (`feedfold run`). Warnings go to stderr, with -q too (they are the
 * problems); -q leaves out the rest. Exits with EXIT_ALL_SOURCES_FAILED when every source read failed.
 */
export async function runCommand(opts: CommonOptions, env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const leaseMs = leaseMsFromEnv(env);
  const ctx = openContext(opts, env);
  try {
    const now = resolveNow(opts, env);
    const summary = await withRunLock(ctx.store, { logger: ctx.logger, leaseMs }, (lease) =>
      runOnce({ ...ctx, now, sources: runSources(ctx.config, ctx.store), version: packageVersion(), checkpoint: renewingCheckpoint(lease, checkpointFromEnv(env)) }),
    );
    if (!opts.quiet) {
      const { file, origin } = locateConfigFile(opts, env);
      out(`config: ${file} (${origin})`);
      out(describeRun(summary, ctx.config.feedFile));
    }
    if (!everySourceFailed(summary)) return 0;
    const waiting = summary.sourcesSkipped > 0 ? `; ${summary.sourcesSkipped} more wait out their back-off` : '';
    err(`feedfold: all ${summary.sourcesFailed} source(s) read in this run failed${waiting}; nothing new was read`);
    return EXIT_ALL_SOURCES_FAILED;
  } finally {
    ctx.store.close();
    ctx.logger.flush?.();
  }
}

import { runOnce } from '../pipeline.js';
import type { RunSummary } from '../model/run.js';
import { checkpointFromEnv } from '../schedule/fault-injection.js';
import { leaseMsFromEnv, renewingCheckpoint, withRunLock } from '../schedule/run-lock.js';
import { openContext, resolveNow, runSources, type CommonOptions } from './context.js';
import { packageVersion } from './version.js';

/** Formats a run summary as one line for people. */
export function describeRun(s: RunSummary, feedFile: string): string {
  return (
    `run ${s.runId}: ${s.sourcesOk} source(s) ok, ${s.sourcesFailed} failed, ${s.sourcesSkipped} skipped; ` +
    `${s.articlesNew} new article(s); ${s.storiesNew} new and ${s.storiesUpdated} updated stories; ` +
    `feed ${s.feedChanged ? 'written' : 'unchanged'}: ${feedFile} (${s.durationMs} ms)`
  );
}

/** Runs the pipeline once under the run lock (`feedfold run`); with --no-fetch it reads no source. */
export async function runCommand(opts: CommonOptions & { fetch?: boolean }, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const leaseMs = leaseMsFromEnv(env);
  const ctx = await openContext(opts, env);
  try {
    const now = resolveNow(opts, env);
    // --no-fetch: the workers read the sources; this run clusters what they committed.
    const sources = opts.fetch === false ? [] : await runSources(ctx.config, ctx.store);
    const summary = await withRunLock(ctx.store.locks, { logger: ctx.logger, leaseMs }, (lease) =>
      runOnce({ ...ctx, now, sources, version: packageVersion(), checkpoint: renewingCheckpoint(lease, checkpointFromEnv(env)) }),
    );
    if (!opts.quiet) out(describeRun(summary, ctx.config.feedFile));
    return 0;
  } finally {
    await ctx.store.close();
    ctx.logger.flush?.();
  }
}

import { runOnce } from '../pipeline.js';
import type { RunProgress, RunSummary } from '../model/run.js';
import { checkpointFromEnv } from '../schedule/fault-injection.js';
import { leaseMsFromEnv, renewingCheckpoint, withRunLock } from '../schedule/run-lock.js';
import { locateConfigFile, openContext, resolveNow, runSources, type CommonOptions } from './context.js';
import { ProgressLine } from './progress-line.js';
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

/** The shell's exit code for a process ended by a signal: 128 + its number (130 for Ctrl-C). */
function signalExitCode(sig: NodeJS.Signals): number {
  return 128 + (sig === 'SIGINT' ? 2 : 15);
}

/**
 * Stops the run early on the first Ctrl-C (SIGINT) or SIGTERM: fetches in flight are aborted and the run keeps what it
 * had read. A second signal ends the process at once, as it would without feedfold's handler.
 */
function stopOnSignal(): { signal: AbortSignal; received: () => NodeJS.Signals | undefined; dispose: () => void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const on = (sig: NodeJS.Signals): void => {
    received = sig;
    dispose();
    controller.abort(sig);
  };
  const dispose = (): void => {
    process.off('SIGINT', on);
    process.off('SIGTERM', on);
  };
  process.once('SIGINT', on);
  process.once('SIGTERM', on);
  return { signal: controller.signal, received: () => received, dispose };
}

/**
 * Runs the pipeline once under the run lock (`feedfold run`). Warnings go to stderr, with -q too (they are the
 * problems); -q leaves out the rest. Exits with EXIT_ALL_SOURCES_FAILED when every source read failed. Ctrl-C stops
 * reading sources, keeps and publishes what was read, says so, and exits 130. With --no-fetch it reads no source: the
 * workers read them, and this run clusters what they committed.
 */
export async function runCommand(opts: CommonOptions & { fetch?: boolean }, env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const leaseMs = leaseMsFromEnv(env);
  const ctx = await openContext(opts, env);
  const stop = stopOnSignal();
  // A terminal watching a long run sees where it is; a pipe, a log or -q get no such line.
  const progress = !opts.quiet && process.stderr.isTTY ? new ProgressLine(process.stderr) : undefined;
  try {
    const now = resolveNow(opts, env);
    // --no-fetch: the workers read the sources; this run clusters what they committed.
    const sources = opts.fetch === false ? [] : await runSources(ctx.config, ctx.store);
    const summary = await withRunLock(ctx.store.locks, { logger: ctx.logger, leaseMs }, (lease) =>
      runOnce({
        ...ctx,
        now,
        sources,
        ...(opts.fetch === false ? { clusterOnly: true } : {}),
        version: packageVersion(),
        checkpoint: renewingCheckpoint(lease, checkpointFromEnv(env)),
        signal: stop.signal,
        ...(progress ? { progress: (p: RunProgress) => progress.update(p) } : {}),
      }),
    ).finally(() => progress?.clear());
    const sig = stop.received();
    if (sig !== undefined) {
      err(`feedfold: interrupted (${sig}): the sources not read by then are left for the next run; what was read is stored and published (${describeRun(summary, ctx.config.feedFile)})`);
      return signalExitCode(sig);
    }
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
    stop.dispose();
    await ctx.store.close();
    ctx.logger.flush?.();
  }
}

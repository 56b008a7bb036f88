import os from 'node:os';
import { IndexKeeper } from '../pipeline/kept-index.js';
import { startDaemon } from '../schedule/daemon.js';
import { checkpointFromEnv } from '../schedule/fault-injection.js';
import { awaitLeadership, leaderPollMsFromEnv, leadershipName } from '../schedule/leader.js';
import { leaseMsFromEnv } from '../schedule/run-lock.js';
import type { Leadership } from '../store/store.js';
import { openContext, resolveNow, type CommandContext, type CommonOptions } from './context.js';
import { lockedCycle } from './locked-cycle.js';
import { describeRun } from './run-command.js';

/** Resolves with the signal when SIGTERM or SIGINT arrives; `dispose` stops listening. */
function signals(): { received: Promise<NodeJS.Signals>; dispose: () => void } {
  let on: (sig: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    on = (sig) => resolve(sig);
  });
  process.once('SIGTERM', on);
  process.once('SIGINT', on);
  return { received, dispose: () => (process.off('SIGTERM', on), process.off('SIGINT', on)) };
}

/** How one term as leader ended. */
type TermEnd = 'stopped' | 'lost' | 'once';

/**
 * Leads while `leadership` holds: a cycle on the cron schedule (one cycle with `once`), each clustering what the
 * workers committed and publishing, with the index kept between cycles. Ends on a signal, on the leadership's loss
 * (the process then stops assigning at once: its commits would fail on the lost connection anyway), or after one cycle.
 */
async function lead(ctx: CommandContext, leadership: Leadership, opts: CommonOptions & { once?: boolean }, env: NodeJS.ProcessEnv, out: (s: string) => void, stop: Promise<NodeJS.Signals>, stopping: AbortController): Promise<TermEnd> {
  const { config, logger } = ctx;
  const keeper = new IndexKeeper();
  const leaseMs = leaseMsFromEnv(env);
  const checkpoint = checkpointFromEnv(env);
  const cycle = async (): Promise<void> => {
    if (leadership.isLost()) return;
    // --now / FEEDFOLD_NOW pin the time of every cycle (tests); else the clock, read here, at the entry point.
    const now = resolveNow(opts, env);
    try {
      const summary = await lockedCycle(ctx, { now, sources: [], clusterOnly: true, keeper, leaseMs, signal: stopping.signal, ...(checkpoint ? { checkpoint } : {}) });
      if (summary) {
        logger.info({ run: summary.runId, indexArticles: keeper.size(), rebuilds: keeper.rebuilds, reuses: keeper.reuses }, 'leader cycle');
        if (!opts.quiet) out(describeRun(summary, config.feedFile));
      }
    } catch (err) {
      keeper.drop();
      throw err;
    }
  };
  if (opts.once) {
    await cycle();
    return 'once';
  }
  const daemon = startDaemon({ cron: config.schedule.cron, logger, runAtStart: true, cycle });
  const end = await Promise.race([stop.then(() => 'stopped' as const), leadership.lost.then(() => 'lost' as const)]);
  if (end === 'lost') logger.error({ leadership: leadershipName(config.feed.id) }, 'leadership lost (its database connection ended): no more cycles; waiting to lead again');
  await daemon.stop();
  keeper.drop();
  return end;
}

/**
 * Clusters and publishes one output feed for workers that read its sources (`feedfold leader`): one process per feed
 * leads, holding the feed's leadership (a PostgreSQL advisory lock on the connection that commits its batches);
 * others started for the same feed wait as standbys and take over when the leader's connection ends (its process
 * died, its host went away). The story index stays in memory between cycles. With --once: lead for one cycle, then
 * exit (waiting for the leadership first). On SQLite the run lock keeps two runs apart.
 */
export async function leaderCommand(opts: CommonOptions & { once?: boolean }, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const pollMs = leaderPollMsFromEnv(env);
  const ctx = await openContext(opts, env);
  const { config, store, logger } = ctx;
  const name = leadershipName(config.feed.id);
  const owner = `${os.hostname()}:${process.pid}`;
  const sig = signals();
  const stopping = new AbortController();
  void sig.received.then((s) => {
    logger.info({ signal: s }, `${s} received: stopping after the cycle in flight`);
    stopping.abort(s);
  });
  try {
    while (!stopping.signal.aborted) {
      const leadership = await awaitLeadership(store.locks, name, {
        pollMs,
        signal: stopping.signal,
        logger,
        onStandby: () => {
          if (!opts.quiet) out(`leader ${owner}: standby for feed ${config.feed.id}`);
        },
      });
      if (!leadership) break;
      logger.info({ leadership: name, owner }, 'leading');
      if (!opts.quiet) out(`leader ${owner}: leading feed ${config.feed.id}`);
      try {
        const end = await lead(ctx, leadership, opts, env, out, sig.received, stopping);
        if (end !== 'lost') break;
        if (!opts.quiet) out(`leader ${owner}: leadership lost; standing by`);
      } finally {
        await leadership.release();
      }
    }
    return 0;
  } finally {
    sig.dispose();
    await store.close();
    logger.flush?.();
  }
}

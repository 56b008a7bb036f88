import cron from 'node-cron';
import type { Logger } from 'pino';
import { FeedfoldError } from '../model/errors.js';

/** A running schedule. */
export interface Daemon {
  /** Stops scheduling and resolves once the run in flight (if any) has finished. */
  stop(): Promise<void>;
  /** Number of cycles started so far. */
  cycles(): number;
}

/** Derives Cache-Control max-age from a cron expression: the time between its next two runs. */
export function cronIntervalSeconds(expression: string, fallbackSeconds = 1800): number {
  if (!cron.validate(expression)) return fallbackSeconds;
  const task = cron.createTask(expression, () => undefined);
  try {
    const [a, b] = task.getNextRuns(2);
    return a && b ? Math.max(1, Math.round((b.getTime() - a.getTime()) / 1000)) : fallbackSeconds;
  } finally {
    void task.destroy();
  }
}

/**
 * Runs `cycle` on a node-cron schedule, never two at once: a tick that finds a cycle still
 * running is skipped and logged. `runAtStart` runs one cycle immediately.
 */
export function startDaemon(opts: { cron: string; cycle: () => Promise<void>; logger: Logger; runAtStart?: boolean }): Daemon {
  if (!cron.validate(opts.cron)) throw new FeedfoldError('schedule', 'invalid-cron', `schedule.cron: not a valid cron expression: ${opts.cron}`);
  let inFlight: Promise<void> | undefined;
  let started = 0;
  let stopping = false;
  const tick = (): Promise<void> | undefined => {
    if (stopping) return undefined;
    if (inFlight) {
      opts.logger.warn({ cron: opts.cron }, 'previous run still in progress; tick skipped');
      return undefined;
    }
    started++;
    inFlight = opts
      .cycle()
      .catch((err: unknown) => opts.logger.error({ err }, 'run failed'))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  // The callback does not hand node-cron the cycle's promise, and node-cron's own noOverlap is off:
  // with both, node-cron swallowed overlapping ticks with a console.warn, so no skipped tick ever
  // reached the NDJSON log. The guard in tick() is the one overlap check, and it logs.
  const cronLog = opts.logger.child({ stage: 'schedule' });
  const task = cron.schedule(
    opts.cron,
    () => {
      void tick();
    },
    {
      name: 'feedfold-run',
      logger: {
        info: (message) => cronLog.info(message),
        warn: (message) => cronLog.warn(message),
        error: (message, err) => cronLog.error({ err: err ?? message }, String(message)),
        debug: (message, err) => cronLog.debug({ err: err ?? message }, String(message)),
      },
    },
  );
  if (opts.runAtStart) void tick();
  return {
    async stop() {
      stopping = true;
      await task.stop();
      if (inFlight) await inFlight;
      await task.destroy();
    },
    cycles: () => started,
  };
}

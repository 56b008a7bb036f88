import type { Config } from '../config/load-config.js';
import type { Logger } from '../log/create-logger.js';
import { publishFromStore, runOnce } from '../pipeline.js';
import { createReviewService } from '../pipeline/review-service.js';
import type { ReviewApiOptions } from '../serve/review/review-api.js';
import { openStore, openStoreReadOnly } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { IndexKeeper } from '../pipeline/kept-index.js';
import { createParsePool } from '../pipeline/parse-pool.js';
import { cronIntervalSeconds, startDaemon } from '../schedule/daemon.js';
import { leaseMsFromEnv, withRunLock } from '../schedule/run-lock.js';
import { loadOverrides } from '../config/overrides.js';
import { startServer, type RunningServer } from '../serve/create-server.js';
import { FeedfoldError } from '../model/errors.js';
import { loadCommandConfig, openContext, readOnlyLogger, runSources, type CommonOptions } from './context.js';
import { lockedCycle } from './locked-cycle.js';
import { describeRun } from './run-command.js';
import { packageVersion } from './version.js';

/** Options of `serve` and `daemon`. */
export interface ServeOptions extends CommonOptions {
  host?: string;
  port?: string;
  serve?: boolean;
}

function serverFlags(opts: ServeOptions): { host?: string; port?: number } {
  const port = opts.port !== undefined ? Number(opts.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new FeedfoldError('config', 'invalid', `--port: not a port number: ${opts.port}`);
  return { ...(opts.host ? { host: opts.host } : {}), ...(port !== undefined ? { port } : {}) };
}

function maxAgeOf(config: Config): number {
  return config.schedule.maxAgeSeconds ?? cronIntervalSeconds(config.schedule.cron);
}

/**
 * The review app of a server: with an admin token the store is opened for writing (corrections),
 * else read-only, and only once a run has created it. `shared` is the daemon's own store.
 */
export function reviewOptions(config: Config, logger: Logger, shared?: Store): ReviewApiOptions {
  const adminToken = config.serve.adminToken;
  let opened: Promise<Store | undefined> | undefined = shared ? Promise.resolve(shared) : undefined;
  const store = async (): Promise<Store | undefined> => {
    opened ??= adminToken !== undefined ? openStore(config) : openStoreReadOnly(config);
    const s = await opened;
    if (!s) opened = undefined;
    return s;
  };
  const service = createReviewService({
    config,
    store,
    logger: logger.child({ stage: 'review' }),
    // The server is an entry point: it reads the clock for the time of a correction.
    now: () => new Date().toISOString(),
    fileOverrides: () => loadOverrides(config.overridesFile),
    publish: async () => {
      const s = (await store()) as Store;
      // Published as of the latest run, like the corrections (see createReviewService).
      const now = (await s.runs.lastRunStartedAt()) ?? new Date().toISOString();
      return withRunLock(s.locks, { logger }, () => publishFromStore({ config, store: s, now, version: packageVersion(), logger }));
    },
    writable: adminToken !== undefined,
  });
  return { service, ...(adminToken !== undefined ? { adminToken } : {}) };
}

async function serveFromConfig(config: Config, logger: Logger, review: ReviewApiOptions): Promise<RunningServer> {
  const server = await startServer({
    review,
    host: config.serve.host,
    port: config.serve.port,
    outDir: config.outDir,
    maxAgeSeconds: maxAgeOf(config),
    maxConnections: config.serve.maxConnections,
    staleAfterSeconds: config.serve.staleAfterRuns * maxAgeOf(config),
    logger: logger.child({ stage: 'serve' }),
  });
  logger.info({ url: server.url }, 'serving');
  return server;
}

/** Resolves when SIGTERM or SIGINT arrives. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(sig);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/**
 * Serves the published feed, the report and the review app over HTTP until SIGTERM/SIGINT
 * (`feedfold serve`). Without an admin token it only reads (the store read-only), and logs to
 * stderr when `out/` is read-only.
 */
export async function serveCommand(opts: ServeOptions, env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const config = loadCommandConfig(opts, env, serverFlags(opts));
  const logger = readOnlyLogger(config, opts, err);
  const review = reviewOptions(config, logger);
  const server = await serveFromConfig(config, logger, review);
  // Listening for the signals before saying it serves: a supervisor (or a test) that stops it as soon as it reads the
  // line gets a clean stop, never the default action of a signal nothing listens for yet.
  const signalled = untilSignal();
  out(`serving ${server.url}/feed.atom and ${server.url}/report`);
  out(`review app: ${server.url}/review (${config.serve.adminToken !== undefined ? 'corrections allowed with the admin token' : 'read-only: set FEEDFOLD_ADMIN_TOKEN to allow corrections'})`);
  await signalled;
  await server.close();
  await review.service.close();
  return 0;
}

/**
 * How long after SIGTERM the daemon may take to stop: within systemd's default stop timeout (90 s) by far. Fetches in
 * flight are aborted at once, so a run normally ends in well under a second; past this the process exits anyway (the
 * store is crash-safe) and says so.
 */
const STOP_DEADLINE_MS = 9_000;

/**
 * Runs the pipeline on the configured cron schedule (`feedfold daemon`), optionally serving;
 * never two runs at once (the store's run lock also keeps out a system-cron `feedfold run`).
 * SIGTERM/SIGINT abort the fetches in flight; the run stores and publishes what it had read, and
 * the daemon exits 0 within STOP_DEADLINE_MS.
 */
export async function daemonCommand(opts: ServeOptions & { runAtStart?: boolean }, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const leaseMs = leaseMsFromEnv(env);
  const ctx = await openContext(opts, env, serverFlags(opts));
  const { config, store, logger } = ctx;
  const server = opts.serve ? await serveFromConfig(config, logger, reviewOptions(config, logger, store)) : undefined;
  // As in serve: the signals are listened for before the first line says the daemon is up.
  const signalled = untilSignal();
  // server.url has no trailing slash; the bound port (also for --port 0) is printed for scripts and tests.
  if (server) out(`serving ${server.url}/feed.atom`);
  // The parse workers live as long as the daemon, so a cycle does not pay for starting them.
  const parsePool = createParsePool();
  // The story index lives as long as the daemon too: a cycle adds what it assigns instead of reading the window again.
  const keeper = new IndexKeeper();
  const stopping = new AbortController();
  const daemon = startDaemon({
    cron: config.schedule.cron,
    logger,
    runAtStart: opts.runAtStart ?? true,
    cycle: async () => {
      // The daemon is a command-line entry point: it reads the clock and hands `now` to the run.
      const now = new Date().toISOString();
      const summary = await lockedCycle(ctx, { now, sources: await runSources(config, store), keeper, leaseMs, parsePool, signal: stopping.signal });
      if (summary && !opts.quiet) out(describeRun(summary, config.feedFile));
    },
  });
  out(`daemon started: schedule "${config.schedule.cron}"`);
  const sig = await signalled;
  logger.info({ signal: sig }, `${sig} received: stopping; fetches in flight are aborted and the run in flight keeps what it read`);
  stopping.abort(sig);
  const deadline = setTimeout(() => {
    logger.error({ signal: sig, deadlineMs: STOP_DEADLINE_MS }, `the run in flight did not end within ${STOP_DEADLINE_MS / 1000} s of ${sig}; exiting without it`);
    logger.flush?.();
    process.exit(1);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  await daemon.stop();
  await parsePool.close();
  if (server) await server.close();
  await store.close();
  clearTimeout(deadline);
  logger.info({ cycles: daemon.cycles(), signal: sig }, `daemon stopped on ${sig}`);
  return 0;
}

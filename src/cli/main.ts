import type * as CommanderModule from 'commander';
import type { Command } from 'commander';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { FeedfoldError } from '../model/errors.js';
import { packageVersion } from './version.js';

// commander's CommonJS build, required as such: imported, the same build came through an ES module wrapper whose exports
// Node.js finds by reading its source, a third of the 15 ms it took to load.
const { Command: CommandClass, CommanderError, Option } = createRequire(import.meta.url)('commander') as typeof CommanderModule;

/** Set once the reader of stdout has gone (`feedfold sources | head -1`): later lines are dropped. */
let stdoutGone = false;
const out = (s: string): void => {
  if (!stdoutGone) process.stdout.write(`${s}\n`);
};
const err = (s: string): void => void process.stderr.write(`${s}\n`);

/** Exit code when another run holds the lock (EX_TEMPFAIL from sysexits.h: cron may retry). */
const EXIT_BUSY = 75;

function common(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: ./feedfold.yaml, else ./config/feedfold.yaml, else the bundled one)')
    .option('--out <dir>', 'output folder (overrides `out` in the config)')
    .option('--log-level <level>', 'log level for the NDJSON log file')
    .option('--now <iso-date>', 'the time of the run (default: the clock); makes runs reproducible')
    .option('-q, --quiet', 'print nothing but errors');
}

/**
 * Builds the `feedfold` command line. Each command's module is loaded when that command runs: a process loads only
 * what its command uses (`cluster` needs no store, fetcher or server; loading them all cost 0.7 s of CPU a start).
 */
export function buildProgram(setCode: (code: number) => void): Command {
  const env = process.env;
  const program = new CommandClass('feedfold')
    .description('Fold the same story from many feeds into one entry of a merged Atom feed.')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();

  common(
    program
      .command('run')
      .description('run the pipeline once: read sources, cluster, publish out/feed.atom')
      .option('--no-fetch', 'read no source: cluster what workers committed, and publish'),
  ).action(async (opts) => setCode(await (await import('./run-command.js')).runCommand(opts, env, out, err)));
  common(
    program
      .command('worker')
      .description('read due sources and commit their articles for clustering (any number at once, sharing a PostgreSQL store)')
      .option('--once', 'stop when nothing due is left, instead of waiting for more')
      .option('--limit <n>', 'sources leased per round (default: fetch.concurrency)'),
  ).action(async (opts) => setCode(await (await import('./worker-command.js')).workerCommand(opts, env, out)));
  common(
    program
      .command('leader')
      .description("cluster what workers committed and publish, on the cron schedule, keeping the index in memory; one leader per feed, others stand by")
      .option('--once', 'lead for one cycle (after waiting for the leadership), then exit'),
  ).action(async (opts) => setCode(await (await import('./leader-command.js')).leaderCommand(opts, env, out)));
  common(
    program
      .command('inspect')
      .argument('<file|url>', 'feed URL, feed file, article file or folder')
      .description('print what feedfold reads from one feed or article file, as JSON')
      .option('--allow-private-networks', 'fetch from loopback and private addresses (as fetch.allowPrivateNetworks)'),
  ).action(
    async (target: string, opts) => setCode(await (await import('./inspect-command.js')).inspectCommand(target, opts, env, out, err)),
  );
  program
    .command('cluster')
    .description('cluster a JSON Lines batch without touching any state (for evaluation)')
    .requiredOption('--in <file>', 'input JSON Lines: {"id","title","text"?,"html"?,"url"?,"published"?,"source"?,"lang"?}; - for stdin')
    .requiredOption('--out <file>', 'output JSON Lines: {"id","story",...}; - for stdout')
    .option('--threshold <score>', 'join threshold (default: the tuned one)')
    .option('--merge-threshold <similarity>', 'whole-story similarity at which two stories merge (default: the tuned one; above 1: never)')
    .option('--window-hours <hours>', 'time window for joining stories')
    .action(async (opts) => setCode(await (await import('./cluster-command.js')).clusterCommand(opts)));
  common(program.command('sources').description('list sources with their fetch state').option('--json', 'print JSON').option('--retry <id|all>', 'clear the back-off of a source (or of all) so that the next run reads it')).action(async (opts) => setCode(await (await import('./sources-command.js')).sourcesCommand(opts, env, out)));
  common(program.command('import-opml').argument('<file>', 'OPML subscription list').description('subscribe to the feeds of an OPML file')).action(async (file: string, opts) =>
    setCode(await (await import('./sources-command.js')).importOpmlCommand(file, opts, env, out)),
  );
  common(program.command('export-opml').description('write the feed subscriptions as OPML').option('-f, --file <file>', 'write to this file instead of stdout')).action(async (opts) =>
    setCode(await (await import('./sources-command.js')).exportOpmlCommand(opts, env, out)),
  );
  common(program.command('explain').argument('<story-id|article-url>', 'a story id, or the URL or id of any article in it').description('show why these versions are together and why one is canonical').option('--json', 'print JSON')).action(
    async (ref: string, opts) => setCode(await (await import('./explain-command.js')).explainCommand(ref, opts, env, out, err)),
  );
  const overrides = program.command('overrides').description('corrections kept in the store by the review app');
  common(
    overrides
      .command('export')
      .description('write the corrections in effect (overrides.yaml and the review app) in the overrides.yaml format')
      .option('-f, --file <file>', 'write to this file instead of stdout')
      .option('--app-only', 'only the corrections made in the review app'),
  ).action(async (opts) => setCode(await (await import('./overrides-command.js')).exportOverridesCommand(opts, env, out)));
  common(program.command('serve').description('serve the feed, the report, the review app and a health check over HTTP').option('--host <host>', 'bind address').option('--port <port>', 'port')).action(async (opts) =>
    setCode(await (await import('./serve-command.js')).serveCommand(opts, env, out, err)),
  );
  common(program.command('unlock').description('remove the run lock left by a run that is gone, and print who held it')).action(async (opts) => setCode(await (await import('./unlock-command.js')).unlockCommand(opts, env, out)));
  common(program.command('doctor').description('check the state database; --fix moves rows that cannot be read to a quarantine table').option('--fix', 'quarantine the rows that cannot be read')).action(async (opts) =>
    setCode((await import('./doctor-command.js')).doctorCommand(opts, env, out)),
  );
  common(
    program
      .command('daemon')
      .description('run on the cron schedule from the config until SIGTERM/SIGINT')
      .option('--serve', 'also serve the feed and report')
      .option('--host <host>', 'bind address')
      .option('--port <port>', 'port')
      .addOption(new Option('--no-run-at-start', 'wait for the first scheduled time instead of running at once')),
  ).action(async (opts) => setCode(await (await import('./serve-command.js')).daemonCommand(opts, env, out)));
  return program;
}

/**
 * Makes a closed stdout (EPIPE: the reader exited, as `head` does) end the command's output quietly instead of
 * crashing with a stack trace: the command still finishes its work (a run still commits) and exits with its own code.
 * Any other write error on stdout is said once on stderr and fails the process. For the process entry point only.
 */
export function endOutputQuietlyOnEpipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (stdoutGone) return;
    stdoutGone = true;
    if (e.code === 'EPIPE') return;
    err(`feedfold: cannot write to stdout: ${e.message}`);
    process.exitCode = 1;
  });
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof FeedfoldError) {
      err(`feedfold: ${e.message}`);
      return e.kind === 'busy' ? EXIT_BUSY : e.stage === 'config' ? 78 : 1;
    }
    throw e;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  endOutputQuietlyOnEpipe();
  main(process.argv).then(
    (code) => {
      process.exitCode ||= code;
    },
    (e: unknown) => {
      err(`feedfold: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 1;
    },
  );
}

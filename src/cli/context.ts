import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config, type ConfigFlags } from '../config/load-config.js';
import { loadOverrides, type Overrides } from '../config/overrides.js';
import { createLogger, type Logger } from '../log/create-logger.js';
import { FeedfoldError } from '../model/errors.js';
import type { SourceSpec } from '../model/source.js';
import { parseOpml } from '../parse/opml.js';
import { specsFromConfig } from '../sources/source-specs.js';
import { openStore, openStoreReadOnly } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { PACKAGE_ROOT } from './version.js';

/** Options every command shares. */
export interface CommonOptions {
  config?: string;
  out?: string;
  logLevel?: string;
  now?: string;
  quiet?: boolean;
}

/**
 * Finds the config file: --config, then $FEEDFOLD_CONFIG, then ./config/feedfold.yaml, then the
 * bundled default.
 */
export function findConfigFile(opts: CommonOptions, env: NodeJS.ProcessEnv): string {
  if (opts.config) return path.resolve(opts.config);
  if (env.FEEDFOLD_CONFIG) return path.resolve(env.FEEDFOLD_CONFIG);
  const local = path.resolve('config', 'feedfold.yaml');
  return existsSync(local) ? local : path.join(PACKAGE_ROOT, 'config', 'feedfold.yaml');
}

/** Resolves the run's `now`: --now, then $FEEDFOLD_NOW, then the clock (the CLI is the only place that reads it). */
export function resolveNow(opts: CommonOptions, env: NodeJS.ProcessEnv): string {
  // An empty FEEDFOLD_NOW (as `FEEDFOLD_NOW= feedfold run` leaves it) means unset, not an invalid date.
  const raw = opts.now ?? (env.FEEDFOLD_NOW === '' ? undefined : env.FEEDFOLD_NOW);
  if (raw === undefined) return new Date().toISOString();
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new FeedfoldError('config', 'invalid', `--now: not a date: ${raw}`);
  return new Date(ms).toISOString();
}

/** Loads the config from the usual places with command-line flags applied. */
export function loadCommandConfig(opts: CommonOptions, env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  return loadConfig(findConfigFile(opts, env), env, {
    ...(opts.out ? { out: opts.out } : {}),
    ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
    ...flags,
  });
}

/** Creates the root logger of a command: NDJSON to the log file, warnings to stderr. */
export function commandLogger(config: Config, opts: CommonOptions): Logger {
  return createLogger({ level: config.log.level, file: config.logFile, stderrLevel: opts.quiet ? 'silent' : 'warn' });
}

/** Tells why a log file cannot be appended to (a read-only `out/`), or undefined when it can. */
function unwritable(file: string): string | undefined {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    closeSync(openSync(file, 'a'));
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

/**
 * Creates the logger of a command that must work with a read-only `out/` (`serve`): the log file
 * when it can be written, else warnings to stderr only, said once there.
 */
export function readOnlyLogger(config: Config, opts: CommonOptions, err: (line: string) => void): Logger {
  const why = config.logFile === undefined ? undefined : unwritable(config.logFile);
  if (why === undefined) return commandLogger(config, opts);
  err(`feedfold: cannot write the log file ${config.logFile} (${why}); logging warnings to stderr only`);
  return createLogger({ level: config.log.level, stderrLevel: 'warn' });
}

/** Reads the feeds of an OPML file named in the config. */
function readOpmlFile(file: string): { url: string; title?: string }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FeedfoldError('config', 'unreadable', `cannot read OPML ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseOpml(text).feeds;
}

/** Lists every source of a run: the config's, then subscriptions imported from OPML into the store. */
export async function runSources(config: Config, store: Store | undefined): Promise<SourceSpec[]> {
  const fromConfig = specsFromConfig(config.sources, readOpmlFile);
  if (store === undefined) return fromConfig;
  const known = new Set(fromConfig.map((s) => s.location));
  const imported = (await store.sources.listSources('opml'))
    .map((r) => r.spec)
    .filter((s) => !known.has(s.location));
  return [...fromConfig, ...imported];
}

/** Everything a command that works on the state needs. */
export interface CommandContext {
  config: Config;
  store: Store;
  logger: Logger;
  overrides: Overrides;
}

/** What a command that only reads the state needs: no logger, and no store before the first run. */
export interface ReadContext {
  config: Config;
  /** Opened read-only; undefined when no run has created the store yet. */
  store: Store | undefined;
}

/** Opens config and the store read-only for a command that never writes (`sources`, `explain`). */
export async function openReadContext(opts: CommonOptions, env: NodeJS.ProcessEnv): Promise<ReadContext> {
  const config = loadCommandConfig(opts, env);
  return { config, store: await openStoreReadOnly(config) };
}

/** Opens config, logger, store and overrides for a command. */
export async function openContext(opts: CommonOptions, env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Promise<CommandContext> {
  const config = loadCommandConfig(opts, env, flags);
  const logger = commandLogger(config, opts);
  const store = await openStore(config);
  return { config, store, logger, overrides: loadOverrides(config.overridesFile) };
}

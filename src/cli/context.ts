import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config, type ConfigFlags } from '../config/load-config.js';
import { loadOverrides, type Overrides } from '../config/overrides.js';
import { createLogger, type Logger } from '../log/create-logger.js';
import { FeedfoldError } from '../model/errors.js';
import type { SourceSpec } from '../model/source.js';
import { parseOpml, type OpmlFeed } from '../parse/opml.js';
import { feedUrlSpec, specsFromConfig } from '../sources/source-specs.js';
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

/** Where a command's config came from, for the line that names it. */
export type ConfigOrigin = 'flag' | 'environment' | 'working folder' | 'bundled default';

/**
 * Finds the config file: --config, then $FEEDFOLD_CONFIG, then ./feedfold.yaml, then
 * ./config/feedfold.yaml, then the bundled default.
 */
export function locateConfigFile(opts: CommonOptions, env: NodeJS.ProcessEnv): { file: string; origin: ConfigOrigin } {
  if (opts.config) return { file: path.resolve(opts.config), origin: 'flag' };
  if (env.FEEDFOLD_CONFIG) return { file: path.resolve(env.FEEDFOLD_CONFIG), origin: 'environment' };
  for (const local of [path.resolve('feedfold.yaml'), path.resolve('config', 'feedfold.yaml')]) {
    if (existsSync(local)) return { file: local, origin: 'working folder' };
  }
  return { file: path.join(PACKAGE_ROOT, 'config', 'feedfold.yaml'), origin: 'bundled default' };
}

/** The config file a command reads (see locateConfigFile). */
export function findConfigFile(opts: CommonOptions, env: NodeJS.ProcessEnv): string {
  return locateConfigFile(opts, env).file;
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

/** Creates the root logger of a command: NDJSON to the log file, warnings to stderr (with -q too: they are the problems). */
export function commandLogger(config: Config, opts: CommonOptions): Logger {
  return createLogger({ level: config.log.level, file: config.logFile, rotation: { maxBytes: config.log.maxBytes, files: config.log.files }, stderrLevel: 'warn' });
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
function readOpmlFile(file: string): OpmlFeed[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FeedfoldError('config', 'unreadable', `cannot read OPML ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseOpml(text).feeds;
  } catch (err) {
    throw new FeedfoldError('config', 'unreadable', `${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The feeds `import-opml` subscribed to, with their folders (`category`); none before the first import. */
export function readSubscriptions(config: Config): OpmlFeed[] {
  return existsSync(config.subscriptionsFile) ? readOpmlFile(config.subscriptionsFile) : [];
}

/**
 * Lists every source of a run: the config's, then the subscriptions file's, then subscriptions an older version
 * imported into the store; a location is listed once.
 */
export async function runSources(config: Config, store: Store | undefined): Promise<SourceSpec[]> {
  const specs = specsFromConfig(config.sources, readOpmlFile);
  const known = new Set(specs.map((s) => s.location));
  const add = (spec: SourceSpec): void => {
    if (known.has(spec.location)) return;
    known.add(spec.location);
    specs.push(spec);
  };
  for (const f of readSubscriptions(config)) add(feedUrlSpec(f.url, f.title));
  for (const row of store === undefined ? [] : await store.sources.listSources('opml')) add(row.spec);
  return specs;
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

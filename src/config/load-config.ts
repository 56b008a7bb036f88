import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from './yaml-text.js';
import type { z } from 'zod';
import { FeedfoldError } from '../model/errors.js';
import { configSchema, type ParsedConfig } from './schema.js';

/** A validated config with every path made absolute. */
export interface Config extends Omit<ParsedConfig, 'out' | 'overrides'> {
  /** Absolute path of the config file, or undefined for built-in defaults. */
  file: string | undefined;
  /** Absolute output folder. */
  outDir: string;
  /** Absolute path of the overrides file (may not exist). */
  overridesFile: string;
  /** Absolute path of the subscriptions `import-opml` keeps (may not exist). */
  subscriptionsFile: string;
  storeFile: string;
  /** The PostgreSQL store's URL (store.url, or FEEDFOLD_DATABASE_URL); undefined: the SQLite file `storeFile`. */
  storeUrl?: string;
  feedFile: string;
  reportFile: string;
  /** What the last runs left for /healthz and /metrics (out/status.json). */
  statusFile: string;
  /** Absolute log file, or undefined when file logging is off. */
  logFile: string | undefined;
}

/** Command-line or environment values that win over the file. */
export interface ConfigFlags {
  out?: string;
  logLevel?: string;
  host?: string;
  port?: number;
  /** A PostgreSQL URL that wins over store.url. */
  storeUrl?: string;
  /** The admin token (FEEDFOLD_ADMIN_TOKEN), which wins over serve.adminToken. */
  adminToken?: string;
}

/** Formats zod issues as `key.path: message` lines naming the offending key. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) => {
      // zod reports unknown keys at their parent; name each one in full (`fetch.timeoutMS`) so the
      // operator finds the typo without reading the schema.
      if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${[...issue.path, k].join('.')}: unknown key`);
      const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return [`${key}: ${issue.message}`];
    })
    .join('; ');
}

/** Validates a parsed config object and resolves its paths against `baseDir`. */
export function resolveConfig(input: unknown, baseDir: string, file: string | undefined, flags: ConfigFlags = {}): Config {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new FeedfoldError('config', 'invalid', `${file ?? 'config'}: ${describeIssues(result.error)}`);
  }
  const parsed = result.data;
  const outDir = path.resolve(flags.out ? process.cwd() : baseDir, flags.out ?? parsed.out);
  const resolvePath = (p: string): string => path.resolve(baseDir, p);
  const sources = parsed.sources.map((s) => ({
    ...s,
    ...(s.file !== undefined ? { file: resolvePath(s.file) } : {}),
    ...(s.dir !== undefined ? { dir: resolvePath(s.dir) } : {}),
    ...(s.opml !== undefined ? { opml: resolvePath(s.opml) } : {}),
  }));
  const storeUrl = flags.storeUrl ?? parsed.store.url;
  if (storeUrl !== undefined && !/^postgres(ql)?:\/\//.test(storeUrl)) {
    throw new FeedfoldError('config', 'invalid', 'FEEDFOLD_DATABASE_URL: must be a postgres:// or postgresql:// URL');
  }
  const adminToken = flags.adminToken ?? parsed.serve.adminToken;
  if (adminToken !== undefined && (adminToken.length < 16 || adminToken.length > 512)) {
    throw new FeedfoldError('config', 'invalid', 'FEEDFOLD_ADMIN_TOKEN: must be 16 to 512 characters');
  }
  const level = flags.logLevel ?? parsed.log.level;
  const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  if (!(logLevels as readonly string[]).includes(level)) {
    throw new FeedfoldError('config', 'invalid', `log.level: must be one of ${logLevels.join(', ')}`);
  }
  return {
    ...parsed,
    sources,
    serve: { ...parsed.serve, host: flags.host ?? parsed.serve.host, port: flags.port ?? parsed.serve.port, ...(adminToken !== undefined ? { adminToken } : {}) },
    log: { ...parsed.log, level: level as (typeof logLevels)[number] },
    file,
    outDir,
    overridesFile: resolvePath(parsed.overrides),
    subscriptionsFile: resolvePath(parsed.subscriptions),
    storeFile: path.join(outDir, 'feedfold.db'),
    ...(storeUrl !== undefined ? { storeUrl } : {}),
    feedFile: path.join(outDir, 'feed.atom'),
    reportFile: path.join(outDir, 'report.html'),
    statusFile: path.join(outDir, 'status.json'),
    logFile: parsed.log.file === '' ? undefined : path.resolve(outDir, parsed.log.file),
  };
}

/**
 * Loads and validates a YAML config file; a wrong key or value stops with a message naming it.
 * Environment: FEEDFOLD_OUT overrides `out`, FEEDFOLD_LOG_LEVEL overrides `log.level`,
 * FEEDFOLD_DATABASE_URL overrides `store.url`, FEEDFOLD_ADMIN_TOKEN overrides `serve.adminToken`.
 */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = {}, flags: ConfigFlags = {}): Config {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new FeedfoldError('config', 'unreadable', `cannot read ${absolute}: ${(err as Error).message}`, { cause: err });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new FeedfoldError('config', 'invalid-yaml', `${absolute}: ${(err as Error).message}`, { cause: err });
  }
  const merged: ConfigFlags = {
    ...(env.FEEDFOLD_OUT ? { out: env.FEEDFOLD_OUT } : {}),
    ...(env.FEEDFOLD_LOG_LEVEL ? { logLevel: env.FEEDFOLD_LOG_LEVEL } : {}),
    ...(env.FEEDFOLD_DATABASE_URL ? { storeUrl: env.FEEDFOLD_DATABASE_URL } : {}),
    ...(env.FEEDFOLD_ADMIN_TOKEN ? { adminToken: env.FEEDFOLD_ADMIN_TOKEN } : {}),
    ...flags,
  };
  return resolveConfig(data, path.dirname(absolute), absolute, merged);
}

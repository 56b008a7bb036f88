import { checkStoreFile } from '../store/check-store.js';
import { redactUrl } from '../store/redact-url.js';
import { loadCommandConfig, resolveNow, type CommonOptions } from './context.js';

/**
 * Checks the store (`feedfold doctor`) and prints what it found; `--fix` moves the rows that
 * cannot be read to the quarantine table. Exits 0 when nothing is left to mend, else 1.
 */
export function doctorCommand(opts: CommonOptions & { fix?: boolean }, env: NodeJS.ProcessEnv, out: (s: string) => void): number {
  const config = loadCommandConfig(opts, env);
  if (config.storeUrl !== undefined) {
    // PostgreSQL keeps its own integrity (types, foreign keys, jsonb): there is no file to check.
    out(`note: the store is PostgreSQL (${redactUrl(config.storeUrl)}); feedfold doctor checks SQLite store files only`);
    return 0;
  }
  const check = checkStoreFile(config.storeFile, opts.fix ? { at: resolveNow(opts, env) } : undefined);
  for (const line of check.lines) out(line);
  const fixed = check.lines.some((l) => l.startsWith('fixed:'));
  if (check.remaining === 0) out(fixed ? 'the store is mended; the quarantine table keeps what was moved' : 'the store is healthy');
  else out(`${check.remaining} problem(s)${opts.fix ? ' left' : ''}${opts.fix ? '' : '; `feedfold doctor --fix` moves rows that cannot be read to the quarantine table'}`);
  return check.remaining === 0 ? 0 : 1;
}

import { FeedfoldError } from '../model/errors.js';

/** Reads a duration in milliseconds from the environment variable `name` (a whole number, at least `min`), else `fallback`. */
export function millisecondsFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < min) throw new FeedfoldError('config', 'invalid', `${name}: a whole number of milliseconds, at least ${min}, not ${JSON.stringify(raw)}`);
  return ms;
}

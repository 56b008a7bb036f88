import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Loads a module of the compiled pipeline (dist/, which the bench's npm script builds first): the
 * benches use it as `feedfold run` does. Run from the TypeScript sources, each parse worker
 * would also compile them when it starts, CPU time no user spends.
 */
export async function compiled<T>(module: string): Promise<T> {
  const file = new URL(`../dist/${module}`, import.meta.url);
  if (!existsSync(file)) throw new Error(`${fileURLToPath(file)} is missing: the bench's npm script builds dist/ first (npm run build)`);
  return (await import(file.href)) as T;
}

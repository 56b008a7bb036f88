import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Compiles src/ once into .test-dist/ (emit only; `npm run typecheck` checks types) so tests that
 * spawn the real CLI start a plain node process instead of transpiling TypeScript on every spawn.
 * Its incremental build record stays in .test-dist/, apart from dist/'s.
 */
export default function setup(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--noCheck', '--outDir', '.test-dist', '--tsBuildInfoFile', '.test-dist/.tsbuildinfo'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

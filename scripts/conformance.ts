/**
 * Feed conformance: runs feedfold's parser over feedparser's and gofeed's test corpora (in
 * ../shared/corpora beside the repository) and prints per-category results, what was left out
 * and why, and a final line `conformance: feedparser P/T gofeed Q/U`. Pass --failures to list failures.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from './conformance/run.js';
import type { SuiteResult } from './conformance/suite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPORA = path.resolve(ROOT, '..', 'shared', 'corpora');
const out = (line: string): void => { process.stdout.write(`${line}\n`); };

function print(name: string, r: SuiteResult | undefined, showFailures: boolean): void {
  if (!r) { out(`${name}: corpus absent, skipped`); return; }
  out(`== ${name}: ${r.passed}/${r.tried} passed (${r.total} files, ${r.total - r.tried} left out)`);
  for (const [cat, c] of Object.entries(r.categories)) out(`  ${cat.padEnd(28)} passed ${c.passed}  failed ${c.failed}`);
  out('  left out:');
  for (const [reason, n] of Object.entries(r.leftOut).sort((a, b) => b[1] - a[1])) out(`    ${String(n).padStart(4)}  ${reason}`);
  if (showFailures) for (const f of r.failures) out(`  FAIL ${f}`);
}

if (!existsSync(CORPORA)) {
  out(`conformance: ${CORPORA} is absent (the shared corpora sit beside the checkout); nothing to run`);
  process.exit(0);
}
const result = runConformance(CORPORA);
const showFailures = process.argv.includes('--failures');
print('feedparser', result.feedparser, showFailures);
print('gofeed', result.gofeed, showFailures);
const fp = result.feedparser;
const gf = result.gofeed;
out(`conformance: feedparser ${fp?.passed ?? 0}/${fp?.tried ?? 0} gofeed ${gf?.passed ?? 0}/${gf?.tried ?? 0}`);

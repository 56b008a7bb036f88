import { existsSync } from 'node:fs';
import path from 'node:path';
import { runFeedparser } from './feedparser.js';
import { runGofeed } from './gofeed.js';
import type { SuiteResult } from './suite.js';

/** Both corpora's results; a suite is undefined when its folder is absent. */
export interface ConformanceResult {
  feedparser?: SuiteResult;
  gofeed?: SuiteResult;
}

/** Runs the feedparser and gofeed conformance suites found under a corpora folder. */
export function runConformance(corporaDir: string): ConformanceResult {
  const out: ConformanceResult = {};
  const fp = path.join(corporaDir, 'feedparser', 'tests');
  const gf = path.join(corporaDir, 'gofeed', 'testdata', 'parser');
  if (existsSync(fp)) out.feedparser = runFeedparser(fp);
  if (existsSync(gf)) out.gofeed = runGofeed(gf);
  return out;
}

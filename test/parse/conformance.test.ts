import { describe, expect, it } from 'vitest';
import { runConformance } from '../../scripts/conformance/run.js';
import { CORPORA, HAS_CORPORA, NO_CORPORA } from '../helpers/paths.js';

// The targets: at least 1,200 feedparser cases tried, and 95% of the cases tried passing in each corpus.
const FEEDPARSER_MIN_TRIED = 1200;
const FEEDPARSER_MIN_RATE = 0.95;
const GOFEED_MIN_RATE = 0.95;

describe.skipIf(!HAS_CORPORA)(`conformance on the shared corpora${HAS_CORPORA ? '' : ` (${NO_CORPORA})`}`, () => {
  it('passes the feedparser and gofeed floors', () => {
    const r = runConformance(CORPORA);
    const fp = r.feedparser!;
    const gf = r.gofeed!;
    expect(fp.tried).toBeGreaterThanOrEqual(FEEDPARSER_MIN_TRIED);
    expect(fp.passed / fp.tried).toBeGreaterThanOrEqual(FEEDPARSER_MIN_RATE);
    expect(gf.passed / gf.tried).toBeGreaterThanOrEqual(GOFEED_MIN_RATE);
    expect(gf.tried / gf.total).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});

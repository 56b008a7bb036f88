import { describe, expect, it } from 'vitest';
import { runConformance } from '../../scripts/conformance/run.js';
import { CORPORA, HAS_CORPORA, NO_CORPORA } from '../helpers/paths.js';

// Floors at the level reached when this was written; they guard against regressions. The brief's
// targets (≥ 95% and ≥ 1,200 feedparser cases tried) are not yet met; see the conformance script.
const FEEDPARSER_MIN_TRIED = 550;
const FEEDPARSER_MIN_RATE = 0.75;
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

import { describe, expect, it } from 'vitest';
import { bcubed } from '../../scripts/eval/bcubed.js';
import { clusterDirect } from '../../scripts/eval/cluster-direct.js';
import { clusterViaCli, hasClusterCli, REPO_ROOT } from '../../scripts/eval/cluster-cli.js';
import { defaultEvalPaths, uciItems } from '../../scripts/eval/datasets.js';
import { HAS_CORPORA, NO_CORPORA } from '../helpers/paths.js';

/** Acceptance floors of issue 4 on the UCI dev headlines. */
const MIN_PRECISION = 0.9;
const MIN_F1 = 0.7;

describe.skipIf(!HAS_CORPORA)(`eval on UCI dev headlines (${HAS_CORPORA ? 'corpora present' : NO_CORPORA})`, () => {
  it(`reaches B-cubed precision ≥ ${MIN_PRECISION} and F1 ≥ ${MIN_F1} through the same path as npm run eval`, () => {
    const items = uciItems(defaultEvalPaths(REPO_ROOT));
    expect(items?.length).toBe(2844);
    const list = items ?? [];
    const labels = hasClusterCli() ? clusterViaCli(list) : clusterDirect(list).labels;
    const score = bcubed(list.map((i) => i.gold), labels);
    expect(score.precision).toBeGreaterThanOrEqual(MIN_PRECISION);
    expect(score.f1).toBeGreaterThanOrEqual(MIN_F1);
  });
});

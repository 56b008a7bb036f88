import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decideSemevalPairs, type PairDecision } from '../../scripts/eval/semeval-pairs.js';
import { formatReleaseRow, PREVIOUS_RELEASE, readBaseline, releaseLines, releaseRow, type SemevalBaseline } from '../../scripts/eval/semeval-release.js';
import { CORPORA, HAS_CORPORA, NO_CORPORA, ROOT } from '../helpers/paths.js';

const pair = (file: string, folded: boolean, sameOutlet = false): PairDecision => {
  const m = /^\d+-(\w+)-(\w+)-(OK|BAD)/.exec(file) as RegExpExecArray;
  return { file, languages: [m[1] as string, m[2] as string], crossLanguage: m[1] !== m[2], sameOutlet, same: m[3] === 'OK', folded, score: folded ? 0.3 : 0.1 };
};

const COMMIT = `${PREVIOUS_RELEASE}${'0'.repeat(33)}`;

describe('release lines of the semeval pairs', () => {
  const decisions = [
    pair('0001-de-en-OK.jsonl', true),
    pair('0002-de-en-OK.jsonl', true),
    pair('0003-de-en-OK.jsonl', false),
    pair('0004-de-en-BAD.jsonl', false),
    pair('0005-es-es-OK.jsonl', true),
    pair('0006-es-es-OK.jsonl', false, true),
    pair('0007-pl-pl-BAD.jsonl', false, true),
    pair('0008-en-en-OK.jsonl', false),
  ];
  const baseline: SemevalBaseline = {
    commit: COMMIT,
    corpus: 'semeval-dev',
    pairs: {
      '0001-de-en-OK.jsonl': { folded: true, score: 0.3 },
      '0002-de-en-OK.jsonl': { folded: false, score: 0.2 },
      '0003-de-en-OK.jsonl': { folded: false, score: 0 },
      '0004-de-en-BAD.jsonl': { folded: true, score: 0.26 },
      '0005-es-es-OK.jsonl': { folded: true, score: 0.5 },
      '0006-es-es-OK.jsonl': { folded: true, score: 0.9 },
      '0007-pl-pl-BAD.jsonl': { folded: true, score: 0.8 },
      '0008-en-en-OK.jsonl': { folded: true, score: 0.7 },
    },
  };

  it('scores cross-language pairs now and as the stored release decided the same files', () => {
    expect(formatReleaseRow(releaseRow('xl', decisions, baseline))).toBe(
      `eval-xl: pairs=4 same_recall=0.667 precision=1.000 previous(${PREVIOUS_RELEASE}): same_recall=0.333 precision=0.500`,
    );
  });

  it('counts same-language pairs other than English, pairs from one site included in both columns', () => {
    const row = releaseRow('same-lang', decisions, baseline);
    expect(row).toMatchObject({ pairs: 3, current: { tp: 1, fp: 0, fn: 1 }, previous: { tp: 2, fp: 1, fn: 0, pairs: 3 } });
    expect(formatReleaseRow(row, 'semeval-extra')).toBe(
      `eval-same-lang[semeval-extra]: pairs=3 same_recall=0.500 precision=1.000 previous(${PREVIOUS_RELEASE}): same_recall=1.000 precision=0.667`,
    );
  });

  it('says how many pair files the release decided when it decided fewer, and when none are stored', () => {
    const { '0002-de-en-OK.jsonl': _gone, ...fewer } = baseline.pairs;
    expect(formatReleaseRow(releaseRow('xl', decisions, { ...baseline, pairs: fewer }))).toBe(
      `eval-xl: pairs=4 same_recall=0.667 precision=1.000 previous(${PREVIOUS_RELEASE}, 3 of 4 pairs): same_recall=0.500 precision=0.500`,
    );
    expect(formatReleaseRow(releaseRow('xl', decisions))).toBe(`eval-xl: pairs=4 same_recall=0.667 precision=1.000 previous(${PREVIOUS_RELEASE}): not stored`);
  });

  describe('stored decisions', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-release-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads a folder kept outside the repository from its own baseline file, and refuses another folder’s decisions', () => {
      const folder = path.join(dir, 'semeval-extra');
      const other = path.join(dir, 'semeval-other');
      for (const f of [folder, other]) mkdirSync(f);
      writeFileSync(path.join(folder, `baseline-${PREVIOUS_RELEASE}.json`), JSON.stringify({ ...baseline, corpus: 'semeval-extra' }));
      writeFileSync(path.join(other, `baseline-${PREVIOUS_RELEASE}.json`), JSON.stringify(baseline));
      expect(readBaseline(ROOT, folder)?.pairs['0004-de-en-BAD.jsonl']).toEqual({ folded: true, score: 0.26 });
      expect(() => readBaseline(ROOT, other)).toThrow(/semeval-dev, not semeval-other/);
      expect(readBaseline(ROOT, dir)).toBeUndefined();
    });
  });
});

const SEMEVAL_DIR = path.join(CORPORA, 'semeval-dev');

describe.skipIf(!HAS_CORPORA)(`release lines on semeval-dev (${HAS_CORPORA ? 'corpora present' : NO_CORPORA})`, () => {
  it('holds the release decisions of every pair file, so both columns count the same pairs', async () => {
    const stored = readBaseline(ROOT, SEMEVAL_DIR);
    expect(stored?.commit.startsWith(PREVIOUS_RELEASE)).toBe(true);
    const files = readdirSync(SEMEVAL_DIR).filter((f) => f.endsWith('.jsonl'));
    expect(Object.keys(stored?.pairs ?? {}).sort()).toEqual(files.sort());
    const lines = releaseLines(ROOT, SEMEVAL_DIR, await decideSemevalPairs(SEMEVAL_DIR));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^eval-xl: pairs=65 same_recall=\\d\\.\\d{3} precision=\\d\\.\\d{3} previous\\(${PREVIOUS_RELEASE}\\): same_recall=0\\.290 precision=1\\.000$`));
    expect(lines[1]).toMatch(new RegExp(`^eval-same-lang: pairs=31 same_recall=\\d\\.\\d{3} precision=\\d\\.\\d{3} previous\\(${PREVIOUS_RELEASE}\\): same_recall=0\\.765 precision=0\\.867$`));
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decideSemevalPairs, scorePairs, type PairDecision } from '../../scripts/eval/semeval-pairs.js';

const line = (id: string, title: string, text: string, published?: string): string =>
  JSON.stringify({ id, title, text, url: `https://${id}.example/${encodeURIComponent(title)}`, ...(published ? { published } : {}) });

const PIER = 'The harbour master closed the eastern pier after storm waves cracked the concrete walkway; ferries will dock at the western quay until repairs finish next month.';
const ORBIT = 'Engineers raised the orbit of the weather satellite by firing its thrusters for ninety seconds, correcting a slow decay caused by solar activity this winter.';

describe('semeval-dev pairs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-semeval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decides each pair file through the batch clustering and reads label and languages from its name', async () => {
    writeFileSync(path.join(dir, '0001-en-en-OK.jsonl'), `${line('first', 'Eastern pier closed', PIER, '2020-04-05')}\n${line('second', 'Eastern pier closed after storm', PIER)}\n`);
    writeFileSync(path.join(dir, '0002-de-en-BAD.jsonl'), `${line('first', 'Satellit höher', ORBIT, '2020-04-05')}\n${line('second', 'Pier closed', PIER, '2020-04-06')}\n`);
    writeFileSync(path.join(dir, 'INDEX.tsv'), 'pair_id\n');
    const pairs = await decideSemevalPairs(dir);
    expect(pairs.map(({ file, languages, crossLanguage, sameOutlet, same }) => ({ file, languages, crossLanguage, sameOutlet, same }))).toEqual([
      { file: '0001-en-en-OK.jsonl', languages: ['en', 'en'], crossLanguage: false, sameOutlet: false, same: true },
      { file: '0002-de-en-BAD.jsonl', languages: ['de', 'en'], crossLanguage: true, sameOutlet: false, same: false },
    ]);
    // The same text under two titles is one story; a satellite and a pier are not.
    expect(pairs.map((p) => p.folded)).toEqual([true, false]);
  });

  it('scores folding as a same-story prediction', () => {
    const p = (same: boolean, folded: boolean): PairDecision => ({ file: 'x', languages: ['de', 'de'], crossLanguage: false, sameOutlet: false, same, folded, score: 0 });
    expect(scorePairs([p(true, true), p(true, true), p(false, true), p(true, false), p(false, false)])).toMatchObject({ tp: 2, fp: 1, fn: 1, precision: 2 / 3, recall: 2 / 3 });
    expect(scorePairs([p(true, false)])).toMatchObject({ precision: 1, recall: 0 });
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISPLAY_NAME_IDS, DISPLAY_NAMES } from '../../src/cluster/cross-language-names.js';
import { LANGUAGES } from '../../src/cluster/cross-language.js';
import { namesModule } from '../../scripts/cross-language-names.js';
import { ROOT } from '../helpers/paths.js';

const FILE = path.join(ROOT, 'src', 'cluster', 'cross-language-names.ts');
/** The CLDR the kept names were read from, as the file's first line names it. */
const WRITTEN_FROM = /from CLDR (\S+) /.exec(readFileSync(FILE, 'utf8'))?.[1];

describe('the kept country and language names of the cross-language vector', () => {
  it('has one row of names per language read, each with a name or nothing for every id', () => {
    const ids = DISPLAY_NAME_IDS.split(' ');
    expect(ids.every((id) => /^[RL][A-Z]{2}$/.test(id))).toBe(true);
    expect(Object.keys(DISPLAY_NAMES).sort()).toEqual([...LANGUAGES].sort());
    for (const lang of LANGUAGES) expect(DISPLAY_NAMES[lang]?.split(' ')).toHaveLength(ids.length);
    const de = DISPLAY_NAMES.de?.split(' ') ?? [];
    expect(de[ids.indexOf('RRU')]).toBe('Russland');
    expect(de[ids.indexOf('LRU')]).toBe('Russisch');
  });

  it.runIf(WRITTEN_FROM === process.versions.cldr)('holds what this runtime’s CLDR gives (the CLDR it was written from)', () => {
    expect(namesModule()).toBe(readFileSync(FILE, 'utf8'));
  });
});

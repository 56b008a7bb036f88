import { describe, expect, it } from 'vitest';
import { parseYaml, stringifyYaml } from '../../src/config/yaml-text.js';

describe('config YAML', () => {
  it('reads the core schema: dates, yes/no and merge keys stay what YAML 1.2 makes of them', () => {
    expect(parseYaml('a: 2025-03-05\nb: yes\nc: 0x10\nd: ~\ne: 1e3\nf: 010\nbase: &b {x: 1}\nother:\n  <<: *b\n')).toEqual({
      a: '2025-03-05',
      b: 'yes',
      c: 16,
      d: null,
      e: 1000,
      f: 10,
      base: { x: 1 },
      other: { '<<': { x: 1 } },
    });
  });

  it('an empty file, or one of comments only, is null', () => {
    expect(parseYaml('')).toBeNull();
    expect(parseYaml('# nothing yet\n')).toBeNull();
  });

  it('a syntax error names its line and column and shows the lines around it', () => {
    expect(() => parseYaml('out: out\nfeed:\n  title: "unterminated\n  author: me\n')).toThrow(/at line 4, column 3:\n\n[\s\S]*author: me/);
    expect(() => parseYaml('a: 1\na: 2\n')).toThrow(/duplicated mapping key at line 2/);
  });

  it('more than one document is an error', () => {
    expect(() => parseYaml('a: 1\n---\nb: 2\n')).toThrow(/2 YAML documents/);
  });

  it('what it writes reads back the same, strings that look like other types included', () => {
    const value = { merge: [['a', 'b']], split: [], pin: [{ story: 'yes', canonical: '2025-03-05', note: '0x10: a "quoted" #note' }] };
    expect(parseYaml(stringifyYaml(value))).toEqual(value);
  });
});

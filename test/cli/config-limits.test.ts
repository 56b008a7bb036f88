import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';
import { FeedfoldError } from '../../src/model/errors.js';
import { cli } from './cli-harness.js';

describe('size limits in the config', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('default to 64 KiB per published entry, 10 MiB per feed and 256 KiB per stored article', () => {
    const config = resolveConfig({}, dir, undefined);
    expect(config.feed.maxEntryBytes).toBe(64 * 1024);
    expect(config.feed.maxBytes).toBe(10 * 1024 * 1024);
    expect(config.limits.maxArticleBytes).toBe(256 * 1024);
  });

  const wrong: Array<[string, unknown, RegExp]> = [
    ['an entry bound over the feed bound', { feed: { maxEntryBytes: 2 * 1024 * 1024, maxBytes: 1024 * 1024 } }, /feed\.maxEntryBytes: must not exceed feed\.maxBytes/],
    ['a feed bound too large to build', { feed: { maxBytes: 1024 ** 3 } }, /feed\.maxBytes: /],
    ['a stored article bound too small to hold a paragraph', { limits: { maxArticleBytes: 100 } }, /limits\.maxArticleBytes: /],
    ['a misspelt limit', { limits: { maxArticleSize: 4096 } }, /limits\.maxArticleSize: unknown key/],
  ];
  for (const [name, input, key] of wrong) {
    it(`names the key of ${name}`, () => {
      expect(() => resolveConfig(input, dir, undefined)).toThrow(FeedfoldError);
      expect(() => resolveConfig(input, dir, undefined)).toThrow(key);
    });
  }

  it('stops feedfold with exit code 78 on a wrong limit', async () => {
    const file = path.join(dir, 'limits.yaml');
    writeFileSync(file, 'out: out\nfeed:\n  maxEntryBytes: 2097152\n  maxBytes: 1048576\n');
    const result = await cli(['run', '--config', file]);
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/feed\.maxEntryBytes: must not exceed feed\.maxBytes/);
  });
});

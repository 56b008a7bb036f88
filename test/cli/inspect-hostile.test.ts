import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigValidFeed, HOSTILE_FEEDS } from '../helpers/hostile-feeds.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { feedfold } from './cli-harness.js';

/**
 * `feedfold inspect` on the feeds that once took minutes of CPU: each is refused with the limit
 * it hit named, or read as what it is (their times are printed by `npm run bench:hostile`).
 */

const NOW = '2025-03-05T12:00:00Z';

interface Inspected {
  title: string;
  author: string | null;
  text: string;
}

describe('feedfold inspect on hostile feeds', () => {
  let project: TempProject;
  const file = (name: string): string => path.join(project.dir, `${name}.xml`);
  const inspect = (name: string) => feedfold(['inspect', file(name), '--config', project.configFile, '--now', NOW]);

  beforeAll(() => {
    project = tempProject();
    for (const [name, doc] of HOSTILE_FEEDS) writeFileSync(file(name), doc);
    writeFileSync(file('big'), bigValidFeed(2000));
  });
  afterAll(() => project.cleanup());

  it('refuses 100,000 nested elements, naming the nesting limit (exit 1)', async () => {
    const result = await inspect('nested-100k');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(`parse: nesting deeper than 1024 elements (file://${file('nested-100k')}); the feed was refused (nesting limit)`);
  });

  it('refuses a truncated run of `<!DOCTYPE [` as a document with no root (exit 1)', async () => {
    const result = await inspect('doctype-run');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`parse: no root element (file://${file('doctype-run')})`);
  });

  it('reads 64 KB of "@" as the author, cut to 1,000 characters', async () => {
    const result = await inspect('email-64k');
    expect(result.code, result.stderr).toBe(0);
    const [article] = JSON.parse(result.stdout) as Inspected[];
    expect(article?.author).toBe(`${'@'.repeat(999)}…`);
  });

  it('reads an item with a 40 KB style attribute, keeping its text', async () => {
    const result = await inspect('style-40k');
    expect(result.code, result.stderr).toBe(0);
    const [article] = JSON.parse(result.stdout) as Inspected[];
    expect(article?.text).toBe('The council approved the budget.');
  });

  it('reads a title full of unclosed tag openings and unfinished references as text', async () => {
    const result = await inspect('title-markup');
    expect(result.code, result.stderr).toBe(0);
    const [article] = JSON.parse(result.stdout) as Inspected[];
    expect(article?.title.startsWith('<a &b <!x &#1 <a &b')).toBe(true);
  });

  it('skips a feed that takes longer than parse.timeoutMs, naming the limit (exit 1)', async () => {
    project.writeConfig({ parse: { timeoutMs: 100 } });
    try {
      const result = await inspect('big');
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`parse: file://${file('big')} took longer than 0.1 s to parse; the feed was skipped (limit parse.timeoutMs)`);
    } finally {
      project.writeConfig({});
    }
  });
});

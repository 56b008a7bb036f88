import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOpml as feedsmithParseOpml } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpml } from '../../src/parse/opml.js';
import { runCliAsync, spawnCli } from '../helpers/cli.js';
import { feedfold } from './cli-harness.js';

const NOW = '2025-03-05T12:00:00Z';
const ARTICLE = 'date 2025-03-01\nHarbor ferry resumes service\n\nThe harbor ferry resumed its route on Saturday after repairs.\n';

describe('a reader that closes stdout early (`feedfold sources | head -1`)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-epipe-'));
    // Far more than a pipe's 64 KiB buffer, so the command is still writing when the reader goes.
    const sources = Array.from({ length: 5000 }, (_, i) => `  - url: https://feed${i}.example/rss\n    title: Feed number ${i}\n`).join('');
    writeFileSync(path.join(dir, 'feedfold.yaml'), `out: out\nsources:\n${sources}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of [['sources'], ['sources', '--json']]) {
    it(`ends \`${args.join(' ')}\` with exit 0 and no stack trace`, async () => {
      const child = spawnCli([...args, '--config', path.join(dir, 'feedfold.yaml')]);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      // Read the first chunk, then close the pipe as `head` does.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    });
  }
});

describe('export-opml on the bundled default config (folders only, no feed URLs)', () => {
  it('writes an empty subscription list that OPML readers accept', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'feedfold-opml-default-'));
    try {
      const result = await feedfold(['export-opml', '--out', out, '--now', NOW]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<opml version="2\.0">/);
      expect(result.stdout).toContain('<dateCreated>Wed, 05 Mar 2025 12:00:00 GMT</dateCreated>');
      expect(parseOpml(result.stdout)).toEqual({ title: 'feedfold: merged news subscriptions', feeds: [] });
      expect(feedsmithParseOpml(result.stdout).head?.title).toBe('feedfold: merged news subscriptions');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('where `feedfold run` finds its config', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-lookup-'));
    writeFileSync(path.join(dir, 'a.txt'), ARTICLE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads ./config/feedfold.yaml when there is no ./feedfold.yaml, and says so', async () => {
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config', 'feedfold.yaml'), 'out: ../out-config\nsources:\n  - dir: ..\n');
    const run = await runCliAsync(['run', '--now', NOW], { cwd: dir, env: { FEEDFOLD_CONFIG: '', FEEDFOLD_OUT: '' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`config: ${path.join(dir, 'config', 'feedfold.yaml')} (working folder)\n`);
    expect(existsSync(path.join(dir, 'out-config', 'feed.atom'))).toBe(true);
  });

  it('prefers ./feedfold.yaml in the working folder to ./config/feedfold.yaml and to the bundled one', async () => {
    writeFileSync(path.join(dir, 'feedfold.yaml'), 'out: out-here\nsources:\n  - dir: .\n');
    const run = await runCliAsync(['run', '--now', NOW], { cwd: dir, env: { FEEDFOLD_CONFIG: '', FEEDFOLD_OUT: '' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`config: ${path.join(dir, 'feedfold.yaml')} (working folder)\n`);
    expect(run.stdout).toMatch(/1 source\(s\) ok/);
    expect(existsSync(path.join(dir, 'out-here', 'feed.atom'))).toBe(true);
  });

  it('says when --config named it, and prints nothing of it with -q', async () => {
    const file = path.join(dir, 'feedfold.yaml');
    const named = await runCliAsync(['run', '--config', file, '--now', NOW], { cwd: os.tmpdir() });
    expect(named.stdout).toContain(`config: ${file} (flag)\n`);
    const quiet = await runCliAsync(['run', '--config', file, '--now', NOW, '-q'], { cwd: os.tmpdir() });
    expect(quiet).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });
});

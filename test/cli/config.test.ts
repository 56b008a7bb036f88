import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, feedfold } from './cli-harness.js';

/** EX_CONFIG from sysexits.h: what feedfold exits with when its configuration is wrong. */
const EXIT_CONFIG = 78;

describe('a wrong config stops feedfold with exit code 78 and names the key', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<{ name: string; yaml: string; key: RegExp }> = [
    { name: 'a misspelt key (fetch.timeoutMS)', yaml: 'fetch:\n  timeoutMS: 5000\n', key: /fetch\.timeoutMS: unknown key/ },
    { name: 'a value out of range (fetch.concurrency: 0)', yaml: 'fetch:\n  concurrency: 0\n', key: /fetch\.concurrency: / },
    { name: 'a source URL that is not a URL', yaml: 'sources:\n  - url: not-a-url\n', key: /sources\.0\.url: / },
    { name: 'a source with two kinds', yaml: 'sources:\n  - url: http://127.0.0.1:9/feed.xml\n    dir: ./articles\n', key: /sources\.0: .*exactly one of url, file, dir, opml/ },
    { name: 'a wrong type (cluster.windowHours: "soon")', yaml: 'cluster:\n  windowHours: soon\n', key: /cluster\.windowHours: / },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, `out: out\n${c.yaml}`);
      const result = await feedfold(['run', '--config', file, '--now', '2025-03-05T12:00:00Z']);
      expect(result.code).toBe(EXIT_CONFIG);
      expect(result.stderr).toMatch(c.key);
      expect(result.stderr).toContain(file);
      // Nothing ran: no output folder was created for a config that never validated.
      expect(existsSync(path.join(dir, 'out', 'feed.atom'))).toBe(false);
      expect(result.stdout).toBe('');
    });
  }

  it('as the exit status of the feedfold process itself', async () => {
    const file = path.join(dir, 'process.yaml');
    writeFileSync(file, 'out: out\nfetch:\n  timeoutMS: 5000\n');
    const result = await cli(['run', '--config', file]);
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toMatch(/^feedfold: config: .*fetch\.timeoutMS: unknown key\n$/);
  });

  it('invalid YAML, naming the file and the line', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'out: out\nfeed:\n  title: "unterminated\n  author: me\n');
    const result = await feedfold(['run', '--config', file]);
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(/line \d+/);
  });

  it('a config file that does not exist', async () => {
    const file = path.join(dir, 'absent.yaml');
    const result = await feedfold(['run', '--config', file]);
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain(file);
  });

  it('a wrong overrides file, naming its key', async () => {
    const file = path.join(dir, 'with-overrides.yaml');
    writeFileSync(path.join(dir, 'bad-overrides.yaml'), 'merge:\n  - just-one-ref\n');
    writeFileSync(file, 'out: out-overrides\noverrides: bad-overrides.yaml\n');
    const result = await feedfold(['run', '--config', file, '--now', '2025-03-05T12:00:00Z']);
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toMatch(/bad-overrides\.yaml: merge\.0: /);
  });
});

describe('where the output goes', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-out-'));
    writeFileSync(path.join(dir, 'a.txt'), 'date 2025-03-01\nHarbor ferry resumes service\n\nThe harbor ferry resumed its route on Saturday after repairs.\n');
    writeFileSync(path.join(dir, 'feedfold.yaml'), `out: from-config\nsources:\n  - dir: .\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('honours FEEDFOLD_OUT over the config, and --out over both', async () => {
    const fromEnv = path.join(dir, 'from-env');
    const byEnv = await feedfold(['run', '--config', path.join(dir, 'feedfold.yaml'), '--now', '2025-03-05T12:00:00Z'], { env: { FEEDFOLD_OUT: fromEnv } });
    expect(byEnv.stderr).toBe('');
    expect(byEnv.code).toBe(0);
    expect(existsSync(path.join(fromEnv, 'feed.atom'))).toBe(true);
    expect(existsSync(path.join(dir, 'from-config'))).toBe(false);

    const fromFlag = path.join(dir, 'from-flag');
    const byFlag = await feedfold(['run', '--config', path.join(dir, 'feedfold.yaml'), '--out', fromFlag, '--now', '2025-03-05T12:00:00Z'], { env: { FEEDFOLD_OUT: fromEnv } });
    expect(byFlag.code).toBe(0);
    expect(existsSync(path.join(fromFlag, 'feed.atom'))).toBe(true);
    expect(byFlag.stdout).toContain(path.join(fromFlag, 'feed.atom'));
  });
});

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
    { name: 'a cron expression that is not one', yaml: 'schedule:\n  cron: every 5 minutes\n', key: /schedule\.cron: not a valid cron expression: "every 5 minutes"/ },
    { name: 'a cron expression with a minute out of range', yaml: 'schedule:\n  cron: "61 * * * *"\n', key: /schedule\.cron: not a valid cron expression: "61 \* \* \* \*"/ },
    { name: 'a cron expression with seven fields', yaml: 'schedule:\n  cron: "0 * * * * * *"\n', key: /schedule\.cron: not a valid cron expression/ },
    { name: 'a javascript: selfUrl', yaml: 'feed:\n  selfUrl: "javascript:alert(1)"\n', key: /feed\.selfUrl: must be an http or https URL/ },
    { name: 'a data: selfUrl', yaml: 'feed:\n  selfUrl: "data:text/html,<script>alert(1)</script>"\n', key: /feed\.selfUrl: must be an http or https URL/ },
    { name: 'a file: selfUrl', yaml: 'feed:\n  selfUrl: "file:///etc/passwd"\n', key: /feed\.selfUrl: must be an http or https URL/ },
    { name: 'a javascript: homeUrl', yaml: 'feed:\n  homeUrl: "javascript:alert(1)"\n', key: /feed\.homeUrl: must be an http or https URL/ },
    { name: 'a javascript: source URL', yaml: 'sources:\n  - url: "javascript:alert(1)"\n', key: /sources\.0\.url: must be an http or https URL/ },
    { name: 'a file: source URL', yaml: 'sources:\n  - url: "file:///etc/passwd"\n', key: /sources\.0\.url: must be an http or https URL/ },
    {
      name: 'a source id given twice, naming both entries',
      yaml: 'sources:\n  - id: wire\n    url: https://wire.example/rss\n  - dir: ./articles\n  - id: wire\n    url: https://other.example/rss\n',
      key: /sources\.2\.id: duplicate source id "wire", also the id of sources\.0/,
    },
    { name: 'a log.maxBytes below 1024', yaml: 'log:\n  maxBytes: 100\n', key: /log\.maxBytes: / },
    { name: 'a log.files of 0', yaml: 'log:\n  files: 0\n', key: /log\.files: / },
    { name: 'a fetch.allowPrivateNetworks that is not a boolean', yaml: 'fetch:\n  allowPrivateNetworks: sometimes\n', key: /fetch\.allowPrivateNetworks: / },
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

describe('every command that reads the config checks it on load', () => {
  let dir = '';
  let file = '';
  let opml = '';
  const key = /^feedfold: config: .*schedule\.cron: not a valid cron expression: "\*\/5 \* \* \*"\n$/;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-config-all-'));
    file = path.join(dir, 'feedfold.yaml');
    // Four fields: `run` and `serve` once accepted this and only `daemon` refused it (with exit 1).
    writeFileSync(file, 'out: out\nschedule:\n  cron: "*/5 * * *"\n');
    opml = path.join(dir, 'subs.opml');
    writeFileSync(opml, '<?xml version="1.0"?><opml version="2.0"><head/><body><outline type="rss" xmlUrl="https://wire.example/rss"/></body></opml>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const inProcess: Array<[string, string[]]> = [
    ['run', ['run']],
    ['sources', ['sources']],
    ['explain', ['explain', 'story-1']],
    ['export-opml', ['export-opml']],
    ['import-opml', ['import-opml', '']],
    ['inspect of a URL', ['inspect', 'https://wire.example/rss']],
  ];
  for (const [name, args] of inProcess) {
    it(name, async () => {
      const result = await feedfold([...args.map((a) => (a === '' ? opml : a)), '--config', file, '--now', '2025-03-05T12:00:00Z']);
      expect(result.code).toBe(EXIT_CONFIG);
      expect(result.stderr).toMatch(key);
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    });
  }

  // serve and daemon would wait for a signal if they started, so they run as processes.
  for (const args of [['serve', '--port', '0'], ['daemon', '--serve', '--port', '0']]) {
    it(args[0]!, async () => {
      const result = await cli([...args, '--config', file]);
      expect(result.code).toBe(EXIT_CONFIG);
      expect(result.stderr).toMatch(key);
      expect(result.stdout).toBe('');
    });
  }
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

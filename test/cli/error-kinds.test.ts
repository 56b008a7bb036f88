import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorKey, FeedfoldError } from '../../src/model/errors.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { runPipeline } from '../helpers/run-pipeline.js';
import { feedfold } from './cli-harness.js';

const T0 = '2025-03-05T12:00:00.000Z';

/** What `feedfold sources --json` prints of a source's last failure. */
interface SourceRow {
  id: string;
  status: string;
  errorCount: number;
  lastErrorKind: string | null;
  lastError: string | null;
}

/** The failures a loopback server gives, one per path, and the kind each must be recorded with. */
const CASES = [
  { id: 'missing', kind: 'fetch.http-not-found', message: /^fetch: http 404 for / },
  { id: 'broken', kind: 'fetch.http-server-error', message: /^fetch: http 500 for / },
  { id: 'slow', kind: 'fetch.timeout', message: /^fetch: .*\/slow/ },
  { id: 'huge', kind: 'fetch.too-large', message: /^fetch: .*\/huge/ },
  { id: 'garbled', kind: 'parse.malformed', message: /^parse: .*\/garbled.* is not well-formed/ },
] as const;

describe('every failure of the fetch and parse stages is recorded with its own kind', () => {
  let server: Server;
  let base = '';
  let project: TempProject;

  beforeAll(async () => {
    server = createServer((req, res) => {
      switch (req.url) {
        case '/missing':
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        case '/broken':
          res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
          return;
        case '/slow':
          // Never answers: the fetch times out.
          return;
        case '/huge':
          res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss version="2.0"><channel><title>${'x'.repeat(8192)}</title></channel></rss>`);
          return;
        case '/garbled':
          res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel><title>Garbled</title><item><title>cut <b></ite');
          return;
        default:
          res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    project = tempProject();
    project.writeConfig({
      fetch: { timeoutMs: 500, connectTimeoutMs: 500, maxBodyBytes: 4096 },
      sources: CASES.map((c) => ({ id: c.id, url: `${base}/${c.id}` })),
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    project.cleanup();
  });

  it('shows each kind in sources --json and the table, and in status.json', async () => {
    const summary = await runPipeline(project.configFile, T0);
    expect(summary.sourcesFailed).toBe(CASES.length);
    const json = await feedfold(['sources', '--json', '--config', project.configFile]);
    expect(json.code).toBe(0);
    const rows = new Map((JSON.parse(json.stdout) as SourceRow[]).map((r) => [r.id, r]));
    for (const c of CASES) {
      const row = rows.get(c.id);
      expect(row, c.id).toMatchObject({ status: 'failing', errorCount: 1, lastErrorKind: c.kind });
      expect(row?.lastError, c.id).toMatch(c.message);
    }
    // Five failures, five different kinds, each one of the closed set.
    expect(new Set(CASES.map((c) => rows.get(c.id)?.lastErrorKind)).size).toBe(CASES.length);
    for (const c of CASES) expect(errorKey(c.kind)).toBe(c.kind);

    const table = await feedfold(['sources', '--config', project.configFile]);
    expect(table.code).toBe(0);
    for (const c of CASES) expect(table.stdout).toContain(`last: [${c.kind}] `);

    const status = JSON.parse(readFileSync(path.join(project.outDir, 'status.json'), 'utf8')) as { failing: { source: string; kind: string }[] };
    expect(new Map(status.failing.map((f) => [f.source, f.kind]))).toEqual(new Map(CASES.map((c) => [c.id, c.kind])));
  });
});

describe('FeedfoldError kinds are closed per stage', () => {
  it('keys an error by its stage and kind, and reads back only known keys', () => {
    expect(new FeedfoldError('parse', 'malformed', 'x').key).toBe('parse.malformed');
    expect(errorKey('fetch.http-not-found')).toBe('fetch.http-not-found');
    expect(errorKey('fetch.malformed')).toBeUndefined();
    expect(errorKey('http-client-error')).toBeUndefined();
    expect(errorKey('toString.x')).toBeUndefined();
    // @ts-expect-error: 'malformed' is a parse kind, not a fetch one.
    const wrong = new FeedfoldError('fetch', 'malformed', 'x');
    expect(wrong.stage).toBe('fetch');
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { runPipeline } from '../helpers/run-pipeline.js';
import { feedfold, startLoopback, type Loopback } from './cli-harness.js';

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const T0 = '2025-03-05T12:00:00.000Z';
const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

interface SourceRow {
  id: string;
  status: 'new' | 'ok' | 'failing' | 'retired';
  errorCount: number;
  lastError: string | null;
  lastStatus: number | null;
  lastSuccessAt: string | null;
  nextFetchAt: string | null;
}

describe('feedfold sources shows each feed’s fetch state across runs', () => {
  let server: Loopback;
  let project: TempProject;
  const hits = (p: string): number => server.requests.filter((r) => r === p).length;
  const sources = async (): Promise<Map<string, SourceRow>> => {
    const result = await feedfold(['sources', '--json', '--config', project.configFile]);
    expect(result.code).toBe(0);
    return new Map((JSON.parse(result.stdout) as SourceRow[]).map((r) => [r.id, r]));
  };

  beforeAll(async () => {
    server = await startLoopback();
    server.route('/metro.xml', { file: path.join(FEEDS, 'metro-atom.xml') });
    server.route('/broken.xml', { status: 404, body: 'not found' });
    server.route('/gone.xml', { status: 410, body: 'gone for good' });
    project = tempProject();
    project.writeConfig({
      sources: [
        { id: 'metro', url: `${server.base}/metro.xml` },
        { id: 'broken', url: `${server.base}/broken.xml` },
        { id: 'gone', url: `${server.base}/gone.xml` },
      ],
    });
  });
  afterAll(async () => {
    await server.close();
    project.cleanup();
  });

  it('after a 404: failing, one error naming the status, next fetch later; a 410 is retired', async () => {
    const summary = await runPipeline(project.configFile, T0);
    expect(summary.sourcesOk).toBe(1);
    const rows = await sources();
    const broken = rows.get('broken')!;
    expect(broken.status).toBe('failing');
    expect(broken.errorCount).toBe(1);
    expect(broken.lastStatus).toBe(404);
    expect(broken.lastError).toMatch(/404/);
    expect(Date.parse(broken.nextFetchAt!)).toBeGreaterThan(Date.parse(T0));
    expect(rows.get('gone')!.status).toBe('retired');
    expect(rows.get('metro')).toMatchObject({ status: 'ok', errorCount: 0, lastError: null, lastSuccessAt: T0 });
  });

  it('backs off: a run before the next fetch time skips the failing and the retired feed', async () => {
    const before = { broken: hits('/broken.xml'), gone: hits('/gone.xml') };
    const firstNext = (await sources()).get('broken')!.nextFetchAt!;
    const summary = await runPipeline(project.configFile, at(5));
    expect(summary.sourcesSkipped).toBe(2);
    expect(hits('/broken.xml')).toBe(before.broken);
    expect(hits('/gone.xml')).toBe(before.gone);
    const rows = await sources();
    expect(rows.get('broken')).toMatchObject({ status: 'failing', errorCount: 1, nextFetchAt: firstNext });
    expect(rows.get('gone')!.status).toBe('retired');
  });

  it('a second failure once due counts two errors and waits longer', async () => {
    const firstNext = Date.parse((await sources()).get('broken')!.nextFetchAt!);
    const runAt = at(60);
    await runPipeline(project.configFile, runAt);
    const broken = (await sources()).get('broken')!;
    expect(broken.status).toBe('failing');
    expect(broken.errorCount).toBe(2);
    expect(broken.lastError).toMatch(/404/);
    const secondNext = Date.parse(broken.nextFetchAt!);
    expect(secondNext).toBeGreaterThan(Date.parse(runAt));
    // Exponential back-off: the wait after the second failure is longer than after the first.
    expect(secondNext - Date.parse(runAt)).toBeGreaterThan(firstNext - Date.parse(T0));
  });

  it('recovers: once the feed answers again the errors are cleared; the table says so for people', async () => {
    server.route('/broken.xml', { file: path.join(FEEDS, 'wire-rss20.xml') });
    const runAt = at(24 * 60);
    const summary = await runPipeline(project.configFile, runAt);
    expect(summary.sourcesOk).toBe(2);
    expect((await sources()).get('broken')).toMatchObject({ status: 'ok', errorCount: 0, lastSuccessAt: runAt });

    const table = await feedfold(['sources', '--config', project.configFile]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ok\s+broken\s/m);
    expect(table.stdout).toMatch(/^retired\s+gone\s/m);
    expect(table.stdout).toMatch(/^3 source\(s\)$/m);
  });
});

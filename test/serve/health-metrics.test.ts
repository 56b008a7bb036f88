import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/model/run.js';
import { startServer, type RunningServer } from '../../src/serve/create-server.js';
import { hasTool, noTool, parseWithPrometheusClient } from '../helpers/external-tools.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { feedfold } from '../cli/cli-harness.js';

/**
 * /healthz and /metrics of a real loopback server over the out/ folder of real runs: one that read the five seeds
 * and one in which its only other source failed. The server's clock is injected, so "the runs stopped" is a time
 * after the last successful run, not a wait.
 */

const T0 = '2025-03-05T12:00:00.000Z';
const T1 = '2025-03-05T13:00:00.000Z';
/** The schedule interval the server is told (Cache-Control max-age), and how many of them make the feed stale. */
const INTERVAL_S = 1800;
const STALE_AFTER_S = 3 * INTERVAL_S;

const at = (iso: string, plusSeconds = 0): number => Date.parse(iso) + plusSeconds * 1000;

async function get(server: RunningServer, pathname: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${server.url}${pathname}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

describe('/healthz and /metrics after real runs', () => {
  let project: TempProject;
  let clock = at(T1);
  let server: RunningServer;

  beforeAll(async () => {
    project = tempProject();
    const seeds = project.copySeeds();
    // Run 1 reads the seeds; run 2 reads nothing new from them and fails on a closed loopback port.
    project.writeConfig({ sources: [{ id: 'seeds', dir: seeds }, { id: 'wire', url: 'http://127.0.0.1:9/wire.xml', title: 'Closed Wire' }] });
    expect((await feedfold(['run', '-q', '--config', project.configFile, '--now', T0])).code).toBe(0);
    expect((await feedfold(['run', '-q', '--config', project.configFile, '--now', T1])).code).toBe(0);
    server = await startServer({ host: '127.0.0.1', port: 0, outDir: project.outDir, maxAgeSeconds: INTERVAL_S, staleAfterSeconds: STALE_AFTER_S, now: () => clock });
  });
  afterAll(async () => {
    await server?.close();
    project?.cleanup();
  });

  it('records the runs in out/status.json: the last one, the last success, the failing sources and totals', () => {
    const status = JSON.parse(readFileSync(`${project.outDir}/status.json`, 'utf8')) as RunStatus;
    expect(status.lastRun).toMatchObject({ runId: 2, startedAt: T1, outcome: 'ok', sourcesOk: 1, sourcesFailed: 1, articlesNew: 0, outcomes: { ok: 1, 'fetch.network': 1 } });
    expect(status.lastSuccessAt).toBe(T1);
    expect(status.failing).toEqual([{ source: 'wire', title: 'Closed Wire', kind: 'fetch.network' }]);
    expect(status.totals).toMatchObject({ runs: { ok: 2 }, articles: 5, storiesNew: 1, joins: 4, outcomes: { ok: 2, 'fetch.network': 2 } });
  });

  it('/healthz: 200 while the last successful run is recent, naming the failing source', async () => {
    clock = at(T1, 60);
    const health = await get(server, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({
      status: 'ok',
      feed: { exists: true },
      lastRun: { at: T1, outcome: 'ok', sourcesOk: 1, sourcesFailed: 1 },
      lastSuccessAt: T1,
      secondsSinceSuccess: 60,
      staleAfterSeconds: STALE_AFTER_S,
      failingSources: 1,
      failing: [{ source: 'wire', title: 'Closed Wire', kind: 'fetch.network' }],
    });
  });

  it('/healthz: 503 once no run has succeeded for three schedule intervals', async () => {
    clock = at(T1, STALE_AFTER_S + 1);
    const health = await get(server, '/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'stale', secondsSinceSuccess: STALE_AFTER_S + 1 });
  });

  it.skipIf(!hasTool('python3-prometheus-client'))(`/metrics parses with the official Prometheus parser and counts the runs ${hasTool('python3-prometheus-client') ? '' : noTool('python3-prometheus-client')}`, async () => {
    const metrics = await get(server, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = await parseWithPrometheusClient(metrics.body);
    const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('feedfold_runs_total', { outcome: 'ok' })).toBe(2);
    expect(value('feedfold_source_reads_total', { outcome: 'fetch.network' })).toBe(2);
    expect(value('feedfold_articles_total')).toBe(5);
    expect(value('feedfold_joins_total')).toBe(4);
    expect(value('feedfold_stories_created_total')).toBe(1);
    expect(value('feedfold_sources_failing')).toBe(1);
    expect(value('feedfold_feed_entries')).toBe(1);
    expect(value('feedfold_last_success_timestamp_seconds')).toBe(at(T1) / 1000);
    expect(samples.find((s) => s.family === 'feedfold_runs')?.type).toBe('counter');
    // The process's own metrics come with them.
    expect(value('feedfold_process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });
});

describe('/healthz over a folder no run has recorded', () => {
  it('reports on the feed file alone, as before', async () => {
    const project = tempProject();
    const server = await startServer({ host: '127.0.0.1', port: 0, outDir: project.outDir, maxAgeSeconds: INTERVAL_S });
    try {
      const health = await get(server, '/healthz');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ status: 'ok', feed: { exists: false, updated: null } });
    } finally {
      await server.close();
      project.cleanup();
    }
  });
});

describe('a run that reads no source by design', () => {
  it('counts `run --no-fetch` (a leader cycle: workers read the sources) as a success, so /healthz stays 200', async () => {
    const project = tempProject();
    try {
      project.writeConfig({ sources: [{ id: 'seeds', dir: project.copySeeds() }] });
      expect((await feedfold(['run', '-q', '--no-fetch', '--config', project.configFile, '--now', T0])).code).toBe(0);
      const status = JSON.parse(readFileSync(`${project.outDir}/status.json`, 'utf8')) as RunStatus;
      expect(status.lastRun).toMatchObject({ startedAt: T0, outcome: 'ok', sourcesOk: 0, sourcesFailed: 0, clusterOnly: true });
      expect(status.lastSuccessAt).toBe(T0);
      const server = await startServer({ host: '127.0.0.1', port: 0, outDir: project.outDir, maxAgeSeconds: INTERVAL_S, staleAfterSeconds: STALE_AFTER_S, now: () => at(T0, 60) });
      try {
        expect((await get(server, '/healthz')).status).toBe(200);
      } finally {
        await server.close();
      }
    } finally {
      project.cleanup();
    }
  });
});

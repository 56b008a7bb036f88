import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceSpec } from '../../src/model/source.js';
import { runFeedJob } from '../../src/pipeline/read-feed-job.js';
import { RunProfile, threadCpuMicros, type ProfileStage } from '../../src/pipeline/run-profile.js';
import { startLoopback, type Loopback } from '../fetch/loopback-server.js';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { runPipeline } from '../helpers/run-pipeline.js';

/**
 * The run profile behind `bench:ingest`: a real run over feeds served from loopback charges CPU
 * time to every stage, parse and normalize measured in the worker threads, and a feed job asked to
 * measure itself says how long it parsed and normalized.
 */

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const STAGES: ProfileStage[] = ['fetch', 'parse', 'normalize', 'cluster', 'store', 'publish'];

describe('run profile', () => {
  let server: Loopback;
  let project: TempProject;

  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(readFileSync(path.join(FEEDS, path.basename(req.url ?? ''))));
    });
  });
  afterAll(() => server.close());
  afterEach(() => project?.cleanup());

  it('charges CPU time to every stage of a run', async () => {
    project = tempProject();
    project.writeConfig({ sources: [{ id: 'gazette', url: server.url('/wire-rss20.xml') }, { id: 'metro', url: server.url('/metro-atom.xml') }] });
    const profile = new RunProfile();
    const summary = await runPipeline(project.configFile, '2025-03-05T12:00:00Z', { profile });
    expect(summary.articlesNew).toBeGreaterThan(0);
    for (const stage of STAGES) expect(profile.micros(stage), stage).toBeGreaterThan(0);
  });

  it('says how long a feed job parsed and normalized, when asked', async () => {
    const spec: SourceSpec = { id: 'gazette', kind: 'feed-url', location: 'https://gazette.example/feed', rank: 0 };
    const job = { body: readFileSync(path.join(FEEDS, 'wire-rss20.xml')), spec, now: '2025-03-05T12:00:00.000Z' };
    const measured = await runFeedJob({ ...job, measureCpu: true });
    expect(measured.cpu?.parse).toBeGreaterThan(0);
    expect(measured.cpu?.normalize).toBeGreaterThan(0);
    expect(await runFeedJob(job)).not.toHaveProperty('cpu');
  });

  it('adds time measured elsewhere and never goes backwards', () => {
    const profile = new RunProfile();
    profile.add('parse', 120);
    profile.add('parse', 30);
    expect(profile.micros('parse')).toBe(150);
    expect(profile.micros('fetch')).toBe(0);
    const before = threadCpuMicros();
    const out = profile.time('cluster', () => Array.from({ length: 20_000 }, (_, i) => i * i).reduce((a, b) => a + b, 0));
    expect(out).toBeGreaterThan(0);
    expect(profile.micros('cluster')).toBeGreaterThan(0);
    expect(threadCpuMicros()).toBeGreaterThanOrEqual(before);
  });
});

import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const TYPES: Record<string, string> = { '.xml': 'application/xml', '.json': 'application/feed+json' };

describe('a run over feeds served from a loopback HTTP server', () => {
  let server: Server;
  let base: string;
  let project: TempProject;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = path.basename(req.url ?? '/');
      try {
        const body = readFileSync(path.join(FEEDS, name));
        res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => project?.cleanup());

  it('publishes one entry per story across RSS 2.0, Atom 1.0 and JSON Feed', async () => {
    project = tempProject();
    project.writeConfig({
      sources: [
        { id: 'gazette', url: `${base}/wire-rss20.xml`, title: 'Harbor Gazette' },
        { id: 'metro', url: `${base}/metro-atom.xml`, title: 'Metro Daily' },
        { id: 'coast', url: `${base}/coast-jsonfeed.json`, title: 'Coast Radio' },
      ],
    });
    const summary = await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    expect(summary.sourcesOk).toBe(3);
    expect(summary.articlesNew).toBe(6);
    const feed = parseAtomFeed(readFileSync(project.feedFile, 'utf8'));
    const list = feed.entries ?? [];
    expect(list).toHaveLength(3);
    const versions = (e: (typeof list)[number]) =>
      [...(e.links ?? []).filter((l) => l.rel === 'alternate' || l.rel === undefined), ...(e.links ?? []).filter((l) => l.rel === 'related')].map((l) => l.href).sort();
    const byVersions = list.map(versions).sort((a, b) => b.length - a.length);
    expect(byVersions[0]).toEqual([
      'http://coastradio.test/stories/88120',
      'http://gazette.test/news/bike-lanes',
      'http://metro.test/city/main-street-bike-lanes',
    ]);
    expect(byVersions[1]).toEqual(['http://coastradio.test/stories/88131', 'http://gazette.test/news/bakery-prize']);
    expect(byVersions[2]).toEqual(['http://metro.test/science/coral-reefs']);
  });

  it('records a missing, empty, non-XML or truncated feed as a clear error and completes the run', async () => {
    project = tempProject();
    const seeds = project.copySeeds(['000_168ea976ff7458c6.txt']);
    project.writeConfig({
      sources: [
        { id: 'missing-url', url: `${base}/does-not-exist.xml` },
        { id: 'missing-file', file: path.join(project.dir, 'nope.xml') },
        { id: 'empty', url: `${base}/empty.xml` },
        { id: 'not-xml', file: path.join(FEEDS, 'not-xml.xml') },
        { id: 'truncated', url: `${base}/truncated.xml` },
        { id: 'seeds', dir: seeds },
      ],
    });
    const summary = await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    expect(summary.sourcesFailed).toBe(5);
    expect(summary.sourcesOk).toBe(1);
    expect(summary.articlesNew).toBe(1);
    expect(parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries).toHaveLength(1);

    const records = readFileSync(path.join(project.outDir, 'feedfold.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; source?: string; err?: { kind: string; message: string }; msg: string });
    const failures = new Map(records.filter((r) => r.level === 40 && r.err && r.source).map((r) => [r.source!, r.err!]));
    expect([...failures.keys()].sort()).toEqual(['empty', 'missing-file', 'missing-url', 'not-xml', 'truncated']);
    expect(failures.get('missing-url')!.message).toMatch(/404/);
    expect(failures.get('missing-file')!.message).toMatch(/nope\.xml/);
    for (const err of failures.values()) expect(err.message).toMatch(/^(fetch|parse|sources): /);

    const store = await openStore(project.configFile);
    try {
      expect((await store.sources.getSource('missing-url'))!.state.errorCount).toBe(1);
      expect((await store.sources.getSource('truncated'))!.state.errorCount).toBe(1);
    } finally {
      await store.close();
    }
    expect(records.some((r) => r.msg === 'run finished')).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';

const FEED = readFileSync(path.join(FIXTURES, 'pipeline', 'feeds', 'wire-rss20.xml'));
const PAGE = `<!doctype html><html><head><title>Harbor Gazette</title>
<link rel="alternate" type="application/rss+xml" title="Harbor Gazette news" href="/feeds/news.xml">
</head><body><h1>Harbor Gazette</h1><p>Local news.</p></body></html>`;

describe('feed auto-discovery in a run', () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];
  let project: TempProject;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      else if (req.url === '/feeds/news.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => project?.cleanup());

  it('follows a home page to the feed it links, keeps the feed URL, and fetches the feed directly next time', async () => {
    project = tempProject();
    project.writeConfig({ sources: [{ id: 'gazette', url: `${base}/` }] });
    const first = await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    expect(first.sourcesOk).toBe(1);
    expect(first.articlesNew).toBe(2);
    expect(parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries).toHaveLength(2);
    const store = await openStore(project.configFile);
    try {
      expect((await store.sources.getSource('gazette'))!.state.url).toBe(`${base}/feeds/news.xml`);
    } finally {
      await store.close();
    }
    requests.length = 0;
    const second = await runPipeline(project.configFile, '2025-03-05T13:00:00Z');
    expect(second.sourcesOk).toBe(1);
    expect(requests).toEqual(['/feeds/news.xml']);
  });
});

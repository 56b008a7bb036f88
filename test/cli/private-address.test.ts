import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../helpers/project.js';
import { cli, feedfold } from './cli-harness.js';

const NOW = '2025-03-05T12:00:00Z';
const TOKEN = 'internal-api-token-5f2c';
const FEED = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Internal', items: [{ id: 'k1', title: `Key ${TOKEN}`, content_text: TOKEN }] });

describe('what an operator sees when a subscribed URL is on a private address', () => {
  let server: http.Server;
  let connections = 0;
  let url = '';
  let project: TempProject;

  beforeAll(async () => {
    server = http.createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/feed+json' }).end(FEED));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.json`;
    project = tempProject();
    project.writeConfig({ fetch: { allowPrivateNetworks: false }, sources: [{ id: 'internal', url }] });
  });
  afterAll(async () => {
    project.cleanup();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const refusal = (): string => `fetch: refused ${url}: 127.0.0.1 is a loopback address; set fetch.allowPrivateNetworks to read feeds on your own network`;

  it('`feedfold run` warns on stderr, counts the source as failed, and publishes nothing from it', async () => {
    const result = await cli(['run', '--config', project.configFile, '--now', NOW]);
    // The only source failed: the run says so with its exit code.
    expect(result.code).toBe(69);
    expect(result.stdout).toMatch(/0 source\(s\) ok, 1 failed/);
    expect(result.stderr.split('\n').filter((l) => l !== '')).toEqual([
      `feedfold: warning: ${url} [fetch.blocked-address]: source failed: ${refusal()}`,
      'feedfold: all 1 source(s) read in this run failed; nothing new was read',
    ]);
    expect(readFileSync(project.feedFile, 'utf8')).not.toContain(TOKEN);
    expect(connections).toBe(0);
  });

  it('`feedfold sources` shows the recorded error and the URL as subscribed', async () => {
    const result = await feedfold(['sources', '--config', project.configFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`failing  internal  ${url}\n`);
    expect(result.stdout).toContain(`1 error(s), last: [fetch.blocked-address] ${refusal()};`);
  });
});

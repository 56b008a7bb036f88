import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { LOOPBACK_FETCH_OPTIONS } from './loopback-server.js';

describe('a kept-alive connection the server drops while idle', () => {
  let server: Server;
  let base: string;
  let requests = 0;
  let dropped = 0;
  const served = new WeakSet<Socket>();

  beforeAll(async () => {
    // Answers the first request of each connection; a second request on the same connection finds
    // it closed, as when a server's keep-alive timeout fires just as the client reuses the socket.
    server = createServer((req, res) => {
      requests++;
      if (served.has(req.socket)) {
        dropped++;
        req.socket.destroy();
        return;
      }
      served.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/rss+xml', connection: 'keep-alive' });
      res.end('<rss version="2.0"><channel><title>t</title></channel></rss>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is retried once on a fresh connection, so the fetch succeeds', async () => {
    const first = await fetchFeed({ url: `${base}/feed.xml` }, LOOPBACK_FETCH_OPTIONS);
    expect(first.kind).toBe('ok');
    const second = await fetchFeed({ url: `${base}/feed.xml` }, LOOPBACK_FETCH_OPTIONS);
    expect(dropped).toBeGreaterThanOrEqual(1);
    expect(second.kind).toBe('ok');
    expect(requests).toBe(3);
  });
});

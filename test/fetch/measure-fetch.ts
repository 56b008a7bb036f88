// Prints figures for the fetch stage (not a test: no assertions). Run: npx tsx test/fetch/measure-fetch.ts
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { createFetchQueue } from '../../src/fetch/fetch-queue.js';
import { fetchFixture, LOOPBACK_FETCH_OPTIONS, startLoopback } from './loopback-server.js';

const HUGE_BODY_BYTES = 200 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');
const FEED = fetchFixture('minimal-atom.xml');
const MB = 1024 * 1024;
const FEEDS = 500;

async function stream(res: http.ServerResponse, onDone: (n: number) => void): Promise<void> {
  let sent = 0;
  while (sent < HUGE_BODY_BYTES && !res.destroyed) {
    sent += CHUNK.length;
    if (!res.write(CHUNK)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.once('drain', done).once('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
  onDone(sent);
}

async function main(): Promise<void> {
  let hugeSent = 0;
  const bomb = zlib.gzipSync(Buffer.alloc(50 * MB), { level: 9 });
  const server = await startLoopback((req, res) => {
    if (req.url === '/huge') {
      res.writeHead(200);
      void stream(res, (n) => (hugeSent = n));
    } else if (req.url === '/bomb') {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
    } else {
      res.writeHead(200, { 'content-type': 'application/atom+xml', 'content-encoding': 'gzip' }).end(zlib.gzipSync(FEED));
    }
  });
  const rssBefore = process.memoryUsage().rss;
  const huge = await fetchFeed({ url: server.url('/huge') }, LOOPBACK_FETCH_OPTIONS);
  await new Promise((r) => setTimeout(r, 200));
  const rssAfter = process.memoryUsage().rss;
  process.stdout.write(`200 MB body: outcome=${huge.kind === 'error' ? huge.error : huge.kind}, server sent ${(hugeSent / MB).toFixed(1)} MB, client RSS +${((rssAfter - rssBefore) / MB).toFixed(1)} MB\n`);
  const bombOutcome = await fetchFeed({ url: server.url('/bomb') }, LOOPBACK_FETCH_OPTIONS);
  process.stdout.write(`gzip bomb: ${(bomb.length / 1024).toFixed(0)} KB on the wire, 50 MB decoded → ${bombOutcome.kind === 'error' ? bombOutcome.error : bombOutcome.kind}\n`);
  const queue = createFetchQueue({ concurrency: 16, perHost: 8 });
  const t0 = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: FEEDS }, (_, i) => server.url(`/feed/${i}`)).map((url) => queue.run(url, () => fetchFeed({ url }, LOOPBACK_FETCH_OPTIONS))),
  );
  const ms = performance.now() - t0;
  const ok = outcomes.filter((o) => o.kind === 'ok').length;
  process.stdout.write(`${FEEDS} gzip feeds via queue (16 global, 8 per host): ${ok} ok in ${ms.toFixed(0)} ms (${((FEEDS / ms) * 1000).toFixed(0)} fetches/s)\n`);
  await server.close();
}

await main();

import type http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { MAX_BODY_BYTES } from '../../src/fetch/fetch-options.js';
import { LOOPBACK_FETCH_OPTIONS, settled, startLoopback, type Loopback } from './loopback-server.js';

const HUGE_BODY_BYTES = 200 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');
// Empty gzip members back to back (RFC 1952 §2.2 allows many members): megabytes on the wire, zero bytes decoded.
const EMPTY_GZIP_MEMBER = zlib.gzipSync(Buffer.alloc(0));
const EMPTY_MEMBERS_CHUNK = Buffer.concat(Array.from({ length: 3200 }, () => EMPTY_GZIP_MEMBER));
const EMPTY_MEMBERS_TOTAL_BYTES = 40 * 1024 * 1024;
const TRICKLE_BYTES = 60;
const TRICKLE_INTERVAL_MS = 1000;
// Small on purpose: the slow-server tests only need the deadline to come before the server is done.
const SMALL_TIMEOUTS = { ...LOOPBACK_FETCH_OPTIONS, connectTimeoutMs: 1000, totalTimeoutMs: 1500 };

/** Streams up to `total` bytes, respecting back-pressure, and resolves with how many bytes were accepted for sending. */
async function streamBytes(res: http.ServerResponse, total: number, unit = CHUNK): Promise<number> {
  let sent = 0;
  while (sent < total && !res.destroyed) {
    const chunk = unit.subarray(0, Math.min(unit.length, total - sent));
    sent += chunk.length;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
  return sent;
}

describe('fetchFeed: body-size cap and timeouts', () => {
  let server: Loopback;
  const hugeSent: number[] = [];
  const trickleSent: number[] = [];
  let hugeDone: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      const p = req.url ?? '';
      if (p === '/huge-chunked' || p === '/huge-declared') {
        const headers = p === '/huge-declared' ? { 'content-length': String(HUGE_BODY_BYTES) } : {};
        res.writeHead(200, { 'content-type': 'application/rss+xml', ...headers });
        hugeDone = streamBytes(res, HUGE_BODY_BYTES).then((n) => void hugeSent.push(n));
      } else if (p === '/empty-gzip-members') {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        hugeDone = streamBytes(res, EMPTY_MEMBERS_TOTAL_BYTES, EMPTY_MEMBERS_CHUNK).then((n) => void hugeSent.push(n));
      } else if (p.startsWith('/exact/')) {
        res.writeHead(200).end(Buffer.alloc(Number(p.slice('/exact/'.length)), 'x'));
      } else if (p === '/never') {
        // Accept the connection and the request, then say nothing at all.
      } else if (p === '/trickle') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        let sent = 0;
        const timer = setInterval(() => {
          if (sent < TRICKLE_BYTES) {
            res.write('<');
            sent++;
          } else {
            res.end();
          }
        }, TRICKLE_INTERVAL_MS);
        void settled(res).then(() => {
          clearInterval(timer);
          trickleSent.push(sent);
        });
      } else {
        res.writeHead(404).end();
      }
    });
  });
  afterAll(() => server.close());

  it('aborts a 200 MB streamed body early: the server sends far less than 200 MB', async () => {
    const outcome = await fetchFeed({ url: server.url('/huge-chunked') }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'too-large' });
    await hugeDone;
    const sent = hugeSent.at(-1)!;
    expect(sent).toBeGreaterThan(MAX_BODY_BYTES);
    // Socket buffers hold a few MB at most; 5x the cap proves the client stopped reading.
    expect(sent).toBeLessThan(5 * MAX_BODY_BYTES);
  });

  it('caps the wire bytes even when they decode to nothing', async () => {
    const outcome = await fetchFeed({ url: server.url('/empty-gzip-members') }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'too-large' });
    if (outcome.kind === 'error') expect(outcome.message).toContain('on the wire');
    await hugeDone;
    expect(hugeSent.at(-1)!).toBeLessThan(EMPTY_MEMBERS_TOTAL_BYTES);
  });

  it('refuses a body whose Content-Length already exceeds the cap', async () => {
    const outcome = await fetchFeed({ url: server.url('/huge-declared') }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'too-large' });
    if (outcome.kind === 'error') expect(outcome.message).toContain('content-length');
    await hugeDone;
    expect(hugeSent.at(-1)!).toBeLessThan(5 * MAX_BODY_BYTES);
  });

  it('accepts a body of exactly the cap and refuses one byte more', async () => {
    const opts = { ...LOOPBACK_FETCH_OPTIONS, maxBodyBytes: 1000 };
    const atCap = await fetchFeed({ url: server.url('/exact/1000') }, opts);
    expect(atCap.kind === 'ok' && atCap.body.length).toBe(1000);
    expect(await fetchFeed({ url: server.url('/exact/1001') }, opts)).toMatchObject({ kind: 'error', error: 'too-large' });
  });

  it('times out on a server that never answers', async () => {
    const outcome = await fetchFeed({ url: server.url('/never') }, SMALL_TIMEOUTS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'timeout' });
    if (outcome.kind === 'error') expect(outcome.message).toContain(server.url('/never'));
  });

  it('cuts off a server that sends one byte per second at the total timeout', async () => {
    const outcome = await fetchFeed({ url: server.url('/trickle') }, SMALL_TIMEOUTS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'timeout' });
    // The server notices the client left long before it finished its 60 bytes.
    await expect.poll(() => trickleSent.length, { timeout: 5000 }).toBe(1);
    expect(trickleSent[0]).toBeLessThan(TRICKLE_BYTES);
  });

  it('stops when the caller aborts, reporting it rather than throwing', async () => {
    const controller = new AbortController();
    const pending = fetchFeed({ url: server.url('/never') }, LOOPBACK_FETCH_OPTIONS, controller.signal);
    controller.abort();
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'error', error: 'network' });
    if (outcome.kind === 'error') expect(outcome.message).toContain('aborted');
  });
});

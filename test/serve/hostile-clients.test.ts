import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/create-logger.js';
import { renderAtom } from '../../src/publish/render-atom.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/serve/create-server.js';
import { META, STORIES } from '../publish/story-fixtures.js';
import { connectSilent, readLog, send, sendRaw, waitFor } from './raw-http.js';

/** A served folder with a log file; `setup` adds files before the server starts. */
async function servedProject(opts: Partial<ServerOptions> = {}, setup?: (outDir: string) => Promise<void>): Promise<{ root: string; outDir: string; logFile: string; server: RunningServer }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'feedfold-hostile-'));
  const outDir = path.join(root, 'out');
  await mkdir(outDir);
  await setup?.(outDir);
  const logFile = path.join(root, 'feedfold.log');
  const logger = createLogger({ level: 'info', file: logFile }).child({ stage: 'serve' });
  const server = await startServer({ host: '127.0.0.1', port: 0, outDir, maxAgeSeconds: 60, logger, ...opts });
  return { root, outDir, logFile, server };
}

/** Larger than the kernel's socket buffers, so a client that does not read stalls the answer. */
const BIG_FEED_BYTES = 32 * 1024 * 1024;

/** A feed path the server cannot read: a symbolic link to itself (ELOOP), so every request fails with 500. */
async function unreadableFeed(outDir: string): Promise<void> {
  await symlink('feed.atom', path.join(outDir, 'feed.atom'));
}

describe('impossible article names', () => {
  let p: Awaited<ReturnType<typeof servedProject>>;
  beforeAll(async () => {
    p = await servedProject();
  });
  afterAll(async () => {
    await p.server.close();
    await rm(p.root, { recursive: true, force: true });
  });

  it('answers 404, not 500, to a 14,000-character article name and logs nothing of it', async () => {
    const name = 'a'.repeat(14_000);
    const res = await send(p.server.url, `/articles/${name}.html`);
    expect(res.status).toBe(404);
    expect(res.body.toString()).toBe('not found\n');
    // Names of the right form at and beyond the longest file name (NAME_MAX, 255), and a traversal.
    for (const length of [250, 251, 256, 300, 4_000]) {
      const reply = await send(p.server.url, `/articles/${'b'.repeat(length - 5)}.html`);
      expect(reply.status, `${length} characters`).toBe(404);
    }
    expect((await send(p.server.url, `/articles/..${'c'.repeat(300)}.html`)).status).toBe(404);
    const log = readLog(p.logFile);
    expect(log.map((r) => r.msg)).toEqual(['serve: listening']);
    expect((await stat(p.logFile)).size).toBeLessThan(1_000);
  });

  it('answers 404 when the articles folder is not a folder (ENOTDIR)', async () => {
    await writeFile(path.join(p.outDir, 'articles'), 'not a folder');
    const res = await send(p.server.url, '/articles/seeds--one.html');
    expect(res.status).toBe(404);
    expect(readLog(p.logFile).filter((r) => r.level !== 30)).toEqual([]);
  });
});

describe('warnings under a flood of bad requests', () => {
  let p: Awaited<ReturnType<typeof servedProject>>;
  beforeAll(async () => {
    // A long interval, so the whole flood falls in one window on any machine.
    p = await servedProject({ limits: { warningsPerInterval: 10, warningIntervalMs: 600_000 } }, unreadableFeed);
  });
  afterAll(async () => {
    await rm(p.root, { recursive: true, force: true });
  });

  it('logs a failing request with a short prefix of its target', async () => {
    const res = await send(p.server.url, `/feed.atom?q=${'z'.repeat(14_000)}`);
    expect(res.status).toBe(500);
    expect(res.body.toString()).toBe('internal error\n');
    const [failure] = readLog(p.logFile).filter((r) => r.msg === 'serve: request failed');
    expect(failure).toBeDefined();
    expect(failure?.url).toBe(`/feed.atom?q=${'z'.repeat(107)}…(+13893 chars)`);
    expect(JSON.stringify(failure).length).toBeLessThan(1_000);
    expect((failure?.err as { code?: string }).code).toBe('ELOOP');
  });

  it('writes a bounded log for 10,000 failing and 2,000 malformed requests, then one summary per kind', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 100; batch += 1) {
      const replies = await Promise.all(Array.from({ length: 100 }, () => send(p.server.url, '/feed.atom', { agent })));
      for (const r of replies) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    agent.destroy();
    expect(statuses).toEqual(new Map([[500, 10_000]]));
    for (let batch = 0; batch < 40; batch += 1) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => sendRaw(p.server.port, 'NOT HTTP AT ALL\r\n\r\n')));
      for (const a of answers) expect(a).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    }
    // The server still answers.
    expect((await send(p.server.url, '/')).status).toBe(200);
    await p.server.close();
    const log = readLog(p.logFile);
    const failures = log.filter((r) => r.msg === 'serve: request failed');
    const malformed = log.filter((r) => r.msg === 'serve: bad request');
    expect(failures).toHaveLength(10);
    expect(malformed).toHaveLength(10);
    expect(malformed[0]).toMatchObject({ kind: 'bad-request', code: 'HPE_INVALID_METHOD' });
    // One request failed in the test before: 10,001 failures, 10 written.
    expect(log.filter((r) => r.suppressed !== undefined).map((r) => [r.kind, r.suppressed])).toEqual([
      ['request-failed', 9_991],
      ['bad-request', 1_990],
    ]);
    expect(log.find((r) => r.kind === 'request-failed' && r.suppressed !== undefined)?.msg).toBe('suppressed 9991 similar warnings ("serve: request failed") in 600 s');
    // Before: one 500 with a ~300-byte warning per request (3 MB for 10,000).
    expect((await stat(p.logFile)).size).toBeLessThan(12_000);
  });
});

describe('slow senders and slow readers', () => {
  let p: Awaited<ReturnType<typeof servedProject>>;
  beforeAll(async () => {
    p = await servedProject({ limits: { headersTimeoutMs: 500, requestTimeoutMs: 1_000, timeoutCheckIntervalMs: 100, idleTimeoutMs: 1_000 } }, async (outDir) => {
      await writeFile(path.join(outDir, 'feed.atom'), Buffer.alloc(BIG_FEED_BYTES, 'x'));
    });
  });
  afterAll(async () => {
    await p.server.close();
    await rm(p.root, { recursive: true, force: true });
  });

  it('answers 408 and closes a connection that never finishes its headers', async () => {
    const answer = await sendRaw(p.server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    const timeouts = readLog(p.logFile).filter((r) => r.msg === 'serve: bad request');
    expect(timeouts.map((r) => r.code)).toContain('ERR_HTTP_REQUEST_TIMEOUT');
  });

  it('closes a connection that stops reading its answer once nothing moves', async () => {
    await waitFor('earlier connections to close', () => p.server.connections().open === 0);
    const before = p.server.connections().requests;
    const socket = await connectSilent(p.server.port, 'GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('the request to be read', () => p.server.connections().requests > before);
    expect(p.server.connections().open).toBe(1);
    await waitFor('the stalled connection to be closed', () => p.server.connections().open === 0);
    // The reader, reading at last, gets what the kernel still held and then the end: not the whole answer.
    let bytes = 0;
    const ended = new Promise<void>((resolve) => {
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    socket.on('data', (c: Buffer) => (bytes += c.length));
    socket.resume();
    await ended;
    expect(bytes).toBeLessThan(BIG_FEED_BYTES);
    expect((await send(p.server.url, '/healthz')).status).toBe(200);
  });
});

describe('pipelined requests from a client that does not read', () => {
  let p: Awaited<ReturnType<typeof servedProject>>;
  beforeAll(async () => {
    p = await servedProject({}, async (outDir) => {
      await writeFile(path.join(outDir, 'feed.atom'), Buffer.alloc(BIG_FEED_BYTES, 'x'));
    });
  });
  afterAll(async () => {
    await p.server.close();
    await rm(p.root, { recursive: true, force: true });
  });

  it('are parsed only as fast as their answers are read, and all answered in order', async () => {
    // One large answer the client does not read, then 999 small requests pipelined behind it.
    const burst = `GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n${'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(999)}`;
    const socket: Socket = await connectSilent(p.server.port, burst);
    await waitFor('the first request to be read', () => p.server.connections().requests === 1);
    // A health check from another connection is answered meanwhile…
    const health = await send(p.server.url, '/healthz');
    expect(health.status).toBe(200);
    // …and the 999 requests behind the unread answer are still bytes, not requests in memory.
    expect(p.server.connections().requests).toBe(2);
    // Reading now lets them through, one at a time, each answered.
    const STATUS_LINE = 'HTTP/1.1 200 OK\r\n';
    let received = 0;
    let tail = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      const text = tail + chunk;
      received += text.split(STATUS_LINE).length - 1;
      // Shorter than a status line, so no line is counted twice and none split across chunks is missed.
      tail = text.slice(-(STATUS_LINE.length - 1));
    });
    socket.resume();
    await waitFor('all 1,000 answers', () => received === 1_000, 60_000);
    expect(p.server.connections().requests).toBe(1_001);
    socket.destroy();
  });
});

describe('a client that half-closes after pipelining', () => {
  let p: Awaited<ReturnType<typeof servedProject>>;
  beforeAll(async () => {
    p = await servedProject({}, async (outDir) => {
      await writeFile(path.join(outDir, 'feed.atom'), renderAtom(META, STORIES));
    });
  });
  afterAll(async () => {
    await p.server.close();
    await rm(p.root, { recursive: true, force: true });
  });

  it('gets every answer before the connection ends', async () => {
    const answer = await sendRaw(p.server.port, 'GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(3) + 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', { end: true });
    expect(answer.split('HTTP/1.1 200 OK\r\n')).toHaveLength(5);
    expect(answer).toContain('"status":"ok"');
  });
});

describe('connection cap under 2,000 connections that pipeline and never read', () => {
  const CAP = 500;
  const ATTACKERS = 2_000;
  let p: Awaited<ReturnType<typeof servedProject>>;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Nothing closes by a timeout during the test, so every connection beyond the cap is an eviction.
    const quiet = { keepAliveTimeoutMs: 600_000, idleTimeoutMs: 600_000, warningIntervalMs: 600_000 };
    p = await servedProject({ maxConnections: CAP, limits: quiet }, async (outDir) => {
      await writeFile(path.join(outDir, 'feed.atom'), renderAtom(META, STORIES));
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await p.server.close();
    await rm(p.root, { recursive: true, force: true });
  });

  it('keeps at most the cap open, evicting the least recently active, and a new client is still answered', async () => {
    const burst = 'GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(4);
    for (let batch = 0; batch < ATTACKERS / 100; batch += 1) {
      sockets.push(...(await Promise.all(Array.from({ length: 100 }, () => connectSilent(p.server.port, burst)))));
    }
    await waitFor('every connection to be accepted', () => p.server.connections().accepted >= ATTACKERS);
    const during = p.server.connections();
    expect(during.peak).toBeLessThanOrEqual(CAP);
    expect(during.open).toBeLessThanOrEqual(CAP);
    expect(during.open).toBe(CAP);
    expect(during.evicted).toBe(ATTACKERS - CAP);
    const health = await send(p.server.url, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toMatchObject({ status: 'ok', feed: { exists: true } });
    expect(p.server.connections().peak).toBeLessThanOrEqual(CAP);
    expect(readLog(p.logFile).filter((r) => r.kind === 'connection-limit')).toHaveLength(10);
  });
});

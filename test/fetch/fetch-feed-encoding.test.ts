import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { MAX_BODY_BYTES } from '../../src/fetch/fetch-options.js';
import { fetchFixture, LOOPBACK_FETCH_OPTIONS, startLoopback, type Loopback } from './loopback-server.js';

const FEED = fetchFixture('minimal-atom.xml');
// 50 MB of zeros compresses to tens of kilobytes: a classic decompression bomb.
const BOMB_DECODED_BYTES = 50 * 1024 * 1024;

const bodies: Record<string, { encoding: string; body: Buffer }> = {
  '/gzip': { encoding: 'gzip', body: zlib.gzipSync(FEED) },
  '/x-gzip': { encoding: 'x-gzip', body: zlib.gzipSync(FEED) },
  '/deflate': { encoding: 'deflate', body: zlib.deflateSync(FEED) },
  '/br': { encoding: 'br', body: zlib.brotliCompressSync(FEED) },
  '/identity': { encoding: 'identity', body: FEED },
  // RFC 9110 §8.4: codings are listed in the order applied, so decoding goes right to left.
  '/gzip-then-br': { encoding: 'gzip, br', body: zlib.brotliCompressSync(zlib.gzipSync(FEED)) },
  '/corrupt-gzip': { encoding: 'gzip', body: Buffer.from('this is not gzip at all') },
  '/truncated-gzip': { encoding: 'gzip', body: zlib.gzipSync(FEED).subarray(0, 40) },
  '/unknown': { encoding: 'compress', body: FEED },
};

describe('fetchFeed: compressed bodies', () => {
  let server: Loopback;
  let gzipBomb: Buffer;
  let brBomb: Buffer;

  beforeAll(async () => {
    const zeros = Buffer.alloc(BOMB_DECODED_BYTES);
    gzipBomb = zlib.gzipSync(zeros, { level: 1 });
    brBomb = zlib.brotliCompressSync(zeros, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } });
    bodies['/gzip-bomb'] = { encoding: 'gzip', body: gzipBomb };
    bodies['/br-bomb'] = { encoding: 'br', body: brBomb };
    server = await startLoopback((req, res) => {
      const entry = bodies[req.url ?? ''];
      if (entry === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/atom+xml', 'content-encoding': entry.encoding });
      res.end(entry.body);
    });
  });
  afterAll(() => server.close());

  it.each(['/gzip', '/x-gzip', '/deflate', '/br', '/identity', '/gzip-then-br'])('decodes %s to the original feed', async (p) => {
    const outcome = await fetchFeed({ url: server.url(p) }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome.kind).toBe('ok');
    if (outcome.kind === 'ok') expect(outcome.body.toString('utf8')).toBe(FEED.toString('utf8'));
  });

  it.each(['/corrupt-gzip', '/truncated-gzip', '/unknown'])('reports %s as a decompression error', async (p) => {
    const outcome = await fetchFeed({ url: server.url(p) }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'decompression' });
    if (outcome.kind === 'error') expect(outcome.message).toContain(`for ${server.url(p)}`);
  });

  it.each(['/gzip-bomb', '/br-bomb'])('stops %s at the decoded-size cap although its wire size is small', async (p) => {
    expect((p === '/gzip-bomb' ? gzipBomb : brBomb).length).toBeLessThan(LOOPBACK_FETCH_OPTIONS.maxBodyBytes);
    expect(BOMB_DECODED_BYTES).toBeGreaterThan(MAX_BODY_BYTES);
    const outcome = await fetchFeed({ url: server.url(p) }, LOOPBACK_FETCH_OPTIONS);
    expect(outcome).toMatchObject({ kind: 'error', error: 'too-large' });
    if (outcome.kind === 'error') expect(outcome.message).toContain('decoded');
  });
});

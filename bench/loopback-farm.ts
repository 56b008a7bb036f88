/**
 * A loopback farm of generated news feeds, shared by the benches (bench/ingest.ts, bench/scale.ts): each feed a small
 * RSS 2.0 or Atom 1.0 document whose items are other outlets' versions of the same stories (each outlet rewords a few
 * words), so clustering has work; the same arguments give the same bytes. The server runs in a worker thread (in the
 * bench's own thread it could not answer while the pipeline normalizes synchronously), sends an ETag and answers a
 * matching If-None-Match with 304 (RFC 9110 §13.1.2), and can hold each answer back to stand in for a distant server.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

const HOUR_MS = 3_600_000;

/** What a farm serves: `feeds` feeds of `itemsPerFeed` items drawn from `stories` stories, dated before `now`. */
export interface FarmShape {
  itemsPerFeed: number;
  /** Distinct stories behind the items: fewer stories than items gives multi-outlet stories. */
  stories: number;
  /** Items are dated in the 48 hours before this ISO time. */
  now: string;
}

const VOCAB = (
  'council minister court police hospital school river bridge harbor market election budget report strike union farmers ' +
  'drought flood storm wildfire vaccine study university museum festival airport railway station energy prices wages housing ' +
  'rents tenants factory workers export tariff bank interest inflation growth forecast survey voters mayor governor senator ' +
  'judge jury trial verdict appeal prison fraud investigation audit contract tender project plan proposal vote approved ' +
  'rejected delayed announced warned said reported confirmed denied expected planned opened closed damaged rebuilt launched ' +
  'signed agreed protested northern southern coastal rural urban regional national local public private record million ' +
  'percent dozens hundreds week month year season children parents teachers doctors nurses drivers scientists officials residents'
).split(' ');

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A story's title and paragraphs, the same for every outlet; each outlet rewords a few words. */
function story(k: number, outlet: number): { title: string; paragraphs: string[] } {
  const r = rng(k * 7919 + 17);
  const word = (): string => VOCAB[Math.floor(r() * VOCAB.length)] as string;
  const name = `${['Lind', 'Ram', 'Berg', 'Ostrow', 'Duar', 'Okaf', 'Hadd', 'Mor'][k % 8]}${['qvist', 'an', 'ski', 'te', 'or', 'eau'][Math.floor(k / 8) % 6]}${Math.floor(k / 48)}`;
  const sentenceOf = (n: number): string => {
    const w = Array.from({ length: n }, word);
    w[Math.floor(r() * n)] = name;
    w.push(String(Math.floor(r() * 9000) + 100));
    const s = w.join(' ');
    return `${s[0]?.toUpperCase()}${s.slice(1)}.`;
  };
  const title = sentenceOf(8).replace(/\.$/, '');
  const every = 11 + (outlet % 7);
  const paragraphs = Array.from({ length: 3 }, () =>
    `${sentenceOf(14)} ${sentenceOf(12)} ${sentenceOf(10)}`
      .split(' ')
      .map((w, i) => (i % every === 3 ? 'reportedly' : w))
      .join(' '),
  );
  return { title, paragraphs };
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Builds feed `f`: RSS 2.0 for even feeds, Atom 1.0 for odd ones. */
export function farmFeed(f: number, shape: FarmShape): string {
  const items: string[] = [];
  for (let j = 0; j < shape.itemsPerFeed; j++) {
    const k = (f * 7919 + j * 104_729) % shape.stories;
    const s = story(k, f);
    const when = new Date(Date.parse(shape.now) - ((k * 37) % 48) * HOUR_MS - f * 1000);
    const html = s.paragraphs.map((p) => `<p>${p}</p>`).join('');
    const link = `http://outlet${f}.test/news/${k}`;
    items.push(
      f % 2 === 0
        ? `<item><title>${xmlEscape(s.title)}</title><link>${link}?utm_source=rss</link><guid isPermaLink="false">o${f}-${k}</guid>` +
            `<pubDate>${when.toUTCString()}</pubDate><description><![CDATA[${html}]]></description></item>`
        : `<entry><title>${xmlEscape(s.title)}</title><id>tag:outlet${f}.test,2025:${k}</id><link rel="alternate" href="${link}"/>` +
            `<published>${when.toISOString()}</published><updated>${when.toISOString()}</updated><content type="html">${xmlEscape(html)}</content></entry>`,
    );
  }
  return f % 2 === 0
    ? `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Outlet ${f}</title><link>http://outlet${f}.test/</link><description>news</description>\n${items.join('\n')}\n</channel></rss>\n`
    : `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Outlet ${f}</title><id>tag:outlet${f}.test,2025:feed</id>` +
        `<updated>${shape.now}</updated><author><name>Outlet ${f}</name></author><link rel="alternate" href="http://outlet${f}.test/"/>\n${items.join('\n')}\n</feed>\n`;
}

/** One feed as served: its bytes, ETag and media type. */
export interface FarmBody {
  body: string;
  etag: string;
  type: string;
}

/** The bodies of feeds 0..feeds-1, served at `/feed/<f>.xml`. */
export function farmBodies(feeds: number, shape: FarmShape): FarmBody[] {
  return Array.from({ length: feeds }, (_, f) => {
    const body = farmFeed(f, shape);
    return { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`, type: f % 2 === 0 ? 'application/rss+xml' : 'application/atom+xml' };
  });
}

/** The feed server's code, run in a worker thread: bodies, ETags and the answer delay come in workerData. */
const FEED_WORKER_JS = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const fs = require('node:fs');
const served = { ok: 0, notModified: 0, firstAt: 0, lastAt: 0 };
// This thread's own CPU time (Linux), so the run's figure can leave the server out.
const cpuUs = () => { try { return Number(fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]) / 1000; } catch { return 0; } };
const answer = (req, res) => {
  const m = /^\\/feed\\/(\\d+)\\.xml$/.exec(req.url || '');
  const feed = m ? workerData.bodies[Number(m[1])] : undefined;
  served.lastAt = Date.now();
  if (!feed) { res.writeHead(404).end(); return; }
  if (req.headers['if-none-match'] === feed.etag) { served.notModified++; res.writeHead(304, { etag: feed.etag }).end(); return; }
  served.ok++;
  res.writeHead(200, { 'content-type': feed.type + '; charset=utf-8', etag: feed.etag }).end(feed.body);
};
const server = http.createServer((req, res) => {
  if (served.firstAt === 0) served.firstAt = Date.now();
  if (workerData.delayMs > 0) setTimeout(() => answer(req, res), workerData.delayMs);
  else answer(req, res);
});
// Node's default keepAliveTimeout (5 s) equals the client agent's idle timeout: while the pipeline's
// thread is busy normalizing, the server closes idle sockets the client then reuses (ECONNRESET,
// 10% of feeds failed). 65 s is closer to real servers (nginx: 75 s).
server.keepAliveTimeout = workerData.keepAliveMs;
parentPort.on('message', (msg) => {
  if (msg === 'served') {
    parentPort.postMessage({ served: { ...served, cpuUs: cpuUs() } });
    served.firstAt = 0;
  }
  if (msg === 'stop') server.close(() => parentPort.postMessage({ stopped: true }));
});
server.listen(0, '127.0.0.1', 1024, () => parentPort.postMessage({ port: server.address().port }));
`;

/** What the feed server has answered so far, and its thread's CPU time. */
export interface Served {
  ok: number;
  notModified: number;
  cpuUs: number;
  /** When (epoch ms) the first request since the previous look came; 0: none came. */
  firstAt: number;
  /** When the last request came. */
  lastAt: number;
}

/** A running farm: its base URL (`${base}/feed/<f>.xml`). */
export interface FeedFarm {
  base: string;
  served(): Promise<Served>;
  stop(): Promise<void>;
}

/** Starts the loopback feed server in a worker thread and resolves once it listens. */
export function startFeedFarm(bodies: FarmBody[], opts: { keepAliveMs: number; delayMs?: number }): Promise<FeedFarm> {
  const worker = new Worker(FEED_WORKER_JS, { eval: true, workerData: { bodies, keepAliveMs: opts.keepAliveMs, delayMs: opts.delayMs ?? 0 } });
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (msg: Record<string, unknown>): void => {
        if (!(key in msg)) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(msg[key] as T);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  return next<number>('port').then((port) => ({
    base: `http://127.0.0.1:${port}`,
    served: () => {
      const reply = next<Served>('served');
      worker.postMessage('served');
      return reply;
    },
    stop: async () => {
      const stopped = next<boolean>('stopped');
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  }));
}

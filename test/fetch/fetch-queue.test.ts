import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/fetch/fetch-feed.js';
import { createFetchQueue } from '../../src/fetch/fetch-queue.js';
import { FeedfoldError } from '../../src/model/errors.js';
import { LOOPBACK_FETCH_OPTIONS, settled, startLoopback, type Loopback } from './loopback-server.js';

/** A task the test finishes by hand, so the queue's decisions are observed without any timing. */
function deferred(): { promise: Promise<string>; resolve: (v: string) => void; reject: (e: Error) => void } {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createFetchQueue: limits and order (driven by hand)', () => {
  it('starts same-host tasks in FIFO order, never more than perHost at once', async () => {
    const queue = createFetchQueue({ concurrency: 10, perHost: 2 });
    const started: number[] = [];
    const gates = Array.from({ length: 6 }, () => deferred());
    const results = gates.map((g, i) =>
      queue.run('https://a.example/feed', () => {
        started.push(i);
        return g.promise;
      }),
    );
    // Observed later; a handler now keeps the rejection from counting as unhandled.
    results[0]!.catch(() => undefined);
    await flush();
    expect(started).toEqual([0, 1]);
    expect(queue.inFlight()).toBe(2);
    gates[1]!.resolve('one');
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.reject(new Error('boom'));
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const g of gates.slice(2)) g.resolve('later');
    await expect(results[0]).rejects.toThrow('boom');
    await expect(results[1]).resolves.toBe('one');
    await Promise.all(results.slice(2));
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(queue.inFlight()).toBe(0);
  });

  it('lets a task for a free host pass tasks waiting on a busy host, within the global limit', async () => {
    const queue = createFetchQueue({ concurrency: 2, perHost: 1 });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const submit = (name: string, url: string): Promise<string> =>
      queue.run(url, () => {
        started.push(name);
        const g = deferred();
        gates.set(name, g);
        return g.promise;
      });
    const all = [submit('a1', 'http://a.example/1'), submit('a2', 'http://a.example/2'), submit('b1', 'http://B.example/1'), submit('c1', 'http://c.example/1')];
    await flush();
    expect(started).toEqual(['a1', 'b1']);
    gates.get('b1')!.resolve('done');
    await flush();
    // a2 is first in line but its host is busy; c1 takes the free global slot.
    expect(started).toEqual(['a1', 'b1', 'c1']);
    gates.get('a1')!.resolve('done');
    await flush();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    gates.get('c1')!.resolve('done');
    gates.get('a2')!.resolve('done');
    await Promise.all(all);
  });

  it('turns a task that throws synchronously into a rejection and frees its slot', async () => {
    const queue = createFetchQueue({ concurrency: 1, perHost: 1 });
    const bad = queue.run('http://a.example/', () => {
      throw new Error('sync');
    });
    await expect(bad).rejects.toThrow('sync');
    await expect(queue.run('not a url', async () => 'still runs')).resolves.toBe('still runs');
  });

  it.each([
    [{ concurrency: 0, perHost: 1 }],
    [{ concurrency: 2, perHost: 1.5 }],
  ])('rejects invalid limits %j', (opts) => {
    expect(() => createFetchQueue(opts)).toThrow(FeedfoldError);
  });
});

/** Counts requests in flight per Host header and overall, across several loopback servers. */
class InFlightMeter {
  now = 0;
  max = 0;
  private perHostNow = new Map<string, number>();
  maxPerHost = new Map<string, number>();

  handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    this.now++;
    this.max = Math.max(this.max, this.now);
    const h = (this.perHostNow.get(host) ?? 0) + 1;
    this.perHostNow.set(host, h);
    this.maxPerHost.set(host, Math.max(this.maxPerHost.get(host) ?? 0, h));
    void settled(res).then(() => {
      this.now--;
      this.perHostNow.set(host, (this.perHostNow.get(host) ?? 1) - 1);
    });
    // Hold the response briefly so requests overlap if the queue lets them.
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss/>'), 40);
  };
}

describe('createFetchQueue with fetchFeed: limits seen by real servers', () => {
  const meter = new InFlightMeter();
  const servers: Loopback[] = [];

  beforeAll(async () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '127.0.0.3']) servers.push(await startLoopback(meter.handler, host));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('never lets one host see more than perHost=2 of 20 requests at once', async () => {
    meter.max = 0;
    const queue = createFetchQueue({ concurrency: 10, perHost: 2 });
    const urls = Array.from({ length: 20 }, (_, i) => servers[0]!.url(`/feed/${i}`));
    const outcomes = await Promise.all(urls.map((url) => queue.run(url, () => fetchFeed({ url }, LOOPBACK_FETCH_OPTIONS))));
    expect(outcomes.every((o) => o.kind === 'ok')).toBe(true);
    expect(meter.max).toBeLessThanOrEqual(2);
    expect(meter.max).toBeGreaterThanOrEqual(1);
  });

  it('holds the global limit across hosts (127.0.0.1, localhost, 127.0.0.2, 127.0.0.3)', async () => {
    meter.max = 0;
    meter.maxPerHost.clear();
    const queue = createFetchQueue({ concurrency: 3, perHost: 2 });
    const bases = [servers[0]!.url(''), `http://localhost:${servers[0]!.port}`, servers[1]!.url(''), servers[2]!.url('')];
    const urls = bases.flatMap((base) => Array.from({ length: 6 }, (_, i) => `${base}/feed/${i}`));
    const outcomes = await Promise.all(urls.map((url) => queue.run(url, () => fetchFeed({ url }, LOOPBACK_FETCH_OPTIONS))));
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(urls.length);
    expect(meter.max).toBeLessThanOrEqual(3);
    expect([...meter.maxPerHost.keys()].sort()).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3', 'localhost']);
    for (const n of meter.maxPerHost.values()) expect(n).toBeLessThanOrEqual(2);
  });
});

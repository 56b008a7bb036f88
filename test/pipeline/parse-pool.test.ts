import { afterAll, describe, expect, it } from 'vitest';
import type { SourceSpec } from '../../src/model/source.js';
import { createParsePool, describeSeconds } from '../../src/pipeline/parse-pool.js';
import { runFeedJob, type FeedJob } from '../../src/pipeline/read-feed-job.js';
import { bigValidFeed, HOSTILE_FEEDS } from '../helpers/hostile-feeds.js';

/**
 * The parse pool with real worker threads: the same articles as reading in this thread, a body
 * over its CPU budget stopped with the limit named, the worker replaced, and stored items that
 * the main thread reports unchanged left out.
 */

const NOW = '2025-03-05T12:00:00.000Z';
const SPEC: SourceSpec = { id: 'pool', kind: 'feed-url', location: 'https://pool.example/feed', rank: 0 };
const SMALL = `<?xml version="1.0"?><rss version="2.0"><channel><title>Pool</title><link>https://pool.example/</link>
<item><title>Council approves the harbour bridge budget</title><link>https://pool.example/1?utm_source=rss</link><guid>p-1</guid><description>&lt;p&gt;The council voted on Tuesday to fund the bridge.&lt;/p&gt;</description></item>
<item><title>Bakery on Pier Road wins a prize</title><link>https://pool.example/2</link><guid>p-2</guid><description>The bakery won first place for its rye loaf.</description></item>
</channel></rss>`;

const job = (body: string, url = 'https://pool.example/feed'): FeedJob => ({ body: Buffer.from(body), url, spec: SPEC, now: NOW });

describe('parse pool', () => {
  const pool = createParsePool({ size: 2 });
  afterAll(() => pool.close());

  it('gives what reading in this thread gives: same articles, same ids', async () => {
    const inThread = await runFeedJob(job(SMALL));
    const inWorker = await pool.run(job(SMALL), { timeoutMs: 60_000 });
    expect(inWorker.ok).toBe(true);
    expect(inWorker).toEqual(inThread);
    if (inWorker.ok) expect(inWorker.articles.map((a) => a.url)).toEqual(['https://pool.example/1', 'https://pool.example/2']);
  });

  it('stops a body over its budget with the limit named, and reads the next one with a new worker', async () => {
    const slow = pool.run(job(bigValidFeed(2000), 'https://pool.example/big'), { timeoutMs: 100 });
    const meanwhile = pool.run(job(SMALL), { timeoutMs: 60_000 });
    const result = await slow;
    expect(result).toEqual({ ok: false, links: [], error: { stage: 'parse', kind: 'timeout', detail: 'https://pool.example/big took longer than 0.1 s to parse; the feed was skipped (limit parse.timeoutMs)' } });
    expect((await meanwhile).ok).toBe(true);
    const after = await pool.run(job(SMALL), { timeoutMs: 60_000 });
    expect(after.ok && after.articles).toHaveLength(2);
  });

  it('reports the nesting limit of a hostile body as the job result', async () => {
    const nested = HOSTILE_FEEDS.find(([name]) => name === 'nested-100k')?.[1] as string;
    const result = await pool.run(job(nested), { timeoutMs: 60_000 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ stage: 'parse', kind: 'too-deep' });
  });

  it('leaves out the items the main thread holds unchanged, asking once for all of them', async () => {
    const first = await pool.run(job(SMALL), { timeoutMs: 60_000 });
    if (!first.ok) throw new Error('expected articles');
    const stored = new Map(first.articles.map((a) => [a.id, { sourceHash: a.sourceHash }]));
    const asked: string[][] = [];
    const again = await pool.run({ ...job(SMALL.replace('won first place', 'won second place')), lookupKnown: true }, {
      timeoutMs: 60_000,
      known: async (ids) => {
        asked.push([...ids]);
        return new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id) ?? {}] as const] : [])));
      },
    });
    expect(asked.map((ids) => ids.sort())).toEqual([[...stored.keys()].sort()]);
    // Item 1 is unchanged and left out; item 2 changed, so it is read again.
    expect(again.ok && again.articles.map((a) => a.guid)).toEqual(['p-2']);
  });

  it('fails waiting jobs when closed, and says so', async () => {
    const closing = createParsePool({ size: 1 });
    const pending = closing.run(job(SMALL), { timeoutMs: 60_000 });
    await closing.close();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'internal' } });
  });

  it('says budgets in seconds', () => {
    expect([describeSeconds(5000), describeSeconds(1500), describeSeconds(100), describeSeconds(250)]).toEqual(['5 s', '1.5 s', '0.1 s', '0.25 s']);
  });
});

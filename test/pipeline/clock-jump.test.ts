import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clampNextFetch, DEFAULT_BACKOFF_POLICY } from '../../src/fetch/backoff.js';
import { cli, feedfold, startLoopback, type Loopback } from '../cli/cli-harness.js';
import { tempProject, type TempProject } from '../helpers/project.js';

/**
 * A clock that jumped forward once: a run given `--now 2030-…` (or a host whose clock was years
 * ahead) must not pin its stories at the top of the feed, nor park a failing source, until 2030.
 * The next run with a real time warns that the clock went backwards and re-dates what the 2030 run
 * stored in its future; entry ids stay. Real CLI runs against a loopback server.
 */

const FUTURE = '2030-01-01T00:00:00.000Z';
const T1 = '2025-03-05T12:00:00.000Z';
const MINUTE_MS = 60_000;
const at = (minutes: number): string => new Date(Date.parse(T1) + minutes * MINUTE_MS).toISOString();
const rfc822 = (iso: string): string => new Date(iso).toUTCString().replace('GMT', '+0000');

interface Item {
  guid: string;
  title: string;
  date?: string;
  text: string;
}

function rss(items: Item[]): string {
  const body = items
    .map((i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${i.title}</title><link>http://news.test/${i.guid}</link>${i.date ? `<pubDate>${rfc822(i.date)}</pubDate>` : ''}<description>${i.text}</description></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>News</title><link>http://news.test/</link><description>d</description>\n${body}\n</channel></rss>\n`;
}

// Different stories; the first two are read by the 2030 run.
const MOON: Item = { guid: 'moon', title: 'Moon base crew completes its first year', date: '2031-06-01T00:00:00.000Z', text: 'The four astronauts of the lunar base finished twelve months on the surface and sent home samples of polar ice.' };
const ROVER: Item = { guid: 'rover', title: 'Volunteers repair the old museum tram', text: 'A team of retired engineers rebuilt the brakes and the wooden seats of the 1912 tram that stands outside the transport museum.' };
const HARBOR: Item = { guid: 'harbor', title: 'Harbor ferry suspended after engine fire', date: at(-60), text: 'The morning ferry across the harbor was suspended after a small engine fire; no passengers were hurt and inspectors boarded the vessel at noon.' };
const ORCHARD: Item = { guid: 'bridge', title: 'Orchard growers expect a record apple harvest', date: at(10), text: 'Growers in the valley expect the largest apple harvest in a decade after a mild spring and a wet summer filled the reservoirs.' };

interface Entry {
  id?: string;
  title?: { value?: string };
  updated?: string;
  published?: string;
}

describe('a run with --now 2030, then runs at the real time', () => {
  let server: Loopback;
  let project: TempProject;
  const hits = (p: string): number => server.requests.filter((r) => r === p).length;
  const entries = (): Entry[] => (parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries ?? []) as Entry[];
  const titleOf = (e: Entry): string => String(e.title?.value ?? '');
  const ms = (iso: string | undefined): number => Date.parse(iso ?? '');
  const sourceRow = async (id: string): Promise<{ errorCount: number; nextFetchAt: string | null }> => {
    const result = await feedfold(['sources', '--json', '--config', project.configFile]);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { id: string; errorCount: number; nextFetchAt: string | null }[]).find((r) => r.id === id)!;
  };

  beforeAll(async () => {
    server = await startLoopback();
    server.route('/failing.xml', { status: 500, body: 'down' });
    project = tempProject();
    project.writeConfig({
      sources: [
        { id: 'news', url: `${server.base}/news.xml` },
        { id: 'failing', url: `${server.base}/failing.xml` },
      ],
    });
  });
  afterAll(async () => {
    await server.close();
    project.cleanup();
  });

  let moonId = '';
  let roverId = '';

  it('the 2030 run dates its stories 2030 and parks the failing source until 2030', async () => {
    server.route('/news.xml', { body: rss([MOON, ROVER]), type: 'application/rss+xml' });
    const run = await feedfold(['run', '--config', project.configFile, '--now', FUTURE, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const feed = entries();
    expect(feed.map(titleOf).sort()).toEqual([MOON.title, ROVER.title].sort());
    for (const e of feed) expect(ms(e.updated)).toBe(ms(FUTURE));
    moonId = feed.find((e) => titleOf(e) === MOON.title)!.id!;
    roverId = feed.find((e) => titleOf(e) === ROVER.title)!.id!;
    expect((await sourceRow('failing')).nextFetchAt).toBe(new Date(Date.parse(FUTURE) + 15 * MINUTE_MS).toISOString());
  });

  it('the next run at the real time warns that the clock went backwards and re-dates the 2030 stories; ids stay', async () => {
    server.route('/news.xml', { body: rss([MOON, ROVER, HARBOR]), type: 'application/rss+xml' });
    const failingHits = hits('/failing.xml');
    // A real process: the warning is what an operator (or cron mail) sees on stderr.
    const run = await cli(['run', '--config', project.configFile, '--now', T1]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`the clock went backwards: this run's time ${T1} is before the last run's ${FUTURE}`);
    expect(run.stderr).toContain('2 article(s) and 2 story(ies)');

    const feed = entries();
    expect(feed.map(titleOf)).toHaveLength(3);
    for (const e of feed) expect(ms(e.updated)).toBeLessThanOrEqual(ms(T1));
    const moon = feed.find((e) => titleOf(e) === MOON.title)!;
    const rover = feed.find((e) => titleOf(e) === ROVER.title)!;
    expect([moon.id, ms(moon.published), ms(moon.updated)]).toEqual([moonId, ms(T1), ms(T1)]);
    expect([rover.id, ms(rover.updated)]).toEqual([roverId, ms(T1)]);

    // Parked until 2030:15 by the 2030 run; brought back to its back-off (15 min after one failure) from now.
    expect(hits('/failing.xml')).toBe(failingHits);
    expect(await sourceRow('failing')).toMatchObject({ errorCount: 1, nextFetchAt: at(15) });
  });

  it('a later run puts a newer story above them, and retries the failing source within its back-off', async () => {
    server.route('/news.xml', { body: rss([MOON, ROVER, HARBOR, ORCHARD]), type: 'application/rss+xml' });
    const failingHits = hits('/failing.xml');
    const run = await feedfold(['run', '--config', project.configFile, '--now', at(20), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const feed = entries();
    expect(titleOf(feed[0]!)).toBe(ORCHARD.title);
    expect(feed.map((e) => e.id)).toContain(moonId);
    expect(hits('/failing.xml')).toBe(failingHits + 1);
    expect((await sourceRow('failing')).errorCount).toBe(2);
    const log = readFileSync(path.join(project.outDir, 'feedfold.log'), 'utf8');
    // Only the run that went back warned.
    expect(log.match(/the clock went backwards/g)).toHaveLength(1);
  });
});

describe('clampNextFetch', () => {
  const state = (nextFetchAt: string | undefined, errorCount = 3) => ({ sourceId: 's', url: 'https://a.example/feed', errorCount, retired: false, ...(nextFetchAt ? { nextFetchAt } : {}) });

  it('leaves next-fetch times within reach of a back-off or Retry-After alone', () => {
    for (const next of [undefined, at(-60), at(15), at(7 * 24 * 60)]) {
      const s = state(next);
      expect(clampNextFetch(s, T1, DEFAULT_BACKOFF_POLICY)).toBe(s);
    }
  });

  it('brings one beyond every back-off (or unreadable) back to the delay its failures call for, from now', () => {
    // Three failures: 15 min, 30 min, then 1 h.
    expect(clampNextFetch(state(at(7 * 24 * 60 + 1)), T1, DEFAULT_BACKOFF_POLICY).nextFetchAt).toBe(at(60));
    expect(clampNextFetch(state('2030-01-01T00:15:00.000Z', 1), T1, DEFAULT_BACKOFF_POLICY).nextFetchAt).toBe(at(15));
    expect(clampNextFetch(state('not a date', 1), T1, DEFAULT_BACKOFF_POLICY).nextFetchAt).toBe(at(15));
  });
});

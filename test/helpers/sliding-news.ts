/**
 * Generated news that slides with time, for runs cycle after cycle (bench/soak.ts, the kept-index tests): stories of
 * random words with a cast of names and a number per sentence, told by several feeds.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeXml, rewrite, story } from './generated-news.js';

function rssFeed(name: string, stories: number[], time: (k: number) => string, outlet?: { name: string; every: number }): string {
  const items = stories
    .map((k) => {
      const s = outlet ? rewrite(story(k), outlet.name, outlet.every) : story(k);
      const html = s.paragraphs.map((p) => `<p>${p}</p>`).join('');
      return (
        `<item><title>${escapeXml(s.title)}</title><link>http://${name}.test/news/${k}?utm_source=rss</link>` +
        `<guid isPermaLink="false">${name}-${k}</guid><pubDate>${time(k)}</pubDate>` +
        `<description><![CDATA[${html}<p>Share this story: Facebook | Twitter | Email</p>]]></description></item>`
      );
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${name}</title><link>http://${name}.test/</link><description>${name} news</description>\n${items}\n</channel></rss>\n`;
}

/** The shape of the news: when it starts, the time between cycles, the stories a feed shows, and how many are new each cycle. */
export interface SlidingNews {
  startMs: number;
  cycleStepMs: number;
  windowStories: number;
  newStoriesPerCycle: number;
}

/** The feeds of the sliding news: a wire with every story, two outlets with a share of them in their own words. */
export const SLIDING_FEEDS = ['wire', 'metro', 'coast'] as const;

/**
 * The RSS body a feed serves at a cycle: the newest stories of its window (a story's time is its cycle's), so each
 * cycle brings a few new stories and drops as many; wire has all of them, metro and coast a share with their own
 * wording, so versions of one story arrive from several feeds. Coast moves only every third cycle (conditional GETs
 * there get 304s).
 */
export function slidingFeedBody(name: string, cycle: number, news: SlidingNews): string {
  const c = name === 'coast' ? cycle - (cycle % 3) : cycle;
  const newest = (c + 1) * news.newStoriesPerCycle;
  const time = (k: number): string => new Date(news.startMs + Math.floor(k / news.newStoriesPerCycle) * news.cycleStepMs).toUTCString();
  const window: number[] = [];
  for (let k = Math.max(0, newest - news.windowStories); k < newest; k++) window.push(k);
  if (name === 'wire') return rssFeed(name, window, time);
  if (name === 'metro') return rssFeed(name, window.filter((k) => k % 2 === 0), time, { name: 'Metro', every: 17 });
  return rssFeed(name, window.filter((k) => k % 3 === 0), time, { name: 'Coast', every: 13 });
}

/** A loopback server of the sliding news: `/<feed>.xml` at the cycle it is told. */
export interface SlidingNewsServer {
  base: string;
  /** Sets the cycle whose news the feeds serve. */
  setCycle(cycle: number): void;
  /** Responses so far: full bodies, and 304s to a matching If-None-Match. */
  served: { ok: number; notModified: number };
  close(): Promise<void>;
}

/** Serves the sliding news on loopback, answering If-None-Match with 304 (RFC 9110 §13.1.2). */
export async function serveSlidingNews(news: SlidingNews): Promise<SlidingNewsServer> {
  let cycle = 0;
  const served = { ok: 0, notModified: 0 };
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '/').replace(/^\//, '').replace(/\.xml$/, '');
    if (!(SLIDING_FEEDS as readonly string[]).includes(name)) {
      res.writeHead(404).end();
      return;
    }
    const body = slidingFeedBody(name, cycle, news);
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      served.notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    served.ok++;
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setCycle: (c) => {
      cycle = c;
    },
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bench, describe } from 'vitest';
import type { RawEntry, RawFeed } from '../../src/model/raw-entry.js';
import type { SourceSpec } from '../../src/model/source.js';
import { detectLanguage } from '../../src/normalize/detect-language.js';
import { normalizeFeed } from '../../src/normalize/normalize-feed.js';
import { sanitizeHtml } from '../../src/sanitize/sanitize-html.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';

// Run with: npx vitest bench --run test/normalize/normalize.bench.ts
const page = readFileSync(path.join(FIXTURES, 'normalize', 'wordpress-post-with-sidebar.html'), 'utf8');
const seedText = readFileSync(path.join(ROOT, 'seeds', '002_d9a93c932fb96118.txt'), 'utf8');
const ITEMS_PER_FEED = 100;
const entries: RawEntry[] = Array.from({ length: ITEMS_PER_FEED }, (_, i) => ({
  guid: `item-${i}`,
  link: `/2025/06/story-${i}/?utm_source=rss`,
  title: `Story number ${i} &amp; more`,
  content: page.replace('twelve kilometres', `${i} kilometres`),
  contentType: 'html',
  published: '2025-06-03T10:00:00Z',
}));
const feed: RawFeed = { format: 'rss', title: 'Riverside Daily', link: 'https://riverside.example/', language: 'en', entries };
const source: SourceSpec = { id: 'bench', kind: 'feed-url', location: 'https://riverside.example/feed/', rank: 0 };

describe('normalize throughput', () => {
  bench(`normalizeFeed, ${ITEMS_PER_FEED} items of a ${Math.round(page.length / 1024)} KiB WordPress page`, () => {
    normalizeFeed(feed, source, '2025-06-04T00:00:00.000Z');
  });
  bench('sanitizeHtml, one WordPress page', () => {
    sanitizeHtml(page, 'https://riverside.example/');
  });
  bench('detectLanguage, one 3 KiB article', () => {
    detectLanguage(seedText);
  });
  bench('detectLanguage, one headline', () => {
    detectLanguage('Kim Basinger makes rare comment about ex-husband Alec Baldwin');
  });
});

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RawEntry, RawFeed } from '../../src/model/raw-entry.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { resolveUrl } from '../../src/parse/xml-tree.js';

/** Items taken from each corpus feed (its first ones, in document order). */
export const MAX_ITEMS_PER_FEED = 60;
/** Corpus files that are not feeds: pages for discovery, subscription lists, the corpus notes. */
const NOT_FEEDS = /\.(html?|opml|md)$/i;
/** Query parameter that tells apart items of one feed that reuse one link (not a tracking parameter, so it survives canonicalization). */
export const REUSED_LINK_PARAM = 'feedfold-eval-post';

/** One item of a corpus feed, with the link and guid the day's feed file carries. */
export interface CorpusItem {
  /** `file#index`, unique in the corpus. */
  key: string;
  file: string;
  family: string;
  index: number;
  entry: RawEntry;
  /** The item's own link, absolute; made unique within its feed where the feed reuses one. */
  link: string;
  guid: string;
}

/** One readable corpus feed and the items the day takes from it. */
export interface CorpusFeed {
  file: string;
  family: string;
  feed: RawFeed;
  items: CorpusItem[];
  /** Items whose link or guid had to be made unique within the feed. */
  reused: number;
}

/** A corpus file that is not part of the day, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/**
 * Names the family of a corpus file: its base name without extension and without a `-partial`
 * suffix, case folded, so `DaringFireball.atom/.rss/.json` or `allthis.json` and
 * `allthis-partial.json` (one blog's posts in several formats) share one.
 */
export function familyOf(file: string): string {
  return path.basename(file).replace(/\..*$/, '').replace(/-partial$/i, '').toLowerCase();
}

/** Slug of a corpus file name, for file names, source ids and host names. */
export function slugOf(file: string): string {
  return file.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

const shortHash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 8);

/** Absolute http(s) link of an entry: its own, resolved against the feed's home page or a made-up site. */
function absoluteLink(entry: RawEntry, feed: RawFeed, file: string, index: number): string {
  const site = `https://${slugOf(file)}.example/`;
  const base = feed.link !== undefined && /^https?:/i.test(feed.link) ? feed.link : site;
  const own = entry.link?.trim();
  const resolved = own ? resolveUrl(own, base) : undefined;
  return resolved !== undefined && /^https?:/i.test(resolved) ? resolved : `${site}a/${index}`;
}

/**
 * Gives every item of a feed a link and guid of its own. A link or guid the feed reuses for several
 * items gets, on each of them, a marker from the item's title (its index when titles repeat too),
 * so the same post carried in another format gets the same marker.
 */
function itemsOf(feed: RawFeed, file: string, family: string): { items: CorpusItem[]; reused: number } {
  const entries = feed.entries.slice(0, MAX_ITEMS_PER_FEED);
  const links = entries.map((e, i) => absoluteLink(e, feed, file, i));
  const guids = entries.map((e, i) => e.guid?.trim() || links[i] as string);
  const count = (xs: string[]): Map<string, number> => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const linkCount = count(links);
  const guidCount = count(guids);
  const titleCount = count(entries.map((e) => e.title?.trim() ?? ''));
  let reused = 0;
  const items = entries.map((entry, index): CorpusItem => {
    const title = entry.title?.trim() ?? '';
    const marker = title !== '' && titleCount.get(title) === 1 ? shortHash(title) : `i${index}`;
    let link = links[index] as string;
    let guid = guids[index] as string;
    const linkReused = (linkCount.get(link) ?? 0) > 1;
    const guidReused = (guidCount.get(guid) ?? 0) > 1;
    if (linkReused) {
      const u = new URL(link);
      u.searchParams.append(REUSED_LINK_PARAM, marker);
      link = u.href;
    }
    if (guidReused) guid = `${guid}~${marker}`;
    if (linkReused || guidReused) reused++;
    return { key: `${file}#${index}`, file, family, index, entry, link, guid };
  });
  return { items, reused };
}

/** Reads every feed of the real-feeds corpus with feedfold's own parser; files it cannot read are listed as skipped. */
export function readRealFeeds(dir: string): { feeds: CorpusFeed[]; skipped: SkippedFile[] } {
  const feeds: CorpusFeed[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (NOT_FEEDS.test(file)) continue;
    let feed: RawFeed;
    try {
      // What feedfold's parser rejects (JSON that is not a JSON Feed, a cut-off JSON Feed) stays out of the day, as it would from a run.
      feed = parseFeed(readFileSync(path.join(dir, file)));
    } catch (err) {
      skipped.push({ file, reason: (err as Error).message });
      continue;
    }
    if (feed.entries.length === 0) {
      skipped.push({ file, reason: 'no items' });
      continue;
    }
    const family = familyOf(file);
    feeds.push({ file, family, feed, ...itemsOf(feed, file, family) });
  }
  return { feeds, skipped };
}

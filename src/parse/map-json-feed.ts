import type { RawEnclosure, RawEntry, RawFeed } from '../model/raw-entry.js';
import { setEntryDates } from './parse-date.js';
import { feedHtml, plainLine } from './text-construct.js';
import { resolveUrl } from './xml-tree.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

// JSON Feed §"Top-level": `version` (required) is the URL of the format's version; 1 and 1.1 exist.
// Some feeds in the wild write it with http:, or with a trailing slash.
const VERSION_RE = /^https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?$/i;

/**
 * Tells whether a parsed JSON value is a JSON Feed (https://jsonfeed.org/version/1.1): an object whose
 * `version` is a JSON Feed version URL. Any other JSON with an `items` array (an internal API's
 * answer, say) is not a feed.
 */
export function isJsonFeed(doc: unknown): doc is Obj {
  if (!isObj(doc)) return false;
  const version = doc['version'];
  return typeof version === 'string' && VERSION_RE.test(version.trim());
}

/** Maps a JSON Feed 1.0/1.1 object to a RawFeed, keeping at most `maxEntries`. */
export function mapJsonFeed(doc: Obj, maxEntries: number, url?: string): { feed: RawFeed; total: number; version: string } {
  const feed: RawFeed = { format: 'json', entries: [] };
  const title = str(doc['title']);
  if (title) feed.title = plainLine(title.replace(/\s+/g, ' '));
  const home = str(doc['home_page_url']);
  if (home) feed.link = resolveUrl(home.trim(), url) ?? home.trim();
  const self = str(doc['feed_url']);
  if (self) feed.selfLink = resolveUrl(self.trim(), url) ?? self.trim();
  const language = str(doc['language']);
  if (language) feed.language = language;
  const feedAuthor = authorOf(doc);
  const items = Array.isArray(doc['items']) ? doc['items'].filter(isObj) : [];
  const base = feed.link ?? url;
  for (const item of items.slice(0, maxEntries)) feed.entries.push(mapItem(item, base, feedAuthor));
  const version = /version\/1(\.0)?\/?$/.test(String(doc['version'] ?? '').trim()) ? 'json10' : 'json11';
  return { feed, total: items.length, version };
}

function mapItem(item: Obj, base: string | undefined, feedAuthor: string | undefined): RawEntry {
  const e: RawEntry = {};
  const id = item['id'];
  // JSON Feed §items: id is a string, but numbers appear in the wild; keep them as strings.
  if (typeof id === 'string' && id.trim() !== '') e.guid = id;
  else if (typeof id === 'number' && Number.isFinite(id)) e.guid = String(id);
  const link = str(item['url']) ?? str(item['external_url']);
  if (link) e.link = resolveUrl(link.trim(), base) ?? link.trim();
  const title = str(item['title']);
  if (title) e.title = plainLine(title.replace(/\s+/g, ' '));
  const summary = str(item['summary']);
  if (summary) e.summary = summary;
  const html = str(item['content_html']);
  const text = str(item['content_text']);
  if (html) { e.content = feedHtml(html, base); e.contentType = 'html'; }
  else if (text) { e.content = text; e.contentType = 'text'; }
  else if (summary) e.contentType = 'text';
  setEntryDates(e, str(item['date_published']), str(item['date_modified']));
  const author = authorOf(item) ?? feedAuthor;
  if (author) e.author = author;
  if (Array.isArray(item['tags'])) {
    const tags = item['tags'].filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim());
    if (tags.length) e.categories = [...new Set(tags)];
  }
  if (Array.isArray(item['attachments'])) {
    const enclosures: RawEnclosure[] = [];
    for (const a of item['attachments'].filter(isObj)) {
      const url = str(a['url']);
      if (!url) continue;
      const enc: RawEnclosure = { url: resolveUrl(url.trim(), base) ?? url.trim() };
      const type = str(a['mime_type']);
      if (type) enc.type = type;
      const size = a['size_in_bytes'];
      if (typeof size === 'number' && Number.isFinite(size) && size >= 0) enc.length = size;
      enclosures.push(enc);
    }
    if (enclosures.length) e.enclosures = enclosures;
  }
  const language = str(item['language']);
  if (language) e.language = language;
  return e;
}

// JSON Feed 1.1 has `authors` (array); 1.0 had `author` (object).
function authorOf(o: Obj): string | undefined {
  const list = Array.isArray(o['authors']) ? o['authors'] : isObj(o['author']) ? [o['author']] : [];
  for (const a of list) {
    if (!isObj(a)) continue;
    const name = str(a['name']) ?? str(a['url']);
    if (name) return name.trim();
  }
  return undefined;
}

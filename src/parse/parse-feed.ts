import { FeedfoldError } from '../model/errors.js';
import type { ParseErrorKind, ParseReport } from '../model/parse-report.js';
import type { RawFeed } from '../model/raw-entry.js';
import { indexOfAsciiIgnoringCase } from './ascii-search.js';
import { decodeBodyDetailed, isValidUtf8 } from './decode-body.js';
import { looksLikeHtml } from './discover.js';
import { mapAtom } from './map-atom.js';
import { isJsonFeed, mapJsonFeed } from './map-json-feed.js';
import { mapRss } from './map-rss.js';
import { attr, parseXmlTree, type XElement } from './xml-tree.js';

/** Largest body parsed, in bytes (a string counts its UTF-16 length); bigger ones are 'too-large'. */
export const MAX_FEED_BYTES = 16 * 1024 * 1024;
/** Entries kept per document unless the caller says otherwise; the first N in document order. */
export const DEFAULT_MAX_ENTRIES = 10_000;

/** What the caller knows about a body: its HTTP Content-Type, its URL (base for relative links), and limits. */
export interface ParseHints {
  contentType?: string;
  url?: string;
  /** HTTP Content-Language (RFC 9110 §8.5): the feed's language when the document names none. */
  contentLanguage?: string;
  /** Keep at most this many entries (default DEFAULT_MAX_ENTRIES); ParseReport.entriesDropped counts the rest. */
  maxEntries?: number;
  /** Reject bodies larger than this many bytes (default MAX_FEED_BYTES). */
  maxBytes?: number;
}

// Not well-formedness problems: notes about what was deliberately ignored.
const NOTES = new Set(['doctype-entities-ignored']);

/** Parses an RSS, RDF, Atom or JSON Feed document (detected by content) into a RawFeed, or throws FeedfoldError('parse', kind). */
export function parseFeed(body: Buffer | string, hints?: ParseHints): RawFeed {
  return parseFeedReport(body, hints).feed;
}

/**
 * Parses a feed like `parseFeed` and also reports the encoding, whether repairs were needed and
 * how many entries the cap dropped. Throws FeedfoldError('parse', 'empty' | 'not-a-feed' | 'malformed' | 'too-large' | 'too-deep').
 */
export function parseFeedReport(body: Buffer | string, hints: ParseHints = {}): ParseReport {
  const maxBytes = hints.maxBytes ?? MAX_FEED_BYTES;
  const maxEntries = Math.max(0, hints.maxEntries ?? DEFAULT_MAX_ENTRIES);
  const where = hints.url ? ` (${hints.url})` : '';
  if (body.length > maxBytes) fail('too-large', `body of ${body.length} bytes exceeds the ${maxBytes}-byte limit${where}`);
  const problems: string[] = [];
  let text: string;
  let encoding = 'utf-8';
  if (typeof body === 'string') {
    text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  } else {
    const decoded = decodeBodyDetailed(body, hints.contentType);
    text = decoded.text;
    encoding = decoded.encoding;
    if (decoded.overridden) problems.push('encoding-overridden');
    if (decoded.decoder === 'utf-8' && !isValidUtf8(decoded.source === 'bom' ? body.subarray(3) : body)) problems.push('invalid-utf8');
  }
  const start = text.search(/\S/);
  if (start === -1) fail('empty', `empty document${where}`);
  const first = text[start];
  // A Content-Language listing several languages names the audiences, not the language of the text.
  const httpLanguages = (hints.contentLanguage ?? '').split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
  const httpLanguage = httpLanguages.length === 1 ? httpLanguages[0] : undefined;
  if (first === '{' || first === '[') {
    const json = parseJson(text, maxEntries, hints.url, encoding, where);
    if (!json.feed.language && httpLanguage) json.feed.language = httpLanguage;
    return json;
  }
  if (looksLikeHtml(text)) fail('not-a-feed', `an HTML page, not a feed${where}`);
  if (first !== '<') fail('not-a-feed', `not XML or JSON${where}`);
  const tree = parseXmlTree(start > 0 ? text.slice(start) : text, hints.url);
  problems.push(...tree.problems);
  const root = tree.root;
  if (!root) fail('malformed', `no root element${where}`);
  const netscape = namesNetscape(text.slice(0, 2048));
  const mapped = mapByRoot(root, maxEntries, where, netscape);
  if (!mapped.feed.language && httpLanguage) mapped.feed.language = httpLanguage;
  // A cut-off document: keep the entries that were whole, drop the one the cut went through.
  if (mapped.lastEntryUnclosed && mapped.feed.entries.length === mapped.total && mapped.total > 0) {
    mapped.feed.entries.pop();
  }
  const serious = problems.filter((p) => !NOTES.has(p));
  return {
    feed: mapped.feed,
    encoding,
    version: mapped.version,
    wellFormed: serious.length === 0,
    problems,
    entriesTotal: mapped.total,
    entriesDropped: Math.max(0, mapped.total - maxEntries),
  };
}

function mapByRoot(root: XElement, maxEntries: number, where: string, netscape: boolean): { feed: RawFeed; total: number; version: string; lastEntryUnclosed: boolean } {
  switch (root.key) {
    case 'rss':
    case 'channel':
    case 'rdf:rdf': {
      const { feed, total } = mapRss(root, maxEntries);
      const version = root.key === 'rdf:rdf' ? rdfVersion(root) : rssVersion(attr(root, 'version'), netscape);
      return { feed, total, version, lastEntryUnclosed: lastEntryUnclosed(root, 'item') };
    }
    case 'atom:feed':
    case 'feed':
    case 'atom:entry': {
      const { feed, total } = mapAtom(root, maxEntries);
      const is03 = attr(root, 'version') === '0.3' || /purl\.org\/atom\/ns#/i.test(root.ns?.[''] ?? '');
      return { feed, total, version: is03 ? 'atom03' : 'atom10', lastEntryUnclosed: lastEntryUnclosed(root, 'entry') };
    }
    default:
      return fail('not-a-feed', `root element <${root.name}> is not RSS, RDF or Atom${where}`);
  }
}

/** Tells whether a `<!DOCTYPE …>` names Netscape (RSS 0.91 as Netscape defined it), as /<!DOCTYPE[^>]*netscape/i would. */
function namesNetscape(prolog: string): boolean {
  for (let i = indexOfAsciiIgnoringCase(prolog, '<!doctype'); i !== -1; ) {
    const close = prolog.indexOf('>', i);
    const end = close === -1 ? prolog.length : close;
    if (indexOfAsciiIgnoringCase(prolog.slice(i + 9, end), 'netscape') !== -1) return true;
    i = close === -1 ? -1 : indexOfAsciiIgnoringCase(prolog, '<!doctype', close);
  }
  return false;
}

// Version names as feedparser reports them (its `version` is the de-facto vocabulary).
function rssVersion(v: string | undefined, netscape: boolean): string {
  const t = (v ?? '').trim();
  if (t === '') return 'rss';
  if (t.startsWith('2')) return 'rss20';
  if (t === '0.91') return netscape ? 'rss091n' : 'rss091u';
  const m = /^0\.9([234])$/.exec(t);
  return m ? `rss09${m[1]}` : 'rss';
}

function rdfVersion(root: XElement): string {
  const ns = Object.values(root.ns ?? {}).join(' ');
  return /my\.netscape\.com\/rdf\/simple\/0\.9/i.test(ns) ? 'rss090' : 'rss10';
}

function lastEntryUnclosed(root: XElement, local: string): boolean {
  let last: XElement | undefined;
  const visit = (el: XElement, depth: number): void => {
    for (const c of el.children) {
      if (typeof c === 'string') continue;
      if (c.key === local || c.key === `atom:${local}`) last = c;
      else if (depth < 1) visit(c, depth + 1);
    }
  };
  visit(root, 0);
  return last?.unclosed === true;
}

function parseJson(text: string, maxEntries: number, url: string | undefined, encoding: string, where: string): ParseReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (err) {
    return fail('malformed', `invalid JSON${where}: ${(err as Error).message}`, err);
  }
  if (!isJsonFeed(doc)) fail('not-a-feed', `not a feed: JSON without a JSON Feed version (https://jsonfeed.org/version/1.1)${where}`);
  const { feed, total, version } = mapJsonFeed(doc, maxEntries, url);
  return { feed, encoding, version, wellFormed: true, problems: [], entriesTotal: total, entriesDropped: Math.max(0, total - maxEntries) };
}

function fail(kind: ParseErrorKind, message: string, cause?: unknown): never {
  throw new FeedfoldError('parse', kind, message, cause === undefined ? undefined : { cause });
}

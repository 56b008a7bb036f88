import { generateAtomFeed, type AtomFeed } from 'feedsmith';
import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { FeedMeta } from '../model/run.js';
import type { StoryView } from '../model/story.js';
import { utf8Bytes } from '../sanitize/truncate.js';
import { buildEntryContent, buildSummary, DEFAULT_MAX_ENTRY_BYTES, outletName } from './entry-content.js';
import { isHttpUrl, isLanguageTag, oneLine, textConstruct, tightenFeedsmithXml, toRfc3339, xmlSafe } from './xml-text.js';

type Entry = AtomFeed.Entry<string>;
type Link = AtomFeed.Link<string>;

const SUMMARY_MAX_CHARS = 280;
const UNTITLED = '(untitled)';
const ATOM_MEDIA_TYPE = 'application/atom+xml';
/** Most categories published per entry. */
const MAX_CATEGORIES = 50;
/** Markup around an entry's values (element names, attributes, CDATA, indentation), counted generously. */
const ENTRY_MARKUP_BYTES = 1024;
/** Markup around one link or category of an entry. */
const ITEM_MARKUP_BYTES = 128;
/** Markup and metadata of the feed element itself. */
const FEED_MARKUP_BYTES = 8 * 1024;

/** Default of `feed.maxBytes`: 10 MiB, what feedfold's own fetcher reads by default (Miniflux reads 15 MiB). */
export const DEFAULT_MAX_FEED_BYTES = 10 * 1024 * 1024;

/** Size bounds of the published feed, in UTF-8 bytes. */
export interface FeedLimits {
  /** Most HTML one entry's content publishes (`feed.maxEntryBytes`). */
  maxEntryBytes: number;
  /** Most the whole document takes, about (`feed.maxBytes`): older entries past it are left out. */
  maxBytes: number;
}

/** The defaults of `feed.maxEntryBytes` and `feed.maxBytes`. */
export const DEFAULT_FEED_LIMITS: FeedLimits = { maxEntryBytes: DEFAULT_MAX_ENTRY_BYTES, maxBytes: DEFAULT_MAX_FEED_BYTES };

/** A rendered feed and what its size bounds did. */
export interface AtomDocument {
  xml: string;
  /** Entries written. */
  entries: number;
  /** Stories left out (the oldest) because the document reached `maxBytes`. */
  leftOut: number;
  /** Entries whose article was cut to `maxEntryBytes`. */
  cut: number;
}

/**
 * Derives a stable atom:id for a source feed from its configured id (RFC 4287 §4.2.6); the
 * source URL can change on a permanent redirect, the configured id does not.
 */
export function sourceAtomId(sourceId: string): string {
  return `urn:feedfold:source:${encodeURIComponent(sourceId)}`;
}

function requireDate(value: string, what: string): string {
  const date = toRfc3339(value);
  if (date === undefined) throw new FeedfoldError('publish', 'invalid-date', `${what} is not a date: ${JSON.stringify(value)}`);
  return date;
}

function relatedLinks(story: StoryView, listed: readonly Article[]): Link[] {
  const canonicalLanguage = story.canonical.language;
  const links: Link[] = [];
  for (const other of listed) {
    // Versions without a URL cannot be linked; the content list still names them.
    if (!isHttpUrl(other.url)) continue;
    const differs = other.language !== canonicalLanguage && other.language !== 'und' && isLanguageTag(other.language);
    links.push({ href: xmlSafe(other.url), rel: 'related', title: outletName(other), ...(differs ? { hreflang: other.language } : {}) });
  }
  return links;
}

function viaHref(article: Article): string | undefined {
  if (isHttpUrl(article.sourceLink)) return article.sourceLink;
  if (isHttpUrl(article.sourceLocation)) return article.sourceLocation;
  return undefined;
}

/** Returns an article's own latest date: updated, else published, else when it was first seen. */
function articleUpdated(article: Article): string | undefined {
  const dates = [article.published ?? article.firstSeen, article.updated].map(toRfc3339).filter((d): d is string => d !== undefined);
  return dates.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

// RFC 4287 §4.2.11: atom:source keeps the canonical's origin feed metadata with the entry; id,
// title and updated are the ones it recommends (the W3C validator warns when one is missing).
// Its updated is the newest date seen from that source, else the canonical's own.
function sourceOf(story: StoryView): AtomFeed.Source<string> {
  const article = story.canonical;
  const links: Link[] = [];
  if (isHttpUrl(article.sourceLocation)) links.push({ href: article.sourceLocation, rel: 'self' });
  if (isHttpUrl(article.sourceLink)) links.push({ href: article.sourceLink, rel: 'alternate', type: 'text/html' });
  const updated = toRfc3339(story.sourceUpdated) ?? articleUpdated(article);
  return { id: sourceAtomId(article.sourceId), title: textConstruct(outletName(article)), ...(updated !== undefined ? { updated } : {}), links };
}

function entryOf(story: StoryView, maxEntryBytes: number): { entry: Entry; cut: boolean } {
  const canonical = story.canonical;
  const content = buildEntryContent(story, maxEntryBytes);
  const links: Link[] = [];
  if (isHttpUrl(canonical.url)) links.push({ href: canonical.url, rel: 'alternate', type: 'text/html' });
  // The related links name the versions the content lists, so both stay within the entry's bound.
  links.push(...relatedLinks(story, content.listed));
  const via = viaHref(canonical);
  if (via !== undefined) links.push({ href: via, rel: 'via' });
  const published = requireDate(story.published, `story ${story.id} published`);
  const summary = buildSummary(canonical.text, SUMMARY_MAX_CHARS);
  const author = oneLine(canonical.author ?? '') || outletName(canonical);
  const categories = [...new Set(canonical.categories.map(oneLine).filter((term) => term !== ''))].slice(0, MAX_CATEGORIES);
  const entry: Entry = {
    id: xmlSafe(story.id),
    // RFC 4287 §4.1.2 requires a title; an empty element would be dropped by the generator.
    title: textConstruct(oneLine(canonical.title) || UNTITLED),
    updated: toRfc3339(story.updated) ?? published,
    published,
    links,
    authors: [{ name: author }],
    categories: categories.map((term) => ({ term })),
    ...(summary !== undefined ? { summary: textConstruct(summary) } : {}),
    content: { value: content.html, type: 'html' },
    source: sourceOf(story),
    ...(isLanguageTag(canonical.language) && canonical.language !== 'und' ? { xml: { lang: canonical.language } } : {}),
  };
  return { entry, cut: content.cut };
}

const bytesOf = (value: string | undefined): number => (value === undefined ? 0 : utf8Bytes(value));
const textBytes = (text: { value?: string } | undefined): number => bytesOf(text?.value);

/** Estimates an entry's size in the document from above: its values (CDATA keeps them as they are) and generous markup. */
function entryBytes(entry: Entry): number {
  let bytes = ENTRY_MARKUP_BYTES + bytesOf(entry.id) + textBytes(entry.title) + textBytes(entry.summary) + textBytes(entry.content);
  for (const link of entry.links ?? []) bytes += ITEM_MARKUP_BYTES + bytesOf(link.href) + bytesOf(link.title);
  for (const category of entry.categories ?? []) bytes += ITEM_MARKUP_BYTES + bytesOf(category.term);
  for (const author of entry.authors ?? []) bytes += ITEM_MARKUP_BYTES + bytesOf(author.name);
  const source = entry.source;
  if (source !== undefined) {
    bytes += ENTRY_MARKUP_BYTES + textBytes(source.title);
    for (const link of source.links ?? []) bytes += ITEM_MARKUP_BYTES + bytesOf(link.href);
  }
  return bytes;
}

/**
 * Renders the merged Atom feed (RFC 4287): one entry per story, in the order given, with the
 * canonical as alternate link, other versions as related links and an "Also reported by" list.
 * Pure and deterministic: the same input gives byte-identical output.
 */
export function renderAtom(meta: FeedMeta, stories: StoryView[], limits: FeedLimits = DEFAULT_FEED_LIMITS): string {
  return renderAtomDocument(meta, stories, limits).xml;
}

/**
 * Renders the merged Atom feed (see {@link renderAtom}) within its size bounds: each entry's
 * content at most `maxEntryBytes` (the article cut with a note linking the original), and the
 * document about `maxBytes` at most, the oldest entries left out past it (stories come newest
 * first), so no run of huge articles can make the feed unreadable or too long to build.
 */
export function renderAtomDocument(meta: FeedMeta, stories: StoryView[], limits: FeedLimits = DEFAULT_FEED_LIMITS): AtomDocument {
  const entries: Entry[] = [];
  let bytes = FEED_MARKUP_BYTES + utf8Bytes(meta.title) + utf8Bytes(meta.subtitle ?? '');
  let cut = 0;
  for (const story of stories) {
    const built = entryOf(story, limits.maxEntryBytes);
    const size = entryBytes(built.entry);
    if (bytes + size > limits.maxBytes) break;
    bytes += size;
    entries.push(built.entry);
    if (built.cut) cut++;
  }
  const links: Link[] = [{ href: meta.selfUrl, rel: 'self', type: ATOM_MEDIA_TYPE }];
  if (meta.homeUrl !== undefined && meta.homeUrl !== '') links.push({ href: meta.homeUrl, rel: 'alternate', type: 'text/html' });
  const author: AtomFeed.Person = { name: oneLine(meta.author.name) || oneLine(meta.generator.name) || 'feedfold' };
  if (meta.author.uri !== undefined) author.uri = meta.author.uri;
  if (meta.author.email !== undefined) author.email = meta.author.email;
  const generator: AtomFeed.Generator = { text: oneLine(meta.generator.name), version: meta.generator.version };
  if (meta.generator.uri !== undefined) generator.uri = meta.generator.uri;
  const feed: AtomFeed.Feed<string> = {
    id: xmlSafe(meta.id),
    title: textConstruct(oneLine(meta.title) || UNTITLED),
    ...(meta.subtitle !== undefined && meta.subtitle !== '' ? { subtitle: textConstruct(oneLine(meta.subtitle)) } : {}),
    updated: requireDate(meta.updated, 'feed updated'),
    links,
    authors: [author],
    generator,
    entries,
  };
  try {
    return { xml: `${tightenFeedsmithXml(generateAtomFeed(feed))}\n`, entries: entries.length, leftOut: stories.length - entries.length, cut };
  } catch (err) {
    throw new FeedfoldError('publish', 'atom-generate', `feedsmith could not generate the feed: ${String(err)}`, { cause: err });
  }
}

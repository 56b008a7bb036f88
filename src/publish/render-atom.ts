import { generateAtomFeed, type AtomFeed } from 'feedsmith';
import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { FeedMeta } from '../model/run.js';
import type { StoryView } from '../model/story.js';
import { buildEntryHtml, buildSummary, outletName } from './entry-content.js';
import { isHttpUrl, isLanguageTag, oneLine, textConstruct, tightenFeedsmithXml, toRfc3339, xmlSafe } from './xml-text.js';

type Entry = AtomFeed.Entry<string>;
type Link = AtomFeed.Link<string>;

const SUMMARY_MAX_CHARS = 280;
const UNTITLED = '(untitled)';
const ATOM_MEDIA_TYPE = 'application/atom+xml';

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

function relatedLinks(story: StoryView): Link[] {
  const canonicalLanguage = story.canonical.language;
  const links: Link[] = [];
  for (const other of story.others) {
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

function entryOf(story: StoryView): Entry {
  const canonical = story.canonical;
  const links: Link[] = [];
  if (isHttpUrl(canonical.url)) links.push({ href: canonical.url, rel: 'alternate', type: 'text/html' });
  links.push(...relatedLinks(story));
  const via = viaHref(canonical);
  if (via !== undefined) links.push({ href: via, rel: 'via' });
  const published = requireDate(story.published, `story ${story.id} published`);
  const summary = buildSummary(canonical.text, SUMMARY_MAX_CHARS);
  const author = oneLine(canonical.author ?? '') || outletName(canonical);
  const categories = [...new Set(canonical.categories.map(oneLine).filter((term) => term !== ''))];
  return {
    id: xmlSafe(story.id),
    // RFC 4287 §4.1.2 requires a title; an empty element would be dropped by the generator.
    title: textConstruct(oneLine(canonical.title) || UNTITLED),
    updated: toRfc3339(story.updated) ?? published,
    published,
    links,
    authors: [{ name: author }],
    categories: categories.map((term) => ({ term })),
    ...(summary !== undefined ? { summary: textConstruct(summary) } : {}),
    content: { value: buildEntryHtml(story), type: 'html' },
    source: sourceOf(story),
    ...(isLanguageTag(canonical.language) && canonical.language !== 'und' ? { xml: { lang: canonical.language } } : {}),
  };
}

/**
 * Renders the merged Atom feed (RFC 4287): one entry per story, in the order given, with the
 * canonical as alternate link, other versions as related links and an "Also reported by" list.
 * Pure and deterministic: the same input gives byte-identical output.
 */
export function renderAtom(meta: FeedMeta, stories: StoryView[]): string {
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
    entries: stories.map(entryOf),
  };
  try {
    return `${tightenFeedsmithXml(generateAtomFeed(feed))}\n`;
  } catch (err) {
    throw new FeedfoldError('publish', 'atom-generate', `feedsmith could not generate the feed: ${String(err)}`, { cause: err });
  }
}

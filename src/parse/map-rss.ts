import type { RawEnclosure, RawEntry, RawFeed } from '../model/raw-entry.js';
import { setEntryDates } from './parse-date.js';
import { feedHtml, htmlToText, looksLikeMarkup, plainLine, readTextConstruct } from './text-construct.js';
import { attr, child, children, innerXml, resolveUrl, textOf, type XElement } from './xml-tree.js';

/** Maps an RSS 0.9x/2.0 or RSS 0.9/1.0 (RDF) document to a RawFeed, keeping at most `maxEntries`. */
export function mapRss(root: XElement, maxEntries: number): { feed: RawFeed; total: number } {
  const isRdf = root.key === 'rdf:rdf';
  const channel = root.key === 'channel' ? root : child(root, 'channel') ?? root;
  // RSS 0.9/1.0 put items beside the channel (under rdf:RDF); RSS 2.0 puts them inside it.
  const itemEls = [...children(channel, 'item'), ...(channel !== root ? children(root, 'item') : [])];
  const feed: RawFeed = { format: isRdf ? 'rdf' : 'rss', entries: [] };
  const title = child(channel, 'title', 'dc:title', 'atom:title');
  if (title) {
    const t = title.key === 'atom:title' ? readTextConstruct(title) : { value: textOf(title), type: 'text' as const };
    const plain = cleanTitle(t.value, t.type === 'html');
    if (plain) feed.title = plain;
  }
  const home = linkOf(channel);
  if (home) feed.link = home;
  for (const l of children(channel, 'atom:link')) {
    if ((attr(l, 'rel') ?? '').toLowerCase() === 'self' && attr(l, 'href')) feed.selfLink = resolveUrl(attr(l, 'href') as string, l.base) ?? attr(l, 'href');
  }
  const language = text(child(channel, 'language', 'dc:language')) ?? channel.lang ?? root.lang;
  if (language) feed.language = language;
  const feedAuthor = text(child(channel, 'dc:creator', 'managingeditor', 'itunes:author', 'webmaster'));
  for (const el of itemEls.slice(0, maxEntries)) feed.entries.push(mapItem(el, feedAuthor));
  return { feed, total: itemEls.length };
}

function mapItem(el: XElement, feedAuthor: string | undefined): RawEntry {
  const e: RawEntry = {};
  const titleEl = child(el, 'title', 'dc:title', 'atom:title');
  if (titleEl) {
    const t = titleEl.key === 'atom:title' ? readTextConstruct(titleEl) : { value: textOf(titleEl), type: 'text' as const };
    const plain = cleanTitle(t.value, t.type === 'html');
    if (plain) e.title = plain;
  }
  const guidEl = child(el, 'guid', 'atom:id', 'dc:identifier');
  // RSS 1.0 §5.5: an item's rdf:about is its URI, the natural id when there is no guid.
  const guid = text(guidEl) ?? attr(el, 'rdf:about')?.trim();
  if (guid) e.guid = guid;
  const link = linkOf(el);
  if (link) e.link = link;
  else if (guidEl && guid && guidEl.key === 'guid' && (attr(guidEl, 'isPermaLink') ?? 'true').trim().toLowerCase() !== 'false' && /^https?:\/\//i.test(guid)) {
    // RSS 2.0 §guid: isPermaLink defaults to true, so the guid is the item's URL.
    e.link = guid;
  }
  const summaryEl = child(el, 'description', 'dc:description', 'atom:summary', 'summary');
  const contentEl = child(el, 'content:encoded', 'xhtml:body', 'body', 'atom:content', 'fullitem', 'xhtml:div');
  if (summaryEl) {
    const v = bodyOf(summaryEl);
    if (v.trim() !== '') e.summary = v;
  }
  if (contentEl) {
    const v = bodyOf(contentEl);
    if (v.trim() !== '') e.content = v;
  }
  if (e.summary !== undefined || e.content !== undefined) {
    e.contentType = looksLikeMarkup(e.content ?? '') || looksLikeMarkup(e.summary ?? '') ? 'html' : 'text';
    if (e.contentType === 'html') {
      if (e.summary !== undefined) e.summary = feedHtml(e.summary, summaryEl?.base);
      if (e.content !== undefined) e.content = feedHtml(e.content, contentEl?.base);
    }
  }
  const pub = child(el, 'pubdate', 'dc:date', 'dcterms:issued', 'dcterms:created', 'atom:published', 'issued');
  const upd = child(el, 'dcterms:modified', 'atom:updated', 'lastbuilddate');
  setEntryDates(e, text(pub), text(upd));
  const author = authorName(text(child(el, 'author', 'dc:creator', 'itunes:author', 'dc:author'))) ?? atomAuthor(child(el, 'atom:author')) ?? authorName(feedAuthor);
  if (author) e.author = author;
  // Pushed into one array literal: once one of its arrays has held a string, the literal makes string arrays even when
  // they stay empty. `.map().filter()` made an empty feed's list of another kind, which threw this function's optimized
  // code away when first met late in a run.
  const cats: string[] = [];
  for (const c of children(el, 'category', 'dc:subject', 'atom:category')) {
    const cat = (c.key === 'atom:category' ? (attr(c, 'term') ?? '') : textOf(c)).trim();
    if (cat !== '') cats.push(cat);
  }
  if (cats.length) e.categories = [...new Set(cats)];
  const enclosures: RawEnclosure[] = [];
  for (const enc of children(el, 'enclosure', 'media:content')) {
    const rawUrl = attr(enc, 'url') ?? attr(enc, 'href');
    if (!rawUrl?.trim()) continue;
    const item: RawEnclosure = { url: resolveUrl(rawUrl.trim(), enc.base) ?? rawUrl.trim() };
    const type = attr(enc, 'type');
    if (type?.trim()) item.type = type.trim();
    const length = attr(enc, 'length') ?? attr(enc, 'fileSize');
    if (length !== undefined && /^\s*\d+\s*$/.test(length)) item.length = Number(length);
    enclosures.push(item);
  }
  if (enclosures.length) e.enclosures = enclosures;
  const language = text(child(el, 'dc:language')) ?? contentEl?.lang ?? el.lang;
  if (language) e.language = language;
  return e;
}

function bodyOf(el: XElement): string {
  if (el.key.startsWith('atom:')) return readTextConstruct(el).value;
  // Unescaped XHTML inside description/content:encoded is markup the publisher meant literally.
  if (el.key === 'xhtml:body' || el.key === 'body' || el.key === 'xhtml:div' || el.children.some((c) => typeof c !== 'string')) return innerXml(el);
  return textOf(el);
}

function linkOf(el: XElement): string | undefined {
  const l = child(el, 'link');
  const raw = l ? textOf(l).trim() || attr(l, 'href')?.trim() : undefined;
  if (l && raw) return resolveUrl(raw, l.base) ?? raw;
  for (const a of children(el, 'atom:link')) {
    const rel = (attr(a, 'rel') ?? 'alternate').toLowerCase();
    const href = attr(a, 'href')?.trim();
    if (rel === 'alternate' && href) return resolveUrl(href, a.base) ?? href;
  }
  const about = attr(el, 'rdf:about')?.trim();
  if (about && /^https?:\/\//i.test(about)) return about;
  return undefined;
}

function atomAuthor(el: XElement | undefined): string | undefined {
  if (!el) return undefined;
  return text(child(el, 'atom:name')) ?? text(child(el, 'atom:email'));
}

// RSS 2.0 author is "email (Name)"; "Name (email)" and "Name <email>" occur too. Keep the name.
// The address is matched as one token and its '@' checked apart: two runs that both allow '@'
// around a literal '@' backtrack in time quadratic in a run of '@'.
const EMAIL_FIRST_RE = /^\s*([^\s()<>]+)\s*\((.+)\)\s*$/;
const NAME_FIRST_RE = /^([^()<>@]*)[(<]\s*([^\s()<>]+)\s*[)>]\s*$/;

/** Tells whether a token has an '@' with at least one character on each side (`x@y`). */
function hasInnerAt(token: string): boolean {
  const at = token.indexOf('@', 1);
  return at !== -1 && at < token.length - 1;
}

function authorName(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const emailFirst = EMAIL_FIRST_RE.exec(s);
  if (emailFirst && hasInnerAt(emailFirst[1] as string) && emailFirst[2]?.trim()) return emailFirst[2].trim();
  const nameFirst = NAME_FIRST_RE.exec(s);
  const name = nameFirst && hasInnerAt(nameFirst[2] as string) ? (nameFirst[1] as string).trim() : '';
  return name || s;
}

function cleanTitle(value: string, isHtml: boolean): string | undefined {
  const t = isHtml || looksLikeMarkup(value) ? htmlToText(value) : plainLine(value);
  return t === '' ? undefined : t;
}

function text(el: XElement | undefined): string | undefined {
  if (!el) return undefined;
  const t = textOf(el).trim();
  return t === '' ? undefined : t;
}

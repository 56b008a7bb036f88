import type { RawEnclosure, RawEntry, RawFeed } from '../model/raw-entry.js';
import { setEntryDates } from './parse-date.js';
import { feedHtml, htmlToText, plainLine, readTextConstruct } from './text-construct.js';
import { attr, child, children, resolveUrl, textOf, type XElement } from './xml-tree.js';

// Atom 1.0 (RFC 4287) and 0.3 share element names; the tree gives both the 'atom:' key.
// A few feeds omit the namespace: those names have no prefix.
const k = (local: string): string[] => [`atom:${local}`, local];

/** Maps an Atom 1.0 / 0.3 document (feed or lone entry) to a RawFeed, keeping at most `maxEntries`. */
export function mapAtom(root: XElement, maxEntries: number): { feed: RawFeed; total: number } {
  const isEntryDoc = root.key === 'atom:entry' || root.key === 'entry';
  const entryEls = isEntryDoc ? [root] : children(root, ...k('entry'));
  const feedAuthor = isEntryDoc ? undefined : authorOf(root);
  const feed: RawFeed = { format: 'atom', entries: [] };
  if (!isEntryDoc) {
    const title = child(root, ...k('title'));
    if (title) feed.title = plainTitle(title);
    const links = linksOf(root);
    const home = pickAlternate(links);
    if (home) feed.link = home;
    const self = links.find((l) => l.rel === 'self');
    if (self) feed.selfLink = self.href;
  }
  if (root.lang) feed.language = root.lang;
  for (const el of entryEls.slice(0, maxEntries)) feed.entries.push(mapEntry(el, feedAuthor));
  return { feed, total: entryEls.length };
}

function mapEntry(el: XElement, feedAuthor: string | undefined): RawEntry {
  const e: RawEntry = {};
  const id = child(el, ...k('id'));
  if (id) {
    const raw = textOf(id).trim();
    // RFC 4287 §4.2.6 wants an absolute IRI; a relative one is read against xml:base as readers do.
    const pathLike = /^(\/|\.\.?\/|[\w.~-]+\/)\S*$/.test(raw);
    setIf(e, 'guid', id.base && pathLike ? resolveUrl(raw, id.base) ?? raw : raw);
  }
  const title = child(el, ...k('title'));
  if (title) setIf(e, 'title', plainTitle(title));
  const links = linksOf(el);
  const link = pickAlternate(links);
  if (link) e.link = link;
  const summaryEl = child(el, ...k('summary'));
  const contentEl = child(el, ...k('content'));
  let type: 'html' | 'text' | undefined;
  if (summaryEl) {
    const s = readTextConstruct(summaryEl);
    setIf(e, 'summary', s.type === 'html' ? feedHtml(s.value, summaryEl.base) : s.value);
    type = s.type;
  }
  if (contentEl && attr(contentEl, 'src') === undefined) {
    const c = readTextConstruct(contentEl, true);
    setIf(e, 'content', c.type === 'html' ? feedHtml(c.value, contentEl.base) : c.value);
    type = c.type === 'html' || type === 'html' ? 'html' : c.type;
  }
  if (type) e.contentType = type;
  dates(e, el);
  const author = authorOf(el) ?? authorOf(child(el, ...k('source'))) ?? feedAuthor;
  if (author) e.author = author;
  // Both lists are pushed into array literals, as in map-rss.ts: an empty `.map().filter()` list is of another kind.
  const cats: string[] = [];
  for (const c of children(el, ...k('category'), 'dc:subject')) {
    const cat = (c.key === 'dc:subject' ? textOf(c) : (attr(c, 'term') ?? attr(c, 'label') ?? textOf(c))).trim();
    if (cat !== '') cats.push(cat);
  }
  if (cats.length) e.categories = [...new Set(cats)];
  const enclosures: RawEnclosure[] = [];
  for (const l of links) {
    if (l.rel !== 'enclosure') continue;
    const enc: RawEnclosure = { url: l.href };
    if (l.type) enc.type = l.type;
    if (l.length !== undefined) enc.length = l.length;
    enclosures.push(enc);
  }
  if (enclosures.length) e.enclosures = enclosures;
  const lang = contentEl?.lang ?? el.lang;
  if (lang) e.language = lang;
  return e;
}

function dates(e: RawEntry, el: XElement): void {
  const pub = child(el, ...k('published')) ?? child(el, ...k('issued')) ?? child(el, ...k('created')) ?? child(el, 'dc:date', 'dcterms:issued');
  const upd = child(el, ...k('updated')) ?? child(el, ...k('modified')) ?? child(el, 'dcterms:modified');
  setEntryDates(e, pub ? textOf(pub).trim() : undefined, upd ? textOf(upd).trim() : undefined);
}

interface AtomLink { rel: string; href: string; type?: string; length?: number }

function linksOf(el: XElement): AtomLink[] {
  const out: AtomLink[] = [];
  for (const l of children(el, ...k('link'))) {
    const raw = attr(l, 'href') ?? (textOf(l).trim() || undefined);
    if (raw === undefined) continue;
    // RFC 4287 §4.2.7: relative hrefs resolve against xml:base in scope (RFC 3986 §5.1).
    const href = resolveUrl(raw.trim(), l.base) ?? raw.trim();
    const link: AtomLink = { rel: (attr(l, 'rel') ?? 'alternate').trim().toLowerCase(), href };
    const type = attr(l, 'type');
    if (type) link.type = type.trim();
    const length = Number(attr(l, 'length'));
    if (Number.isFinite(length) && length >= 0 && attr(l, 'length') !== undefined) link.length = length;
    out.push(link);
  }
  return out;
}

// RFC 4287 §4.2.7.2: no rel means "alternate"; prefer an HTML alternate when there are several.
function pickAlternate(links: AtomLink[]): string | undefined {
  const alternates = links.filter((l) => l.rel === 'alternate');
  const html = alternates.find((l) => !l.type || /html/i.test(l.type));
  return (html ?? alternates[0])?.href;
}

function authorOf(el: XElement | undefined): string | undefined {
  if (!el) return undefined;
  for (const a of children(el, ...k('author'), 'dc:creator')) {
    if (a.key === 'dc:creator') {
      const t = textOf(a).trim();
      if (t) return t;
      continue;
    }
    const name = child(a, ...k('name'));
    const email = child(a, ...k('email'));
    const value = (name && textOf(name).trim()) || (email && textOf(email).trim()) || (!name && !email ? textOf(a).trim() : '');
    if (value) return value;
  }
  return undefined;
}

function plainTitle(el: XElement): string {
  const t = readTextConstruct(el);
  return t.type === 'html' ? htmlToText(t.value) : plainLine(t.value);
}

function setIf<K extends 'guid' | 'title' | 'summary' | 'content'>(e: RawEntry, key: K, value: string): void {
  if (value.trim() !== '') e[key] = value;
}

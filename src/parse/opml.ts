import { generateOpml, parseOpml as feedsmithParseOpml, type Opml } from 'feedsmith';
import { FeedfoldError } from '../model/errors.js';
import { escapeHtml } from '../publish/xml-text.js';
import { findDoctype } from './doctype.js';

/** One feed subscription read from, or written to, an OPML list. */
export interface OpmlFeed {
  url: string;
  title?: string;
  htmlUrl?: string;
  /** Titles of the enclosing outlines, joined with '/'. */
  category?: string;
}

/** Removes every document type declaration (see findDoctype), in one pass. */
function withoutDoctypes(text: string): string {
  let out = '';
  let at = 0;
  for (let d = findDoctype(text); d; d = findDoctype(text, d.end)) {
    out += text.slice(at, d.start);
    at = d.end;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** Reads an OPML 1.0/2.0 subscription list: nested outlines flattened, outlines without xmlUrl skipped, duplicate URLs dropped. */
export function parseOpml(text: string): { title?: string; feeds: OpmlFeed[] } {
  // Entity declarations are never expanded, whatever the parser underneath would do.
  const safe = withoutDoctypes(text);
  let doc: Opml.Document<string>;
  try {
    doc = feedsmithParseOpml(safe);
  } catch (err) {
    throw new FeedfoldError('parse', 'malformed', `not a readable OPML document: ${(err as Error).message}`, { cause: err });
  }
  const feeds: OpmlFeed[] = [];
  const seen = new Set<string>();
  const walk = (outlines: Opml.Outline<string>[] | undefined, path: string[]): void => {
    for (const o of outlines ?? []) {
      const label = (o.title ?? o.text ?? '').trim();
      const url = o.xmlUrl?.trim();
      if (url && !seen.has(url)) {
        seen.add(url);
        const feed: OpmlFeed = { url };
        if (label) feed.title = label;
        if (o.htmlUrl?.trim()) feed.htmlUrl = o.htmlUrl.trim();
        if (path.length) feed.category = path.join('/');
        feeds.push(feed);
      }
      if (o.outlines?.length) walk(o.outlines, label ? [...path, label] : path);
    }
  };
  walk(doc.body?.outlines, []);
  const title = doc.head?.title?.trim();
  return title ? { title, feeds } : { feeds };
}

/** Writes feeds as an OPML 2.0 document, grouping them in outlines by category; `now` (ISO 8601) dates it. */
export function renderOpml(feeds: OpmlFeed[], opts: { title: string; now: string }): string {
  const root: Opml.Outline<Date>[] = [];
  const groups = new Map<string, Opml.Outline<Date>>();
  const groupFor = (category: string | undefined): Opml.Outline<Date>[] => {
    if (!category) return root;
    let list = root;
    let key = '';
    for (const part of category.split('/').filter((p) => p !== '')) {
      key = key ? `${key}/${part}` : part;
      let g = groups.get(key);
      if (!g) {
        g = { text: part, title: part, outlines: [] };
        groups.set(key, g);
        list.push(g);
      }
      list = g.outlines as Opml.Outline<Date>[];
    }
    return list;
  };
  for (const f of feeds) {
    const o: Opml.Outline<Date> = { text: f.title ?? f.url, type: 'rss', xmlUrl: f.url };
    if (f.title) o.title = f.title;
    if (f.htmlUrl) o.htmlUrl = f.htmlUrl;
    groupFor(f.category).push(o);
  }
  const dateCreated = new Date(opts.now);
  // feedsmith refuses a body without outlines; an empty list (a config of files and folders only) is still a valid
  // document for OPML readers, feedsmith's parser included.
  if (root.length === 0) return emptyOpml(opts.title, dateCreated);
  return generateOpml({ head: { title: opts.title, dateCreated }, body: { outlines: root } });
}

/** An OPML 2.0 document with a head and an empty body, laid out as generateOpml lays out the rest. */
function emptyOpml(title: string, dateCreated: Date): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeHtml(title)}</title>`,
    `    <dateCreated>${dateCreated.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body/>',
    '</opml>',
    '',
  ].join('\n');
}

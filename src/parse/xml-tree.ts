import { htmlparser2 } from '../model/htmlparser2.js';
import { FeedfoldError } from '../model/errors.js';
import { findDoctype } from './doctype.js';
import { decodeXmlEntities, type EntityDecodeState } from './xml-entities.js';

/**
 * Deepest element nesting read, in elements (the root counts 1). Real feeds nest a few dozen
 * levels, XHTML content included; a document deeper than this is refused as a whole, so that no
 * later step (text extraction, serialization) walks an unbounded chain.
 */
export const MAX_XML_DEPTH = 1024;

/** One element of a leniently parsed XML document, with namespaces resolved. */
export interface XElement {
  /** The qualified name as written, e.g. 'dc:creator'. */
  name: string;
  /** Lower-cased local name prefixed by a short canonical namespace: 'atom:title', 'dc:creator', 'title' (RSS, no namespace). */
  key: string;
  /** Attributes by qualified name as written, values entity-decoded. */
  attrs: Record<string, string>;
  children: XNode[];
  parent: XElement | undefined;
  /** Effective xml:base (XML Base §4.2), resolved against the parent's and the document URL. */
  base: string | undefined;
  /** Effective xml:lang; '' when explicitly unset. */
  lang: string | undefined;
  /** Namespace declarations made on this element (prefix → URI; '' for the default). */
  ns: Record<string, string> | undefined;
  /** True when the document ended (or a parent closed) before this element's end tag. */
  unclosed?: boolean;
}

/** A child of an element: an element or a run of text. */
export type XNode = XElement | string;

/** The tree and whether it had to be repaired to be read (feedparser calls this "bozo"). */
export interface XmlTree {
  root: XElement | undefined;
  /** Reasons the document was not well-formed XML; empty when it was. */
  problems: string[];
}

/** Canonical short names for well-known namespaces; RSS 0.9/1.0/2.0 element namespaces map to ''. */
const KNOWN_NS: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0': '',
  'http://my.netscape.com/rdf/simple/0.9': '',
  'http://backend.userland.com/rss2': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://backend.userland.com/rss': '',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/dc/elements/1.1': 'dc',
  'http://purl.org/dc/elements/1.0': 'dc',
  'http://purl.org/dc/terms': 'dcterms',
  'http://purl.org/rss/1.0/modules/content': 'content',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.w3.org/xml/1998/namespace': 'xml',
};
/** Prefixes readers accept without a declaration, as feedparser does. */
const CONVENTIONAL_PREFIX = new Set(['atom', 'dc', 'dcterms', 'content', 'rdf', 'xhtml', 'itunes', 'media', 'xml']);

/**
 * Parses XML text into a tree: unknown entities, bare '&', unclosed tags and truncation are
 * recorded as problems, never thrown. Time is linear in the text. Throws FeedfoldError('parse',
 * 'too-deep') for elements nested deeper than MAX_XML_DEPTH.
 */
export function parseXmlTree(text: string, documentUrl?: string): XmlTree {
  const problems = new Set<string>();
  const entities: EntityDecodeState = { lenient: false };
  // A DOCTYPE is removed before parsing: entity declarations are never expanded (billion laughs)
  // and external ones never fetched (XXE). Only the prolog can hold one (XML 1.0 §2.8); one inside
  // CDATA content is text and stays.
  let src = text;
  const doctype = findDoctype(text);
  if (doctype && !/<[A-Za-z_]/.test(text.slice(0, doctype.start))) {
    if (/<!ENTITY/i.test(text.slice(doctype.start, doctype.end))) problems.add('doctype-entities-ignored');
    src = text.slice(0, doctype.start) + text.slice(doctype.end);
  }
  let root: XElement | undefined;
  let current: XElement | undefined;
  let depth = 0;
  // In-scope namespace declarations, one stack per prefix of the short names of their URIs (see
  // shortNamespace), pushed and popped with the elements that declare them: a lookup costs O(1)
  // whatever the depth, and a URI is normalized once, not for each element in its scope.
  const scope = new Map<string, (string | undefined)[]>();
  let justOpened = false;
  let inCdata = false;
  let textBuf = '';

  const flushText = (): void => {
    if (textBuf === '' || !current) { textBuf = ''; return; }
    current.children.push(textBuf);
    textBuf = '';
  };

  const parser = new (htmlparser2().Parser)(
    {
      onopentag(name, rawAttrs) {
        flushText();
        const attrs: Record<string, string> = {};
        let ns: Record<string, string> | undefined;
        for (const [k, v] of Object.entries(rawAttrs)) {
          const value = decodeXmlEntities(v, entities);
          attrs[k] = value;
          if (k === 'xmlns') (ns ??= {})[''] = value;
          else if (k.startsWith('xmlns:')) (ns ??= {})[k.slice(6)] = value;
        }
        if (++depth > MAX_XML_DEPTH) throw new FeedfoldError('parse', 'too-deep', `nesting deeper than ${MAX_XML_DEPTH} elements${documentUrl ? ` (${documentUrl})` : ''}; the feed was refused (nesting limit)`);
        const parent = current;
        if (!parent && root) problems.add('content-after-root');
        const el: XElement = { name, key: '', attrs, children: [], parent, base: parent ? parent.base : documentUrl, lang: parent?.lang, ns };
        if (ns) for (const [prefix, uri] of Object.entries(ns)) pushScope(scope, prefix, uri);
        el.key = keyOf(el, scope, problems);
        const xmlBase = attrs['xml:base'];
        if (xmlBase !== undefined) el.base = resolveUrl(xmlBase.trim(), el.base) ?? xmlBase;
        const xmlLang = attrs['xml:lang'];
        // BCP 47 uses '-'; feeds often write POSIX locales ('en_US').
        // An empty xml:lang means "no language known" (XML 1.0 §2.12), so '' is kept, not inherited.
        if (xmlLang !== undefined) el.lang = xmlLang.trim().replace(/_/g, '-');
        if (parent) parent.children.push(el);
        else if (!root) root = el;
        current = el;
        justOpened = true;
      },
      onclosetag(_name, isImplied) {
        flushText();
        if (isImplied && !justOpened) {
          problems.add('unclosed-element');
          if (current) current.unclosed = true;
        }
        justOpened = false;
        if (current?.ns) for (const prefix of Object.keys(current.ns)) scope.get(prefix)?.pop();
        depth--;
        current = current?.parent;
      },
      ontext(t) {
        justOpened = false;
        if (inCdata) { textBuf += t; return; }
        if (!current) {
          if (t.trim() !== '') problems.add('text-outside-root');
          return;
        }
        if (t.charCodeAt(0) === 60 /* < */) problems.add('bare-less-than');
        textBuf += stripControlChars(decodeXmlEntities(t, entities));
      },
      oncdatastart() { inCdata = true; justOpened = false; },
      oncdataend() { inCdata = false; },
    },
    { xmlMode: true, decodeEntities: false, recognizeSelfClosing: true, recognizeCDATA: true },
  );
  parser.end(src);
  if (inCdata) problems.add('unterminated-cdata');
  if (entities.lenient) problems.add('undefined-entity-or-bare-ampersand');
  return { root, problems: [...problems] };
}

// XML 1.0 §2.2: C0 controls other than tab, LF and CR are not characters; drop them.
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const CONTROL_ALL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
function stripControlChars(s: string): string {
  return CONTROL_RE.test(s) ? s.replace(CONTROL_ALL_RE, '') : s;
}

function normalizeNsUri(uri: string): string {
  let s = uri.trim().toLowerCase();
  if (s.startsWith('https:')) s = `http:${s.slice(6)}`;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 47 /* / */) end--;
  return s.slice(0, end);
}

/** The short name KNOWN_NS gives a namespace URI, undefined for one it does not know. */
function shortNamespace(uri: string): string | undefined {
  return KNOWN_NS[normalizeNsUri(uri)];
}

function pushScope(scope: Map<string, (string | undefined)[]>, prefix: string, uri: string): void {
  const short = shortNamespace(uri);
  const stack = scope.get(prefix);
  if (stack) stack.push(short);
  else scope.set(prefix, [short]);
}

function keyOf(el: XElement, scope: ReadonlyMap<string, readonly (string | undefined)[]>, problems: Set<string>): string {
  const colon = el.name.indexOf(':');
  const prefix = colon === -1 ? '' : el.name.slice(0, colon).toLowerCase();
  const local = (colon === -1 ? el.name : el.name.slice(colon + 1)).toLowerCase();
  if (prefix === 'xml') return `xml:${local}`;
  const declared = scope.get(colon === -1 ? '' : el.name.slice(0, colon));
  if (declared === undefined || declared.length === 0) {
    if (prefix === '') return local;
    if (!CONVENTIONAL_PREFIX.has(prefix)) problems.add('undeclared-namespace-prefix');
    return `${prefix}:${local}`;
  }
  const short = declared[declared.length - 1];
  // An unknown default namespace (a typo, an old draft URI, xmlns="") is read as no namespace, as readers do.
  if (short === undefined) return prefix === '' ? local : `${prefix}:${local}`;
  return short === '' ? local : `${short}:${local}`;
}

/** Resolves a possibly relative URL against a base (RFC 3986 §5), or returns undefined. */
export function resolveUrl(ref: string, base: string | undefined): string | undefined {
  // An absolute http(s) URL is kept as written (no case folding or re-encoding of what the source said).
  if (/^https?:\/\/[^\s/?#]+/i.test(ref) && !/\s/.test(ref)) return ref;
  try {
    return base ? new URL(ref, base).href : new URL(ref).href;
  } catch {
    return undefined;
  }
}

/** Returns the first child element whose key is one of `keys`, in document order. */
export function child(el: XElement, ...keys: string[]): XElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && keys.includes(c.key)) return c;
  return undefined;
}

/** Returns every child element whose key is one of `keys`. */
export function children(el: XElement, ...keys: string[]): XElement[] {
  const out: XElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && keys.includes(c.key)) out.push(c);
  return out;
}

/** Returns the concatenated text of an element and its descendants. */
export function textOf(el: XElement): string {
  let s = '';
  for (const c of el.children) s += typeof c === 'string' ? c : textOf(c);
  return s;
}

/** Returns an attribute by name, ignoring case and namespace prefix when no exact match exists. */
export function attr(el: XElement, name: string): string | undefined {
  const exact = el.attrs[name];
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(el.attrs)) {
    const kl = k.toLowerCase();
    if (kl === lower || kl.endsWith(`:${lower}`)) return v;
  }
  return undefined;
}

/** Serializes an element's children back to markup (for xhtml content, RFC 4287 §3.1.1.3). */
export function innerXml(el: XElement): string {
  let s = '';
  for (const c of el.children) s += typeof c === 'string' ? escapeText(c) : outerXml(c);
  return s;
}

function outerXml(el: XElement): string {
  const colon = el.name.indexOf(':');
  const name = colon === -1 ? el.name : el.name.slice(colon + 1);
  let s = `<${name}`;
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    s += ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`;
  }
  if (el.children.length === 0) return `${s} />`;
  return `${s}>${innerXml(el)}</${name}>`;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

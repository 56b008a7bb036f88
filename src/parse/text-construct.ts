import { isValidUtf8 } from './decode-body.js';
import { resolveHtmlUrls } from './resolve-html-urls.js';
import { sanitizeHtml } from './sanitize-html.js';
import { decodeXmlEntities } from './xml-entities.js';
import { attr, child, innerXml, textOf, type XElement } from './xml-tree.js';

/** The value of a text-bearing element and how to read it. */
export interface TextValue {
  value: string;
  type: 'html' | 'text';
}

const BASE64_RE = /^[A-Za-z0-9+/=\s]+$/;

/**
 * Reads an Atom text construct (RFC 4287 §3.1: type text | html | xhtml) or an Atom 0.3 content
 * construct (MIME type plus mode xml | escaped | base64).
 */
export function readTextConstruct(el: XElement, isContent = false): TextValue {
  const type = (attr(el, 'type') ?? 'text').trim().toLowerCase();
  const mode = attr(el, 'mode')?.trim().toLowerCase();
  // RFC 4287 §4.1.3.3: a non-text, non-XML media type means base64. Other constructs are read the
  // same way when the payload decodes to UTF-8 text; an unknown type over plain words stays text.
  if (mode === 'base64' || (mode === undefined && isBinaryType(type))) {
    const raw = textOf(el).trim();
    if (BASE64_RE.test(raw)) {
      const bytes = Buffer.from(raw, 'base64');
      if (mode === 'base64' || isContent || isValidUtf8(bytes)) {
        const decoded = bytes.toString('utf8');
        return { value: decoded, type: type.includes('html') || /<[a-z]/i.test(decoded) ? 'html' : 'text' };
      }
    }
  }
  if (type === 'xhtml' || type === 'application/xhtml+xml' || mode === 'xml' || hasElementChildren(el)) {
    // RFC 4287 §3.1.1.3: in Atom 1.0 xhtml the outer div is a wrapper, not content (Atom 0.3 has no such rule).
    const div = type === 'xhtml' ? child(el, 'xhtml:div') : undefined;
    const value = div ? innerXml(div) : innerXml(el);
    return { value: value.trim() === '' ? textOf(el) : value, type: 'html' };
  }
  if (type === 'html' || type === 'text/html' || mode === 'escaped') return { value: textOf(el), type: 'html' };
  return { value: textOf(el), type: 'text' };
}

// RFC 4287 §4.1.3.3: a non-text, non-XML media type means the content is base64.
function isBinaryType(type: string): boolean {
  if (type === 'text' || type === 'html' || type === 'xhtml') return false;
  if (type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml')) return false;
  return type.includes('/');
}

function hasElementChildren(el: XElement): boolean {
  return el.children.some((c) => typeof c !== 'string');
}

/** Makes feed HTML safe to pass on: sanitized (see sanitizeHtml), relative URLs resolved against `base`. */
export function safeHtml(html: string, base: string | undefined): string {
  return resolveHtmlUrls(sanitizeHtml(html), base);
}

/** Turns an HTML fragment into plain text (script/style dropped, tags dropped, entities decoded, spaces collapsed). */
export function htmlToText(html: string): string {
  const noTags = sanitizeHtml(html).replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '');
  return decodeXmlEntities(noTags, { lenient: false }).replace(/[ \t\r\n]+/g, ' ').trim();
}

/** Tells whether a string holds markup or character references and so should be read as HTML. */
export function looksLikeMarkup(s: string): boolean {
  return /<[A-Za-z!/]|&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/i.test(s);
}

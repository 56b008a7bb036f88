import { htmlparser2 } from '../model/htmlparser2.js';
import { isValidUtf8 } from './decode-body.js';
import { resolveHtmlUrls } from './resolve-html-urls.js';
import { decodeXmlEntities } from './xml-entities.js';
import { indexOfAsciiIgnoringCase, nextFinder } from './ascii-search.js';
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

// Elements whose escaped tags mark a whole escaped document rather than a mention of a tag in prose.
const ESCAPED_ELEMENTS = 'p|div|span|a|b|i|em|strong|u|s|br|hr|img|ul|ol|li|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|figure|figcaption|picture|source|video|audio|iframe|section|article|header|footer|small|sup|sub|cite|q|abbr|time|dl|dt|dd|center|font';
// The opening of an escaped tag, where one of the names fits: followed by a space (attributes up to
// the first `&gt;`) or by the `&gt;` itself.
const ESCAPED_TAG_HEAD_RE = new RegExp(`&lt;/?(?:${ESCAPED_ELEMENTS})(?=\\s|/?&gt;)`, 'iy');
const ESCAPED_TAG_CLOSE_RE = /\/?&gt;/iy;
const LEADING_ESCAPED_TAG_RE = new RegExp(`^\\s*&lt;(?:${ESCAPED_ELEMENTS})(?:\\s[^<>]*?)?/?&gt;`, 'i');
const REAL_TAG_RE = /<\/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?\/?>/;

/**
 * Counts escaped tags (`&lt;p&gt;`, `&lt;a href="…"&gt;`: what
 * /&lt;\/?(?:ELEMENTS)(?:\s[^<>]*?)?\/?&gt;/gi matches), up to `limit`. One pass: the next `&gt;` and
 * the next `<` or `>` are found once for all the openings before them, where the pattern searched
 * the rest of the text again from every opening.
 */
function countEscapedTags(html: string, limit: number): number {
  const gt = nextFinder((from) => indexOfAsciiIgnoringCase(html, '&gt;', from));
  const lt = nextFinder((from) => html.indexOf('<', from));
  const rawGt = nextFinder((from) => html.indexOf('>', from));
  let count = 0;
  for (let i = indexOfAsciiIgnoringCase(html, '&lt;'); i !== -1 && count < limit; i = indexOfAsciiIgnoringCase(html, '&lt;', i)) {
    ESCAPED_TAG_HEAD_RE.lastIndex = i;
    const head = ESCAPED_TAG_HEAD_RE.exec(html);
    if (head === null) {
      i += 1;
      continue;
    }
    const end = i + head[0].length;
    ESCAPED_TAG_CLOSE_RE.lastIndex = end;
    const close = ESCAPED_TAG_CLOSE_RE.exec(html);
    if (close !== null) {
      count++;
      i = end + close[0].length;
      continue;
    }
    // Attributes: up to the first `&gt;` after the space, with no `<` or `>` before it.
    const g = gt(end + 1);
    if (g !== -1 && !within(lt(end + 1), g) && !within(rawGt(end + 1), g)) {
      count++;
      i = g + 4;
    } else {
      i += 1;
    }
  }
  return count;
}

/** True when a found index lies before `limit`. */
function within(index: number, limit: number): boolean {
  return index !== -1 && index < limit;
}

/**
 * Undoes one level of escaping of an HTML value that is an escaped HTML document: some feeds escape
 * their HTML twice (`&amp;lt;p&amp;gt;` in the XML), so after XML decoding the value still shows
 * its tags as text (`&lt;p&gt;Hello&lt;/p&gt;`). Only a value with no real tag, that opens with an
 * escaped tag and holds another, is read so; prose that mentions a tag ("use the &lt;p&gt; element")
 * stays as it is.
 */
export function unescapeEscapedHtml(html: string): string {
  if (REAL_TAG_RE.test(html) || !LEADING_ESCAPED_TAG_RE.test(html)) return html;
  if (countEscapedTags(html, 2) < 2) return html;
  return decodeXmlEntities(html, { lenient: false });
}

/**
 * Reads feed HTML as the feed meant it: escaped twice undone once (see unescapeEscapedHtml),
 * relative URLs resolved against `base` (lost once the entry leaves this stage). It is not
 * sanitized here: HTML is sanitized once, by one policy, when it is published.
 */
export function feedHtml(html: string, base: string | undefined): string {
  return resolveHtmlUrls(unescapeEscapedHtml(html), base);
}

/** Removes every `<!-- … -->` (as /<!--[\s\S]*?-->/g does), in one pass: an unclosed one ends the search. */
export function withoutComments(s: string): string {
  let out = '';
  let at = 0;
  for (let open = s.indexOf('<!--'); open !== -1; open = s.indexOf('<!--', at)) {
    const close = s.indexOf('-->', open + 4);
    if (close === -1) break;
    out += s.slice(at, open);
    at = close + 3;
  }
  return at === 0 ? s : out + s.slice(at);
}

/** Removes every `<…>` (as /<[^>]*>/g does), in one pass: a `<` with no `>` after it ends the search. */
export function withoutTags(s: string): string {
  let out = '';
  let at = 0;
  for (let open = s.indexOf('<'); open !== -1; open = s.indexOf('<', at)) {
    const close = s.indexOf('>', open + 1);
    if (close === -1) break;
    out += s.slice(at, open);
    at = close + 1;
  }
  return at === 0 ? s : out + s.slice(at);
}

// C0 and C1 controls but tab, line feed, carriage return and NEL: never text. Bidirectional
// controls are text the feed wrote (feedparser keeps them too); normalize drops them from titles and names.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g;
/** Elements whose content is code, not text. */
const CODE_ELEMENTS: ReadonlySet<string> = new Set(['script', 'style', 'applet']);

/** Makes one line of plain text (a title): control characters removed, whitespace collapsed. */
export function plainLine(text: string): string {
  return text.replace(CONTROLS, '').replace(/[ \t\r\n\u0085]+/g, ' ').trim();
}

/** Turns an HTML fragment into one line of plain text (script/style dropped, tags dropped, entities decoded, see plainLine). */
export function htmlToText(html: string): string {
  if (html.indexOf('<') === -1) return plainLine(decodeXmlEntities(html, { lenient: false }));
  let text = '';
  let codeDepth = 0;
  const parser = new (htmlparser2().Parser)(
    {
      onopentag(name) { if (CODE_ELEMENTS.has(name)) codeDepth++; },
      onclosetag(name) { if (CODE_ELEMENTS.has(name) && codeDepth > 0) codeDepth--; },
      ontext(data) { if (codeDepth === 0) text += data; },
    },
    { decodeEntities: false, lowerCaseTags: true },
  );
  // A CDATA section inside HTML is text to show, not a comment to drop.
  parser.end(html.replace(/<!\[CDATA\[/g, '&lt;![CDATA['));
  return plainLine(decodeXmlEntities(text, { lenient: false }));
}

/**
 * Tells whether a string holds markup (a whole tag, `<` to `>`, or a comment) or character
 * references and so should be read as HTML; "a<b then c" or "I <3 feeds" in plain text hold no tag.
 */
export function looksLikeMarkup(s: string): boolean {
  return /<[A-Za-z/][^<>]*>|<!--|&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/i.test(s);
}

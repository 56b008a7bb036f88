import { createRequire } from 'node:module';
import type sanitize from 'sanitize-html';
import { isTrackingImage, isTrackingLink } from './tracking.js';

// A CommonJS package, required as such: imported, it came through an ES module wrapper whose exports Node.js finds by
// lexing its source (35 kB), in every process and parse worker that loads it.
const sanitizeWith = createRequire(import.meta.url)('sanitize-html') as typeof sanitize;

/** Text and structure a feed reader can show; anything else is unwrapped (kept as text) or dropped. */
const ALLOWED_TAGS: string[] = [
  'p', 'br', 'hr', 'a', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'q', 'cite',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'abbr',
  'h2', 'h3', 'h4', 'h5', 'h6', 'figure', 'figcaption', 'img', 'pre', 'code', 'kbd', 'samp',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];

/**
 * Elements whose content is not article text (code, embedded documents, controls, page
 * furniture): dropped with everything inside rather than unwrapped.
 */
const DROPPED_WITH_CONTENT: string[] = [
  'script', 'style', 'textarea', 'option', 'select', 'noscript', 'iframe', 'frame', 'frameset',
  'object', 'embed', 'applet', 'svg', 'math', 'template', 'head', 'title', 'button', 'form',
  'canvas', 'audio', 'video', 'map', 'xml',
  // Page furniture (HTML living standard sectioning): navigation, sidebars, site footers.
  'nav', 'aside', 'footer',
];

/** Elements nested deeper than this are unwrapped: no article needs more, and readers' layout engines suffer. */
export const NESTING_LIMIT = 64;

const LINK_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);
const LINK_REL = 'noopener noreferrer';
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// Browsers ignore control characters and spaces inside a scheme (WHATWG URL §4.4).
const CONTROL_AND_SPACE = /[\x00-\x20]+/g;
// XML 1.0 §2.2 Char: the published HTML goes into an Atom document, where any other character
// (a C0 control, a lone surrogate, U+FFFE/U+FFFF) makes the whole feed ill-formed.
const NON_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// A link with more text than this is not empty; reading a longer text would flatten it for nothing.
const EMPTY_LINK_MAX_CHARS = 256;

/**
 * Resolves `value` against `base` and returns it when its scheme is allowed; undefined otherwise.
 * Resolving first matters: the WHATWG parser strips tabs and newlines, so `jav&#x09;ascript:`
 * is seen as the `javascript:` it is. Without a base, a relative URL is kept only when it cannot
 * carry a scheme of its own.
 */
function allowedUrl(value: string, base: string | undefined, schemes: ReadonlySet<string>): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return HAS_SCHEME.test(trimmed.replace(CONTROL_AND_SPACE, '')) ? undefined : trimmed;
  }
  return schemes.has(parsed.protocol) ? parsed.href : undefined;
}

const linkAttributes = (base: string | undefined): sanitize.Transformer => (tagName, attribs) => {
  const out: sanitize.Attributes = {};
  const href = attribs['href'] === undefined ? undefined : allowedUrl(attribs['href'], base, LINK_SCHEMES);
  if (href !== undefined) {
    out['href'] = href;
    out['rel'] = LINK_REL;
  }
  if (attribs['title'] !== undefined) out['title'] = attribs['title'];
  return { tagName, attribs: out };
};

const imageAttributes = (base: string | undefined): sanitize.Transformer => (tagName, attribs) => {
  const src = attribs['src'] === undefined ? undefined : allowedUrl(attribs['src'], base, IMAGE_SCHEMES);
  const out: sanitize.Attributes = { ...attribs };
  // Judged here, on the original attributes: by exclusiveFilter time style is already stripped.
  if (src === undefined || isTrackingImage({ ...attribs, src })) delete out['src'];
  else out['src'] = src;
  return { tagName, attribs: out };
};

function exclusiveFilter(frame: sanitize.IFrame): boolean | 'excludeTag' {
  if (frame.tag === 'img') return frame.attribs['src'] === undefined;
  if (frame.tag !== 'a') return false;
  const href = frame.attribs['href'];
  if (href !== undefined && isTrackingLink(href)) return true;
  // A link left with nothing inside (its beacon image removed) is an invisible click target.
  if (frame.mediaChildren.length === 0 && frame.text.length <= EMPTY_LINK_MAX_CHARS && frame.text.trim() === '') return true;
  // A link whose target was unsafe or unusable keeps its words, not the <a>.
  return href === undefined ? 'excludeTag' : false;
}

/** The one policy, with relative URLs resolved against `base`. */
function policy(base: string | undefined): sanitize.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      abbr: ['title'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      ol: ['start'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    nestingLimit: NESTING_LIMIT,
    transformTags: {
      // h1 belongs to the reader's own page title; keep the heading one level down.
      h1: 'h2',
      a: linkAttributes(base),
      img: imageAttributes(base),
    },
    exclusiveFilter,
  };
}

/**
 * Sanitizes article HTML for display (the feed's content, report and article pages): the one
 * allow-list policy of feedfold. Allow-listed tags and attributes only; no scripts, styles, frames,
 * forms, embeds, SVG/MathML or event handlers; only http(s)/mailto links (marked
 * rel="noopener noreferrer") and http(s) images, relative ones made absolute against `baseUrl`;
 * tracking pixels and feed-service share buttons removed; characters XML 1.0 forbids removed.
 */
export function sanitizeHtml(html: string, baseUrl?: string): string {
  return sanitizeWith(html.replace(NON_XML_CHARS, ''), policy(baseUrl)).trim();
}

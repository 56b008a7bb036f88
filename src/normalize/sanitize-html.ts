import sanitize from 'sanitize-html';
import { stripTracking } from './canonical-url.js';
import { isTrackingImage, isTrackingLink } from './tracking-pixel.js';

/** Text and structure a feed reader can show; anything else is unwrapped (kept as text) or dropped. */
const ALLOWED_TAGS: string[] = [
  'p', 'br', 'hr', 'a', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'q', 'cite',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'abbr',
  'h2', 'h3', 'h4', 'h5', 'h6', 'figure', 'figcaption', 'img', 'pre', 'code', 'kbd', 'samp',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];

/**
 * Elements whose content is not article text (code, embedded documents, controls): dropped with
 * everything inside rather than unwrapped.
 */
const DROPPED_WITH_CONTENT: string[] = [
  'script', 'style', 'textarea', 'option', 'select', 'noscript', 'iframe', 'frame', 'frameset',
  'object', 'embed', 'applet', 'svg', 'math', 'template', 'head', 'title', 'button', 'form',
  'canvas', 'audio', 'video', 'map', 'xml',
  // Page furniture (HTML living standard sectioning): navigation, sidebars, site footers.
  'nav', 'aside', 'footer',
];

const LINK_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);
const LINK_REL = 'noopener noreferrer';
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// Browsers ignore control characters and spaces inside a scheme (WHATWG URL §4.4).
const CONTROL_AND_SPACE = /[\x00-\x20]+/g;

/**
 * Resolves `value` against `base` and returns it when its scheme is allowed; undefined otherwise.
 * Resolving first matters: the WHATWG parser strips tabs and newlines, so `jav&#x09;ascript:`
 * is seen as the `javascript:` it is.
 */
function resolveUrl(value: string, base: string | undefined, schemes: ReadonlySet<string>): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    // Relative without a base: keep it only when it cannot carry a scheme of its own.
    return HAS_SCHEME.test(trimmed.replace(CONTROL_AND_SPACE, '')) ? undefined : trimmed;
  }
  return schemes.has(parsed.protocol) ? stripTracking(parsed.href) : undefined;
}

/**
 * Base URL of the sanitizeHtml call in progress. sanitize-html runs synchronously, so one shared
 * options object can read it; rebuilding the options per call would cost more than the sanitizing.
 */
let currentBase: string | undefined;

const OPTIONS: sanitize.IOptions = {
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
  transformTags: {
    // h1 belongs to the reader's own page title; keep the heading one level down.
    h1: 'h2',
    a: (tagName, attribs) => {
      const out: sanitize.Attributes = {};
      const href = attribs['href'] === undefined ? undefined : resolveUrl(attribs['href'], currentBase, LINK_SCHEMES);
      if (href !== undefined) {
        out['href'] = href;
        out['rel'] = LINK_REL;
      }
      if (attribs['title'] !== undefined) out['title'] = attribs['title'];
      return { tagName, attribs: out };
    },
    img: (tagName, attribs) => {
      // Lazy-loading themes put the real image in data-src and a placeholder in src.
      const raw = attribs['data-src'] ?? attribs['data-lazy-src'] ?? attribs['src'] ?? '';
      const src = resolveUrl(raw, currentBase, IMAGE_SCHEMES);
      const out: sanitize.Attributes = { ...attribs };
      delete out['data-src'];
      delete out['data-lazy-src'];
      // Judged here, on the original attributes: by exclusiveFilter time style is already stripped.
      if (src === undefined || isTrackingImage({ ...attribs, src })) delete out['src'];
      else out['src'] = src;
      return { tagName, attribs: out };
    },
  },
  exclusiveFilter: (frame) => {
    if (frame.tag === 'img') return frame.attribs['src'] === undefined;
    if (frame.tag === 'a') {
      const href = frame.attribs['href'];
      if (href !== undefined && isTrackingLink(href)) return true;
      // A link left with nothing inside (its beacon image removed) is an invisible click target.
      if (frame.text.trim() === '' && frame.mediaChildren.length === 0) return true;
      // A link whose target was unsafe or unusable keeps its words, not the <a>.
      return href === undefined ? 'excludeTag' : false;
    }
    return false;
  },
};

/**
 * Sanitizes article HTML from a feed for republishing: allow-listed tags and attributes only,
 * no scripts, styles, frames, forms or event handlers, only http(s)/mailto links and http(s)
 * images made absolute against `baseUrl`, links marked rel="noopener noreferrer", tracking
 * pixels and tracking parameters removed.
 */
export function sanitizeHtml(html: string, baseUrl?: string): string {
  currentBase = baseUrl;
  try {
    return sanitize(html, OPTIONS).trim();
  } finally {
    currentBase = undefined;
  }
}

// Text extraction lives in its own file (one concern per file); re-exported for callers that look here.
export { htmlToText } from './html-to-text.js';

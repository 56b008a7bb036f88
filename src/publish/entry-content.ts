import sanitizeHtml from 'sanitize-html';
import type { Article } from '../model/article.js';
import type { StoryView } from '../model/story.js';
import { escapeHtml, isHttpUrl, oneLine, xmlSafe } from './xml-text.js';

// Defence in depth: normalize already sanitized the HTML, but a feed reader renders whatever we
// publish, so script, styles, frames, forms and event handlers are dropped again here.
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'picture', 'del', 'ins'],
  allowedAttributes: {
    a: ['href', 'title', 'hreflang'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    '*': ['lang', 'dir'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    time: ['datetime'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template'],
};

/** Sanitizes article HTML once more before it is published in a feed or report. */
export function sanitizeForPublish(html: string): string {
  // sanitize-html keeps control characters, which XML 1.0 forbids even inside CDATA.
  return sanitizeHtml(xmlSafe(html), SANITIZE_OPTIONS).trim();
}

/** Names a version for people: the outlet, then its title. */
export function outletName(article: Article): string {
  return oneLine(article.sourceTitle) || oneLine(article.sourceId) || 'unknown source';
}

function otherVersionItem(article: Article, canonicalLanguage: string): string {
  const outlet = `<strong>${escapeHtml(outletName(article))}</strong>`;
  const title = escapeHtml(oneLine(article.title));
  const differs = article.language !== canonicalLanguage && article.language !== 'und';
  const lang = differs ? ` (${escapeHtml(article.language)})` : '';
  const hreflang = differs ? ` hreflang="${escapeHtml(article.language)}"` : '';
  const titled = isHttpUrl(article.url) ? `<a href="${escapeHtml(article.url)}"${hreflang}>${title}</a>` : title;
  return `<li>${outlet}: ${titled}${lang}</li>`;
}

/**
 * Builds the entry's HTML content: the canonical's sanitized HTML (or its text when it has none),
 * then an "Also reported by" list naming every other version, because readers show content, not
 * link elements (DESIGN.md, Atom output contract).
 */
export function buildEntryHtml(story: StoryView): string {
  const canonical = story.canonical;
  const body = sanitizeForPublish(canonical.html);
  const parts = [body.replace(/<p>\s*<\/p>/g, '').trim() !== '' ? body : `<p>${escapeHtml(canonical.text)}</p>`];
  if (story.others.length > 0) {
    const items = story.others.map((other) => otherVersionItem(other, canonical.language));
    parts.push(`<p>Also reported by:</p>\n<ul>\n${items.join('\n')}\n</ul>`);
  }
  return parts.join('\n');
}

/** Returns a short plain-text summary (at most `maxChars`), cut at a word boundary. */
export function buildSummary(text: string, maxChars: number): string | undefined {
  const clean = oneLine(text);
  if (clean === '') return undefined;
  if (clean.length <= maxChars) return clean;
  const cut = clean.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

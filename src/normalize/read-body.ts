import { DomUtils } from 'htmlparser2';
import { isCaptionElement, removePageFurniture } from './boilerplate-html.js';
import { normalizeText } from './clean-text.js';
import { documentToText, htmlToText, parseHtml } from './html-to-text.js';
import { sanitizeHtml } from './sanitize-html.js';

/** An item body read once: its normalized text (boilerplate lines still in) and, for HTML, its safe HTML. */
export interface ReadBody {
  /** Normalized text before line-level boilerplate removal. */
  rawText: string;
  /** Sanitized HTML without page furniture; undefined for plain-text bodies (built from clean text later). */
  html?: string;
}

/**
 * Reads an item body: for HTML, parses it once, removes page furniture (share bars, related
 * lists, sidebars) from the DOM, takes the text without captions and credits, and sanitizes the
 * rest against `baseUrl`; for plain text, normalizes it. A body that is nothing but furniture is
 * kept whole rather than emptied.
 */
export function readBody(body: string, isHtml: boolean, baseUrl: string | undefined): ReadBody {
  if (!isHtml) return { rawText: normalizeText(body) };
  const document = parseHtml(body);
  const removed = removePageFurniture(document.children);
  // Furniture is gone from the DOM already; only captions and credits remain to skip.
  const rawText = normalizeText(documentToText(document, { skipElement: isCaptionElement }));
  if (rawText === '') return { rawText: normalizeText(htmlToText(body)), html: sanitizeHtml(body, baseUrl) };
  const cleaned = removed > 0 ? DomUtils.getOuterHTML(document.children) : body;
  return { rawText, html: sanitizeHtml(cleaned, baseUrl) };
}

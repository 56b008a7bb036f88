import { isCaptionElement, removePageFurniture } from './boilerplate-html.js';
import { normalizeText } from './clean-text.js';
import { documentToText, parseHtml } from './html-to-text.js';
import { storedHtml } from './stored-html.js';

/** An item body read once: its normalized text (boilerplate lines still in) and, for HTML, the HTML to store. */
export interface ReadBody {
  /** Normalized text before line-level boilerplate removal. */
  rawText: string;
  /** HTML the text was read from, page furniture removed (see storedHtml); undefined for plain-text bodies (built from clean text later). */
  html?: string;
  /** Images the HTML shows (0 for plain text). */
  images: number;
}

/**
 * Reads an item body: for HTML, parses it once, removes page furniture (share bars, related
 * lists, sidebars) from the DOM, takes the text without captions and credits, and keeps the rest
 * for the store with its addresses resolved against `baseUrl`; for plain text, normalizes it. A
 * body that is nothing but furniture is kept whole rather than emptied.
 */
export function readBody(body: string, isHtml: boolean, baseUrl: string | undefined): ReadBody {
  if (!isHtml) return { rawText: normalizeText(body), images: 0 };
  const document = parseHtml(body);
  const removed = removePageFurniture(document.children);
  // Furniture is gone from the DOM already; only captions and credits remain to skip.
  const rawText = normalizeText(documentToText(document, { skipElement: isCaptionElement }));
  if (rawText === '') {
    const whole = removed > 0 ? parseHtml(body) : document;
    const stored = storedHtml(whole, baseUrl);
    return { rawText: normalizeText(documentToText(whole)), html: stored.html, images: stored.images };
  }
  const stored = storedHtml(document, baseUrl);
  return { rawText, html: stored.html, images: stored.images };
}

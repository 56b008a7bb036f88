import type { Article } from '../model/article.js';
import type { StoryView } from '../model/story.js';
import { sanitizeHtml } from '../sanitize/sanitize-html.js';
import { truncateHtml, utf8Bytes } from '../sanitize/truncate.js';
import { escapeHtml, isHttpUrl, oneLine } from './xml-text.js';

/** Default of `feed.maxEntryBytes`: the most HTML one entry's content publishes, in UTF-8 bytes. */
export const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024;
/** Share of an entry's content the "Also reported by" list may take; the article keeps the rest. */
const LIST_SHARE = 0.5;
/**
 * How far into stored HTML the sanitizer reads, as a multiple of the budget: sanitizing shrinks
 * HTML, so this much fills any budget, and a huge stored article costs no more than that.
 */
const READ_FACTOR = 8;

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

/** The note that ends a cut article: an ellipsis, and a link to the whole text where there is one. */
function cutNote(article: Article): string {
  if (!isHttpUrl(article.url)) return '<p>…</p>';
  return `<p>… <a href="${escapeHtml(article.url)}">Read the whole article at ${escapeHtml(outletName(article))}</a></p>`;
}

/** An article's HTML as published: sanitized, cut. */
export interface ArticleHtml {
  html: string;
  /** True when the article was cut to fit (the HTML then ends with a note linking the original). */
  cut: boolean;
}

/**
 * Returns an article's HTML for display in at most `maxBytes` UTF-8 bytes: its stored HTML through
 * the one sanitizer policy (its text as paragraphs when that leaves nothing), cut at a safe
 * boundary with a note linking the original when it is longer.
 */
export function articleHtml(article: Article, maxBytes: number): ArticleHtml {
  const read = truncateHtml(article.html, maxBytes * READ_FACTOR);
  let html = sanitizeHtml(read.value, isHttpUrl(article.url) ? article.url : undefined);
  if (html.replace(/<p>\s*<\/p>/g, '').trim() === '') html = `<p>${escapeHtml(article.text)}</p>`;
  if (!read.cut && utf8Bytes(html) <= maxBytes) return { html, cut: false };
  const note = cutNote(article);
  const kept = truncateHtml(html, Math.max(0, maxBytes - utf8Bytes(note) - 1)).value;
  return { html: `${kept}\n${note}`, cut: true };
}

/** An entry's content: its HTML, whether the article was cut, and the other versions it lists. */
export interface EntryContent {
  html: string;
  cut: boolean;
  /** The other versions named in the list (and linked as related), earliest first. */
  listed: Article[];
}

/** Builds the "Also reported by" list within `budget` bytes; versions past it are counted, not named. */
function alsoReported(story: StoryView, budget: number): { html: string; listed: Article[] } {
  if (story.others.length === 0) return { html: '', listed: [] };
  const head = '<p>Also reported by:</p>\n<ul>\n';
  const tail = '\n</ul>';
  const items: string[] = [];
  let bytes = utf8Bytes(head) + utf8Bytes(tail);
  for (const other of story.others) {
    const item = otherVersionItem(other, story.canonical.language);
    // Room for this item, and for the line that counts the ones after it.
    if (bytes + utf8Bytes(item) + 64 > budget && items.length > 0) break;
    items.push(item);
    bytes += utf8Bytes(item) + 1;
  }
  const listed = story.others.slice(0, items.length);
  const rest = story.others.length - listed.length;
  if (rest > 0) items.push(`<li>and ${rest} other version${rest === 1 ? '' : 's'}</li>`);
  return { html: `${head}${items.join('\n')}${tail}`, listed };
}

/**
 * Builds the entry's HTML content within `maxBytes` UTF-8 bytes: the canonical's sanitized HTML
 * (or its text when it has none), then an "Also reported by" list naming the other versions,
 * because readers show content, not link elements (DESIGN.md, Atom output contract). The list
 * takes at most half the budget and the article the rest, cut with a note linking the original.
 */
export function buildEntryContent(story: StoryView, maxBytes: number = DEFAULT_MAX_ENTRY_BYTES): EntryContent {
  const list = alsoReported(story, Math.floor(maxBytes * LIST_SHARE));
  const listBytes = list.html === '' ? 0 : utf8Bytes(list.html) + 1;
  const body = articleHtml(story.canonical, maxBytes - listBytes);
  return { html: list.html === '' ? body.html : `${body.html}\n${list.html}`, cut: body.cut, listed: list.listed };
}

/** Builds the entry's HTML content (see {@link buildEntryContent}). */
export function buildEntryHtml(story: StoryView, maxBytes: number = DEFAULT_MAX_ENTRY_BYTES): string {
  return buildEntryContent(story, maxBytes).html;
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

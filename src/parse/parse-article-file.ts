import { htmlparser2 } from '../model/htmlparser2.js';
import type { RawEntry } from '../model/raw-entry.js';
import { indexOfAsciiIgnoringCase, trimEndWhere } from './ascii-search.js';
import { parseDate } from './parse-date.js';
import { htmlToText } from './text-construct.js';

/** Longest derived title, in characters, ellipsis included. */
export const DERIVED_TITLE_MAX_CHARS = 110;
/** Longest line still read as a headline, in characters. */
const TITLE_LINE_MAX_CHARS = 200;
/** One character of the punctuation and spaces trimmed from the end of a cut title. */
const TRAILING_PUNCTUATION = /[\s,;:–—-]/;
const DATE_PREFIX_RE = /^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*/i;
// A byline or dateline such as "March 1, 2025 by Linh": not a headline, but it dates the article.
// After the keyword, spaces then text to the end (`\s+.+` once): written so that the spaces and
// the text cannot trade characters, which took time quadratic in a run of spaces.
const DATELINE_RE = /^([A-Z][a-z]+\.? \d{1,2}, \d{4})(?:\s+(?:by|von|par)\s(?:\s*[\n\r\u2028\u2029])?[^\n\r\u2028\u2029]+)?$/;

/** Reads one article file (plain text with optional `date` header, or HTML) into a RawEntry with a title, date and body. */
export function parseArticleFile(text: string, fileName: string): RawEntry {
  if (/\.x?html?$/i.test(fileName)) return parseHtmlArticle(text);
  return parseTextArticle(text.replace(/^\ufeff/, ''));
}

function parseTextArticle(input: string): RawEntry {
  const e: RawEntry = { contentType: 'text' };
  let body = input;
  const dm = DATE_PREFIX_RE.exec(body);
  if (dm?.[1]) {
    e.publishedRaw = dm[1];
    const iso = parseDate(dm[1]);
    if (iso) e.published = iso;
    body = body.slice(dm[0].length);
  }
  const lines = body.split(/\r?\n/);
  const drop = new Set<number>();
  let title: string | undefined;
  let seen = 0;
  let headlineDone = false;
  for (let i = 0; i < lines.length && seen < 5; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    seen++;
    const dateline = DATELINE_RE.exec(line);
    if (dateline) {
      if (!e.published && dateline[1]) {
        const iso = parseDate(dateline[1]);
        if (iso) { e.published = iso; e.publishedRaw = dateline[1]; }
      }
      drop.add(i);
      continue;
    }
    if (headlineDone) continue;
    if (isSiteName(line) && seen === 1) { drop.add(i); continue; }
    if (isHeadline(line)) { title = cleanHeadline(line); drop.add(i); }
    headlineDone = true;
  }
  const content = lines.filter((_, i) => !drop.has(i)).join('\n').trim();
  if (content) e.content = content;
  if (title) e.title = title;
  else if (content) {
    e.title = deriveTitle(content);
    e.titleDerived = true;
  }
  return e;
}

// A masthead like "The News Life": a few capitalised words and nothing else.
function isSiteName(line: string): boolean {
  const words = line.split(/\s+/);
  return words.length <= 3 && line.length <= 30 && words.every((w) => /^[\p{Lu}\d]/u.test(w)) && !/[.!?:]$/.test(line);
}

// A headline is short, is not a finished sentence, and has a few words.
function isHeadline(line: string): boolean {
  if (line.length > TITLE_LINE_MAX_CHARS) return false;
  if (line.split(/\s+/).length < 3) return false;
  return !/[.!?:;,]["'”’)]?$/.test(line);
}

// Headlines copied with quotes and a trailing site tag ("“Headline”.Viet") keep the quoted part.
function cleanHeadline(line: string): string {
  const quoted = /^[“"](.+)[”"][.\s]*[\p{L}.]{0,15}$/u.exec(line);
  return (quoted?.[1] ?? line).trim();
}

/** Makes a title from the first sentence, cut on a word boundary to at most DERIVED_TITLE_MAX_CHARS with an ellipsis. */
export function deriveTitle(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! ? followed by a space and an upper-case letter or quote, not after an initial ("L.A.").
  const m = /^(.+?(?<!\b\p{Lu})[.!?])(?=\s+[\p{Lu}"“„'‘(])/u.exec(flat);
  const sentence = (m?.[1] ?? flat).trim();
  if (sentence.length <= DERIVED_TITLE_MAX_CHARS) return sentence;
  const room = sentence.slice(0, DERIVED_TITLE_MAX_CHARS - 1);
  const cut = room.lastIndexOf(' ');
  return `${trimEndWhere(cut > 20 ? room.slice(0, cut) : room, (ch) => TRAILING_PUNCTUATION.test(ch))}…`;
}

/**
 * Returns what `<body …>` holds, up to `</body>` or the end; undefined without a body tag. The same
 * as /<body[^>]*>([\s\S]*?)(?:<\/body>|$)/i, found in one pass.
 */
export function bodyOf(html: string): string | undefined {
  const open = indexOfAsciiIgnoringCase(html, '<body');
  if (open === -1) return undefined;
  const start = html.indexOf('>', open + 5);
  if (start === -1) return undefined;
  const close = indexOfAsciiIgnoringCase(html, '</body>', start + 1);
  return html.slice(start + 1, close === -1 ? html.length : close);
}

function parseHtmlArticle(html: string): RawEntry {
  let title = '';
  let h1 = '';
  let published: string | undefined;
  let inTitle = false;
  let inH1 = false;
  let h1Done = false;
  const parser = new (htmlparser2().Parser)(
    {
      onopentag(name, attrs) {
        if (name === 'title') inTitle = true;
        if (name === 'h1' && !h1Done) inH1 = true;
        if (name === 'meta' && !published) {
          const prop = (attrs['property'] ?? attrs['name'] ?? '').toLowerCase();
          if (prop === 'article:published_time' || prop === 'date' || prop === 'dc.date') published = attrs['content'];
        }
        if (name === 'time' && !published && attrs['datetime']) published = attrs['datetime'];
      },
      ontext(t) {
        if (inTitle) title += t;
        if (inH1) h1 += t;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (name === 'h1' && inH1) { inH1 = false; h1Done = true; }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  const e: RawEntry = { contentType: 'html' };
  const heading = (h1 || title).replace(/\s+/g, ' ').trim();
  // The body as written: normalize reads its text, and it is sanitized once, when published.
  const body = (bodyOf(html) ?? html).trim();
  if (body) e.content = body;
  if (heading) e.title = heading;
  else if (body) {
    e.title = deriveTitle(htmlToText(body));
    e.titleDerived = true;
  }
  if (published) {
    e.publishedRaw = published;
    const iso = parseDate(published);
    if (iso) e.published = iso;
  }
  return e;
}

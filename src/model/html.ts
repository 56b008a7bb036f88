/**
 * The HTML every page feedfold writes shares (the report, the pages of local articles, the review app): escaping and
 * the document's head, kept here so the stages that write pages do not import one another.
 */

const SPECIAL_CHARS = /[&<>"']/g;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(SPECIAL_CHARS, (ch) => ESCAPES[ch] ?? ch);
}

/**
 * Starts an HTML document up to `</head>`: UTF-8, a phone's viewport, no referrer sent to the sites it links to, the
 * title and the page's style. `title` and `extraHead` are HTML already escaped by the caller.
 */
export function htmlDocumentHead(opts: { lang: string; title: string; css: string; extraHead?: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(opts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${opts.title}</title>
${opts.extraHead === undefined ? '' : `${opts.extraHead}\n`}<style>${opts.css}</style>
</head>`;
}

import { createHash } from 'node:crypto';
import type { Article } from '../model/article.js';
import { htmlDocumentHead } from '../model/html.js';
import { articleHtml, outletName } from './entry-content.js';
import { escapeHtml, oneLine, toRfc3339 } from './xml-text.js';

/** Default bound of an article page's article, in UTF-8 bytes (the default of `limits.maxArticleBytes`). */
export const DEFAULT_MAX_PAGE_BYTES = 256 * 1024;

/** Directory under `out/` (and path under the server root) of pages for articles that have no web address. */
export const ARTICLE_PAGES_DIR = 'articles';

/**
 * Longest page stem: with `.html` and the 26 characters the atomic write adds to its temporary
 * name (`.NAME.PID.RANDOM.tmp`), a page's files stay within NAME_MAX (255 bytes), the longest file
 * name most file systems allow; a longer stem failed the whole run with ENAMETOOLONG.
 */
const MAX_PAGE_STEM_CHARS = 224;
/** A long stem keeps this many characters, then a dash and a digest of the whole stem. */
const KEPT_STEM_CHARS = MAX_PAGE_STEM_CHARS - 17;

/** Tells whether a URL names a page feedfold publishes itself, and returns its file name. */
export function articlePageName(url: string | undefined, baseUrl: string): string | undefined {
  if (!url || !url.startsWith(baseUrl)) return undefined;
  const name = url.slice(baseUrl.length);
  return name.length <= MAX_PAGE_STEM_CHARS + '.html'.length && /^[a-z0-9][a-z0-9._-]*\.html$/i.test(name) ? name : undefined;
}

/**
 * Derives the page URL of a local article file (seeds, article folders): base + source + file
 * stem; a stem too long for a file name is cut and made unique again with a digest of the whole.
 */
export function articlePageUrl(baseUrl: string, sourceId: string, fileName: string): string {
  let stem = `${sourceId}--${fileName.replace(/\.[^.]*$/, '')}`.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  if (stem.length > MAX_PAGE_STEM_CHARS) stem = `${stem.slice(0, KEPT_STEM_CHARS)}-${createHash('sha256').update(stem).digest('hex').slice(0, 16)}`;
  return `${baseUrl}${stem}.html`;
}

const ARTICLE_PAGE_CSS = 'body{font:17px/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}header p{color:#555;font-size:.9rem}';

/**
 * Renders the page of a local article (one that came from a file, not the web), so the feed's
 * links to it lead somewhere when feedfold serves its output folder; the article's HTML goes
 * through the one sanitizer policy and is cut at `maxBytes`.
 */
export function renderArticlePage(article: Article, feedTitle: string, maxBytes: number = DEFAULT_MAX_PAGE_BYTES): string {
  const published = toRfc3339(article.published ?? article.firstSeen) ?? '';
  const title = escapeHtml(oneLine(article.title));
  const author = oneLine(article.author ?? '');
  return `${htmlDocumentHead({ lang: article.language === 'und' ? 'en' : article.language, title, css: ARTICLE_PAGE_CSS })}
<body>
<header>
<h1>${title}</h1>
<p>${escapeHtml(outletName(article))} · ${escapeHtml(published.slice(0, 10))}${author !== '' ? ` · ${escapeHtml(author)}` : ''} · via ${escapeHtml(oneLine(feedTitle))}</p>
</header>
<main>
${articleHtml(article, maxBytes).html}
</main>
</body>
</html>
`;
}

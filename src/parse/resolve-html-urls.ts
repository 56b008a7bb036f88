import { resolveUrl } from './xml-tree.js';

// HTML attributes that hold a URL (HTML 4.01 §B "URI" attributes, plus video poster).
const TAG_RE = /<[A-Za-z][^<>]*>/g;
const URL_ATTR_RE = /(\s(?:href|src|cite|poster|background|longdesc|action|usemap|codebase|profile)\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;

/**
 * Resolves relative URLs in an HTML fragment's link attributes against the base in scope where
 * the fragment was found (xml:base, then the document URL; XML Base §4.2, RFC 3986 §5): the base
 * is lost once the entry leaves the parse stage.
 */
export function resolveHtmlUrls(html: string, base: string | undefined): string {
  if (!base || html.indexOf('=') === -1) return html;
  return html.replace(TAG_RE, (tag) =>
    tag.replace(URL_ATTR_RE, (whole: string, head: string, _q: string, dq?: string, sq?: string, bare?: string) => {
      const raw = dq ?? sq ?? bare ?? '';
      const value = raw.trim();
      if (value === '' || value.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(value)) return whole;
      const abs = resolveUrl(value, base);
      if (!abs) return whole;
      const quote = sq !== undefined ? "'" : '"';
      return `${head}${quote}${abs.replace(/"/g, '&quot;')}${quote}`;
    }),
  );
}

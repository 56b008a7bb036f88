import { htmlparser2 } from '../model/htmlparser2.js';

const FEED_TYPES = new Set(['application/atom+xml', 'application/rss+xml', 'application/feed+json', 'application/json', 'application/rdf+xml', 'application/x.atom+xml', 'application/x-atom+xml']);
const LEADING_NOISE_RE = /^(?:\ufeff|\s|<\?xml[^>]*\?>|<!--[\s\S]*?-->)*/;

/** Returns the feed URLs a web page advertises with `<link rel="alternate" type="…feed type…">`, resolved against the page (or its `<base href>`). */
export function discoverFeedLinks(html: string, baseUrl: string): string[] {
  let base = baseUrl;
  const hrefs: string[] = [];
  const parser = new (htmlparser2().Parser)(
    {
      onopentag(name, attrs) {
        if (name === 'base' && attrs['href']) {
          try { base = new URL(attrs['href'].trim(), baseUrl).href; } catch { /* keep the page URL */ }
          return;
        }
        if (name !== 'link' || !attrs['href']) return;
        const rels = (attrs['rel'] ?? '').toLowerCase().split(/\s+/);
        const type = (attrs['type'] ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
        // HTML Living Standard §4.6.7.1: rel=alternate with a feed type marks a feed.
        if (rels.includes('alternate') && FEED_TYPES.has(type)) hrefs.push(attrs['href'].trim());
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  const out: string[] = [];
  for (const href of hrefs) {
    try {
      const url = new URL(href, base).href;
      if (!out.includes(url)) out.push(url);
    } catch { /* an unparseable href is not a feed link */ }
  }
  return out;
}

/** Tells whether a document is an HTML page rather than a feed, from how it starts. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096).replace(LEADING_NOISE_RE, '');
  const afterDoctype = head.replace(/^<!doctype[^>]*>/i, '').replace(LEADING_NOISE_RE, '');
  // Judge by the first element: feeds sometimes carry a stray XHTML DOCTYPE before <rss>.
  if (/^<(rss|feed|rdf:rdf|channel)[\s>]/i.test(afterDoctype)) return false;
  if (/^<!doctype\s+html/i.test(head)) return true;
  return /^<(html|head|body)[\s>]/i.test(afterDoctype);
}

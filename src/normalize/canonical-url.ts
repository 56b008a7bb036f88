import { trimEndWhere } from './trim-end.js';

/**
 * Query parameters that only track the reader (campaign, click and share ids). They never
 * select content, so two URLs differing only by them name the same article.
 */
const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'igshid', 'igsh', 'li_fat_id', 'mc_cid', 'mc_eid', 'mkt_tok', '_ga', '_gl', '_hsenc', '_hsmi',
  'hsctatracking', 'ref', 'ref_src', 'ref_url', 'cmpid', 'ncid', 'sr_share',
  'oly_anon_id', 'oly_enc_id', 'vero_id', 'vero_conv', 's_cid', 'wt.mc_id', 'wt_mc', 'ito', 'xtor',
  'at_medium', 'at_campaign', 'at_custom1', 'at_custom2', 'at_custom3', 'at_custom4', 'smid',
  'smtyp', 'spm', 'soc_src', 'soc_trk', '__twitter_impression', 'guccounter', 'guce_referrer',
  'guce_referrer_sig',
]);

/** Parameter-name prefixes that are tracking families (Google Analytics campaign tags and the like). */
const TRACKING_PREFIXES: readonly string[] = ['utm_', 'pk_', 'mtm_', 'hmb_', 'ga_', 'itm_', 'oly_'];

const PLUS = /\+/g;
/**
 * A scheme other than http(s), written plainly (nothing in it that the URL parser strips or drops), and its colon: a
 * URL that opens with one is absolute whatever its base, and is known to be no web page without being parsed.
 */
const OTHER_SCHEME = /^(?!https?:)[a-z][a-z\d+.-]*:/i;

/** Returns true when the query parameter named `name` only tracks the reader. */
export function isTrackingParam(name: string): boolean {
  const key = safeDecode(name).toLowerCase();
  if (TRACKING_PARAMS.has(key)) return true;
  for (const prefix of TRACKING_PREFIXES) if (key.startsWith(prefix)) return true;
  return false;
}

function safeDecode(component: string): string {
  try {
    return decodeURIComponent(component.replace(PLUS, ' '));
  } catch {
    return component;
  }
}

/**
 * Removes tracking parameters from a raw query string (without '?'), keeping every other
 * parameter byte for byte (encoding untouched, RFC 3986 §6.2.2 normalizations aside); sorts
 * them when `sort` is set so that parameter order does not split one article into two.
 */
export function filterQuery(query: string, sort: boolean): string {
  if (query === '') return '';
  const kept: string[] = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (!isTrackingParam(name)) kept.push(pair);
  }
  if (sort) kept.sort();
  return kept.join('&');
}

/**
 * Returns the canonical form of an http(s) URL, resolved against `base`: lower-case scheme and
 * host (the WHATWG URL parser does this and drops default ports, RFC 3986 §6.2.3), no fragment,
 * no tracking parameters, remaining parameters sorted, path case kept; undefined when invalid
 * or not http(s).
 */
export function canonicalUrl(url: string, base?: string): string | undefined {
  const trimmed = url.trim();
  if (trimmed === '') return undefined;
  if (OTHER_SCHEME.test(trimmed)) return undefined;
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.hostname === '') return undefined;
  // A fully qualified host ("example.com.") names the same site as "example.com".
  if (parsed.hostname.endsWith('.')) parsed.hostname = trimEndWhere(parsed.hostname, (ch) => ch === '.');
  // Each setter re-serializes the whole URL: only the parts there are are set. An empty fragment
  // or query reads as '' but still shows its '#' or '?' in the URL.
  if (parsed.href.includes('#')) parsed.hash = '';
  if (parsed.username !== '') parsed.username = '';
  if (parsed.password !== '') parsed.password = '';
  const query = filterQuery(parsed.search.slice(1), true);
  const search = query === '' ? '' : `?${query}`;
  if (search !== parsed.search || (search === '' && parsed.href.includes('?'))) parsed.search = search;
  return parsed.href;
}

/**
 * Removes tracking parameters from a link while keeping its fragment and parameter order
 * (for links inside article HTML, where in-page anchors matter); returns the input unchanged
 * when it is not an http(s) URL.
 */
export function stripTracking(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url;
  if (parsed.search === '') return parsed.href;
  const query = filterQuery(parsed.search.slice(1), false);
  parsed.search = query === '' ? '' : `?${query}`;
  return parsed.href;
}

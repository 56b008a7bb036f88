import type { ChildNode, Element } from 'domhandler';

/** Page furniture elements (HTML living standard sectioning): never the article's own text. */
const FURNITURE_TAGS: ReadonlySet<string> = new Set(['nav', 'aside', 'footer', 'form', 'figcaption']);

/**
 * Class/id words that WordPress themes, Jetpack and news CMSs give to sidebars, share bars,
 * related-post lists, newsletter boxes, comment sections, cookie banners and ads.
 */
const BOILERPLATE_NAME_WORDS: ReadonlySet<string> = new Set([
  'share', 'sharing', 'sharedaddy', 'social', 'sociallinks', 'related', 'relatedposts',
  'jp-relatedposts', 'recommended', 'recommendations', 'newsletter', 'subscribe', 'subscription',
  'signup', 'sidebar', 'widget', 'widgets', 'comments', 'comment', 'respond', 'cookie', 'cookies',
  'consent', 'gdpr', 'promo', 'advert', 'advertisement', 'ad', 'ads', 'adsbygoogle', 'sponsored',
  'sponsor', 'breadcrumb', 'breadcrumbs', 'byline', 'author-bio', 'authorbox', 'tags', 'tagcloud',
  'post-tags', 'entry-meta', 'entry-footer', 'post-meta', 'meta', 'navigation', 'nav', 'menu',
  'popular', 'trending', 'most-read', 'mostread', 'readmore', 'read-more', 'more-stories',
  'wp-caption-text', 'caption', 'credit', 'credits', 'copyright', 'disclaimer', 'footer',
]);

const NAME_SPLIT = /[\s_]+/;

/** Minimum number of links before a block can count as a link list. */
export const LINK_LIST_MIN_LINKS = 3;
/** Share of a block's text inside links above which the block is a link list, not prose. */
export const LINK_LIST_MIN_DENSITY = 0.6;

const LINK_DENSITY_TAGS: ReadonlySet<string> = new Set(['ul', 'ol', 'div', 'section', 'p', 'table', 'dl']);

/** Words in one paragraph from which a block counts as prose (an article body, not a widget). */
export const PROSE_MIN_WORDS = 40;

/** How a class/id names an element: exactly a boilerplate word, only inside a hyphenated name, or not. */
function boilerplateNameMatch(element: Element): 'exact' | 'partial' | 'none' {
  const names = `${element.attribs['class'] ?? ''} ${element.attribs['id'] ?? ''} ${element.attribs['role'] ?? ''}`;
  if (names.trim() === '') return 'none';
  let partial = false;
  for (const token of names.toLowerCase().split(NAME_SPLIT)) {
    if (token === '') continue;
    if (BOILERPLATE_NAME_WORDS.has(token)) return 'exact';
    // Hyphenated class names ("post-share-buttons", "related-articles") carry the word inside.
    if (!partial) for (const part of token.split('-')) if (BOILERPLATE_NAME_WORDS.has(part)) partial = true;
  }
  return partial ? 'partial' : 'none';
}

function textOf(nodes: readonly ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.data;
    else if (node.type === 'tag') out += ` ${textOf(node.children)} `;
  }
  return out;
}

/** Returns true when a paragraph inside the element is long enough to be article prose. */
function containsProse(nodes: readonly ChildNode[]): boolean {
  for (const node of nodes) {
    if (node.type !== 'tag') continue;
    if (node.name === 'p') {
      const words = textOf(node.children).trim().split(/\s+/).length;
      if (words >= PROSE_MIN_WORDS) return true;
    } else if (containsProse(node.children)) {
      return true;
    }
  }
  return false;
}

interface LinkStats {
  textChars: number;
  linkChars: number;
  links: number;
}

function countLinks(nodes: readonly ChildNode[], inLink: boolean, stats: LinkStats): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      const chars = node.data.replace(/\s+/g, '').length;
      stats.textChars += chars;
      if (inLink) stats.linkChars += chars;
    } else if (node.type === 'tag') {
      const isLink = node.name === 'a' && node.attribs['href'] !== undefined;
      if (isLink) stats.links += 1;
      countLinks(node.children, inLink || isLink, stats);
    }
  }
}

/** Returns true when most of a block's text is link text over several links (a related-posts or headline list). */
export function isLinkList(element: Element): boolean {
  const stats: LinkStats = { textChars: 0, linkChars: 0, links: 0 };
  countLinks(element.children, false, stats);
  return stats.links >= LINK_LIST_MIN_LINKS && stats.textChars > 0 && stats.linkChars / stats.textChars >= LINK_LIST_MIN_DENSITY;
}

/**
 * Returns true for an element that is page furniture rather than article text: nav/aside/footer/
 * form/caption, a class or id naming a sidebar, share bar, related list, newsletter, comments,
 * cookie banner or ad, or a block that is mostly links.
 */
export function isBoilerplateElement(element: Element): boolean {
  const name = element.name.toLowerCase();
  if (FURNITURE_TAGS.has(name)) return true;
  // <body>/<article>/<main> wrappers name the whole page; judging them by class would drop everything.
  if (name === 'body' || name === 'html' || name === 'article' || name === 'main') return false;
  const match = boilerplateNameMatch(element);
  if (match === 'exact') return true;
  // Layout wrappers such as Genesis's "content-sidebar-wrap" hold the article itself: a partial
  // name match counts only when the block carries no prose paragraph.
  if (match === 'partial' && !containsProse(element.children)) return true;
  return LINK_DENSITY_TAGS.has(name) && isLinkList(element);
}

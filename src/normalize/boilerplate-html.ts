import { htmlparser2 } from '../model/htmlparser2.js';
import type { ChildNode, Element } from 'domhandler';

/** Page furniture elements (HTML living standard sectioning): never the article's own text. */
const FURNITURE_TAGS: ReadonlySet<string> = new Set(['nav', 'aside', 'footer', 'form']);

/**
 * Class/id words that WordPress themes, Jetpack and news CMSs give to sidebars, share bars,
 * related-post lists, newsletter boxes, comment sections, cookie banners and ads.
 */
const BOILERPLATE_NAME_WORDS: ReadonlySet<string> = new Set([
  'share', 'sharing', 'sharedaddy', 'social', 'sociallinks', 'related', 'relatedposts',
  'jp-relatedposts', 'recommended', 'recommendations', 'newsletter', 'subscribe', 'subscription',
  'signup', 'sidebar', 'widget', 'widgets', 'comments', 'comment', 'respond', 'cookie', 'cookies',
  'consent', 'gdpr', 'promo', 'advert', 'advertisement', 'ad', 'ads', 'adsbygoogle', 'sponsored',
  'sponsor', 'breadcrumb', 'breadcrumbs', 'tags', 'tagcloud',
  'post-tags', 'entry-meta', 'entry-footer', 'post-meta', 'meta', 'navigation', 'nav', 'menu',
  'popular', 'trending', 'most-read', 'mostread', 'readmore', 'read-more', 'more-stories',
  'copyright', 'disclaimer', 'footer',
]);

/**
 * Class/id words of captions, credits and bylines: worth showing beside a picture, but not
 * story text to compare (photo credits and captions differ between outlets running one story).
 */
const CAPTION_NAME_WORDS: ReadonlySet<string> = new Set([
  'wp-caption-text', 'caption', 'credit', 'credits', 'byline', 'author-bio', 'authorbox',
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
function nameMatch(element: Element, words: ReadonlySet<string>): 'exact' | 'partial' | 'none' {
  const names = `${element.attribs['class'] ?? ''} ${element.attribs['id'] ?? ''} ${element.attribs['role'] ?? ''}`;
  if (names.trim() === '') return 'none';
  let partial = false;
  for (const token of names.toLowerCase().split(NAME_SPLIT)) {
    if (token === '') continue;
    if (words.has(token)) return 'exact';
    // Hyphenated class names ("post-share-buttons", "related-articles") carry the word inside.
    if (!partial) for (const part of token.split('-')) if (words.has(part)) partial = true;
  }
  return partial ? 'partial' : 'none';
}

/** Text measures of one element's subtree, computed once per element (the walk is bottom-up). */
interface BlockStats {
  /** Non-space characters of text. */
  textChars: number;
  /** Non-space characters of text inside links. */
  linkChars: number;
  /** Links (<a href>). */
  links: number;
  /** Whitespace-separated words. */
  words: number;
  /** True when a <p> inside has PROSE_MIN_WORDS words or more. */
  prose: boolean;
}

const STATS = new WeakMap<Element, BlockStats>();

function countTextChars(text: string): { chars: number; words: number } {
  let chars = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Most characters are above the space: one comparison tells them from the spaces below it.
    const space = code <= 32 ? code === 32 || code === 10 || code === 9 || code === 13 || code === 12 : code === 160;
    if (!space) {
      chars++;
      if (!inWord) words++;
    }
    inWord = !space;
  }
  return { chars, words };
}

function statsOf(element: Element): BlockStats {
  const cached = STATS.get(element);
  if (cached !== undefined) return cached;
  const isLink = element.name === 'a' && element.attribs['href'] !== undefined;
  const stats: BlockStats = { textChars: 0, linkChars: 0, links: isLink ? 1 : 0, words: 0, prose: false };
  for (const node of element.children) {
    if (node.type === 'text') {
      const { chars, words } = countTextChars(node.data);
      stats.textChars += chars;
      stats.words += words;
    } else if (node.type === 'tag') {
      const child = statsOf(node);
      stats.textChars += child.textChars;
      stats.linkChars += child.linkChars;
      stats.links += child.links;
      stats.words += child.words;
      stats.prose ||= child.prose || (node.name === 'p' && child.words >= PROSE_MIN_WORDS);
    }
  }
  if (isLink) stats.linkChars = stats.textChars;
  STATS.set(element, stats);
  return stats;
}

/** Returns true when a paragraph inside the element is long enough to be article prose. */
function containsProse(element: Element): boolean {
  return statsOf(element).prose;
}

/**
 * Returns true when an element has an element among its children. One without has one link at most (itself an
 * <a>), fewer than LINK_LIST_MIN_LINKS: it is no link list, which is told without measuring its text (most
 * paragraphs). Its measures could not change later either (the furniture removed is elements), so not keeping
 * them changes no later answer.
 */
function hasChildElement(element: Element): boolean {
  for (const node of element.children) if (node.type === 'tag') return true;
  return false;
}

/** Returns true when most of a block's text is link text over several links (a related-posts or headline list). */
export function isLinkList(element: Element): boolean {
  if (!hasChildElement(element)) return false;
  const stats = statsOf(element);
  return stats.links >= LINK_LIST_MIN_LINKS && stats.textChars > 0 && stats.linkChars / stats.textChars >= LINK_LIST_MIN_DENSITY;
}

/** Returns true when a class/id names the element with one of `words` (a partial match only without prose inside). */
function namedAs(element: Element, words: ReadonlySet<string>): boolean {
  const match = nameMatch(element, words);
  // Layout wrappers such as Genesis's "content-sidebar-wrap" hold the article itself: a partial
  // name match counts only when the block carries no prose paragraph.
  return match === 'exact' || (match === 'partial' && !containsProse(element));
}

/** <body>/<article>/<main> wrappers name the whole page; judging them by class would drop everything. */
function isPageWrapper(name: string): boolean {
  return name === 'body' || name === 'html' || name === 'article' || name === 'main';
}

/**
 * Returns true for an element that is page furniture, to leave out of both text and republished
 * HTML: nav/aside/footer/form, a class or id naming a sidebar, share bar, related list,
 * newsletter, comments, cookie banner or ad, or a block that is mostly links.
 */
export function isPageFurniture(element: Element): boolean {
  const name = element.name.toLowerCase();
  if (FURNITURE_TAGS.has(name)) return true;
  if (isPageWrapper(name)) return false;
  if (namedAs(element, BOILERPLATE_NAME_WORDS)) return true;
  return LINK_DENSITY_TAGS.has(name) && isLinkList(element);
}

/**
 * Returns true for an element to leave out of the clean text: page furniture (see
 * {@link isPageFurniture}), and also figure captions, photo credits and bylines.
 */
export function isBoilerplateElement(element: Element): boolean {
  return isCaptionElement(element) || isPageFurniture(element);
}

/** Returns true for a figure caption, or an element whose class/id names a caption, credit or byline. */
export function isCaptionElement(element: Element): boolean {
  const name = element.name.toLowerCase();
  if (name === 'figcaption') return true;
  return !isPageWrapper(name) && namedAs(element, CAPTION_NAME_WORDS);
}

/** Removes page furniture elements (see {@link isPageFurniture}) from a parsed document in place; returns how many. */
export function removePageFurniture(nodes: readonly ChildNode[]): number {
  let removed = 0;
  // Copy: removing a node changes the children array being walked.
  for (const node of [...nodes]) {
    if (node.type !== 'tag') continue;
    if (isPageFurniture(node)) {
      htmlparser2().DomUtils.removeElement(node);
      removed++;
    } else {
      removed += removePageFurniture(node.children);
    }
  }
  return removed;
}

import type { ChildNode, Document, Element, ParentNode } from 'domhandler';
import { htmlparser2 } from '../model/htmlparser2.js';
import { stripTracking } from './canonical-url.js';
import { NON_TEXT_TAGS } from './html-to-text.js';

/** Attributes where lazy-loading themes keep an image's real address (a placeholder sits in src). */
const LAZY_SOURCES = ['data-src', 'data-lazy-src'] as const;

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Tells whether a node is never read as text: comments, declarations, and the elements htmlToText skips. */
function unread(node: ChildNode): boolean {
  if (node.type === 'comment' || node.type === 'directive' || node.type === 'cdata') return true;
  return isElement(node) && NON_TEXT_TAGS.has(node.name.toLowerCase());
}

/**
 * Resolves a link or image address against the item's URL and removes its tracking parameters;
 * any other address (another scheme, unparseable) is left as written, for the sanitizer to judge.
 */
function resolveAddress(value: string, base: string | undefined): string {
  const trimmed = value.trim();
  if (trimmed === '') return value;
  let url: URL;
  try {
    url = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return value;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? stripTracking(url.href) : value;
}

/** Resolves an element's link or image address; returns true for an image. */
function resolveAddresses(element: Element, base: string | undefined): boolean {
  const attribs = element.attribs;
  const name = element.name.toLowerCase();
  if (name === 'a' && attribs['href'] !== undefined) attribs['href'] = resolveAddress(attribs['href'], base);
  if (name !== 'img') return false;
  for (const lazy of LAZY_SOURCES) {
    const real = attribs[lazy];
    if (real !== undefined && real.trim() !== '') {
      attribs['src'] = real;
      break;
    }
  }
  for (const lazy of LAZY_SOURCES) delete attribs[lazy];
  if (attribs['src'] !== undefined) attribs['src'] = resolveAddress(attribs['src'], base);
  return true;
}

/** HTML kept for the store, and how many images it shows. */
export interface StoredHtml {
  html: string;
  images: number;
}

/** Replaces a parent's children by `kept`, keeping the sibling links consistent. */
function setChildren(parent: ParentNode, kept: ChildNode[]): void {
  parent.children = kept;
  kept.forEach((child, i) => {
    child.prev = kept[i - 1] ?? null;
    child.next = kept[i + 1] ?? null;
  });
}

/**
 * Serializes an item body's parsed HTML for the store, as what its text was read from: without
 * what is never read as text (scripts, styles, embeds, forms' controls, comments: see
 * NON_TEXT_TAGS), with link and image addresses made absolute against `base` and cleared of
 * tracking parameters, and lazy-loaded images given their real address. No allow-list applies
 * here: the HTML is sanitized once, by the policy of src/sanitize, when it is published.
 * Walks the tree without recursion and rebuilds each child list once, so size and depth cost linear time.
 */
export function storedHtml(document: Document, base: string | undefined): StoredHtml {
  const parents: ParentNode[] = [document];
  let images = 0;
  while (parents.length > 0) {
    const parent = parents.pop() as ParentNode;
    const kept: ChildNode[] = [];
    for (const child of parent.children) {
      if (unread(child)) continue;
      kept.push(child);
      if (isElement(child)) {
        if (resolveAddresses(child, base)) images++;
        parents.push(child);
      }
    }
    if (kept.length !== parent.children.length) setChildren(parent, kept);
  }
  // UTF-8 text as it is (only & < > " escaped), not every non-ASCII character as a reference.
  return { html: htmlparser2().DomUtils.getOuterHTML(document.children, { encodeEntities: 'utf8' }).trim(), images };
}

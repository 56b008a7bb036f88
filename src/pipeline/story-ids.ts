import { hash } from 'node:crypto';
import type { Article } from '../model/article.js';

/** The hex digit of the RFC 9562 variant (binary 10xx) for each value of the two bits below it. */
const VARIANT_DIGITS = '89ab';

/**
 * Formats 16 bytes of a SHA-1 digest as a name-based (version 5) UUID, RFC 9562 §5.5: the version digit replaces the
 * 13th hex digit, and the top two bits of the 17th become the variant's 10. Made from the hex digest in one native call.
 */
function uuidV5From(name: string): string {
  const h = hash('sha1', name, 'hex');
  const variant = VARIANT_DIGITS[Number.parseInt(h.charAt(16), 16) & 3] as string;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Mints the atom:id of a story from the id of the article that started it, so the same input
 * always gives the same ids; it is stored and never recomputed (RFC 4287 §4.2.6).
 */
export function storyIdFor(founderArticleId: string): string {
  return `urn:uuid:${uuidV5From(`feedfold:story:${founderArticleId}`)}`;
}

/**
 * The id of a story started by `founder`, as a story index asks for it. A function of the module's, not an arrow made
 * where the index is built: a closure keeps its maker's whole scope alive (V8 gives all closures of a call one context),
 * and the index lives on after the call, so an arrow made beside the window's articles kept every one of them.
 */
export function storyIdOfFounder(founder: Pick<Article, 'id'>): string {
  return storyIdFor(founder.id);
}

/** Mints the id of a story split out of another by an override. */
export function splitStoryIdFor(articleId: string): string {
  return `urn:uuid:${uuidV5From(`feedfold:split:${articleId}`)}`;
}

import { createHash } from 'node:crypto';

/** Formats 16 bytes of a SHA-1 digest as a name-based (version 5) UUID, RFC 9562 §5.5. */
function uuidV5From(name: string): string {
  const b = createHash('sha1').update(name).digest().subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Mints the atom:id of a story from the id of the article that started it, so the same input
 * always gives the same ids; it is stored and never recomputed (RFC 4287 §4.2.6).
 */
export function storyIdFor(founderArticleId: string): string {
  return `urn:uuid:${uuidV5From(`feedfold:story:${founderArticleId}`)}`;
}

/** Mints the id of a story split out of another by an override. */
export function splitStoryIdFor(articleId: string): string {
  return `urn:uuid:${uuidV5From(`feedfold:split:${articleId}`)}`;
}

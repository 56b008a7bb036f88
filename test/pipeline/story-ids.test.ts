import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { splitStoryIdFor, storyIdFor } from '../../src/pipeline/story-ids.js';

/** The name-based UUID as RFC 9562 §5.5 gives it, through node:crypto's SHA-1. */
function referenceUuid(name: string): string {
  const b = createHash('sha1').update(name).digest().subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

describe('story ids', () => {
  it('are the version 5 UUIDs of their names, for ids of every length and script', () => {
    const ids = ['', 'a', 's43v2', 'https://example.com/2024/05/01/story.html#a080605', 'Zürich–Москва 東京 🚀', 'lone \ud800 surrogate'];
    // Lengths around the 64-byte block edges (the name adds 15 or 15 + 14 bytes before the id).
    for (let n = 0; n < 200; n++) ids.push('x'.repeat(n), 'é'.repeat(n));
    for (const id of ids) {
      expect(storyIdFor(id), id).toBe(referenceUuid(`feedfold:story:${id}`));
      expect(splitStoryIdFor(id), id).toBe(referenceUuid(`feedfold:split:${id}`));
    }
  });

  it('keep the shape of a version 5 UUID', () => {
    expect(storyIdFor('s43v2')).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

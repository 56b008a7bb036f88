import { createHash } from 'node:crypto';
import type { Article } from '../../src/model/article.js';

/** Builds a normalized Article for cluster tests; only the fields clustering reads need to be given. */
export function makeArticle(fields: Partial<Article> & { id: string; title: string }): Article {
  const text = fields.text ?? '';
  return {
    sourceId: 'src-a',
    sourceTitle: 'Source A',
    sourceLocation: 'test://source-a',
    sourceRank: 0,
    titleDerived: false,
    firstSeen: fields.published ?? '2025-03-01T12:00:00Z',
    language: 'en',
    html: '',
    truncated: false,
    contentHash: createHash('sha256').update(text).digest('hex'),
    categories: [],
    ...fields,
    text,
  };
}

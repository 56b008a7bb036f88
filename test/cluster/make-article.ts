import { createHash } from 'node:crypto';
import path from 'node:path';
import { readArticleFile } from '../../scripts/eval/seed-dataset.js';
import { FIXTURES } from '../helpers/paths.js';
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

/** Reads an article file of the seeds' format (from test/fixtures/cluster or any path) into an Article. */
export function articleFromFile(file: string, fields: Partial<Article> = {}): Article {
  const item = readArticleFile(file, 'unused');
  const base: Partial<Article> & { id: string; title: string } = { id: item.id, title: item.title, text: item.text ?? '', sourceId: item.id };
  if (item.published !== undefined) base.published = item.published;
  return makeArticle({ ...base, ...fields });
}

/** Returns the path of a cluster fixture. */
export function fixture(name: string): string {
  return path.join(FIXTURES, 'cluster', name);
}

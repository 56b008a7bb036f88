import { createHash } from 'node:crypto';
import type { Article } from '../../src/model/article.js';

/** One labelled input of the evaluation, in the line format of `feedfold cluster --in`. */
export interface EvalItem {
  id: string;
  title: string;
  text?: string;
  url?: string;
  /** ISO 8601. */
  published?: string;
  source?: string;
  lang?: string;
  /** Gold story label (not passed to the clusterer). */
  gold: string;
}

/** First-seen time of undated items on the direct path (the CLI uses its own batch epoch). */
const UNDATED_FIRST_SEEN = '2025-03-04T12:00:00.000Z';

/** Builds the Article the direct (no-CLI) path clusters: text as given, no further normalization. */
export function itemToArticle(item: EvalItem): Article {
  const text = item.text ?? '';
  const source = item.source ?? 'eval';
  const article: Article = {
    id: item.id,
    sourceId: source,
    sourceTitle: source,
    sourceLocation: `eval://${source}`,
    sourceRank: 0,
    title: item.title,
    titleDerived: false,
    firstSeen: item.published ?? UNDATED_FIRST_SEEN,
    language: item.lang ?? 'und',
    html: '',
    text,
    truncated: false,
    contentHash: createHash('sha256').update(text).digest('hex'),
    categories: [],
  };
  if (item.published !== undefined) article.published = item.published;
  if (item.url !== undefined) article.url = item.url;
  return article;
}

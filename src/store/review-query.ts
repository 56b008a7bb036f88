/**
 * The review app's story filters as one SQL condition both backends run (titles and languages
 * from `article_titles`, kept beside the articles by the store); `?` placeholders are renumbered for
 * PostgreSQL (see pgPlaceholders).
 */

/** Filters that need no value. */
export type ReviewFilter = 'folded' | 'close-calls' | 'overridden';

/** Which stories one page of the review app lists. */
export interface ReviewQuery {
  filters: readonly ReviewFilter[];
  /** Stories with a version from this source id. */
  source?: string;
  /** Stories with a version in this language (ISO 639-1 code, as articles store it). */
  language?: string;
  /** Words that must all appear in the title of one of the story's versions (case-insensitive). */
  q?: string;
  /** Close calls: stories with a join whose score lies within `margin` of `threshold`. */
  threshold: number;
  margin: number;
  limit: number;
  offset: number;
}

/** How the canonical reason of a pinned story starts (written by the canonical policy). */
export const PINNED_REASON_PREFIX = 'pinned by an override';

/** Escapes the LIKE wildcards of a searched word (with `\` as the escape character). */
function likeWord(word: string): string {
  return `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The articles of story `s` through its members, for EXISTS conditions. */
const MEMBER_ARTICLES = 'SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = s.id';
const MEMBER_TITLES = 'SELECT 1 FROM story_members m JOIN article_titles t ON t.article_id = m.article_id WHERE m.story_id = s.id';
const MEMBER_DECISIONS = 'SELECT 1 FROM story_members m JOIN decisions d ON d.id = m.decision_id WHERE m.story_id = s.id';

/** Builds the WHERE condition over `stories s` for a review query, with its parameters in order. */
export function reviewCondition(query: ReviewQuery): { where: string; params: unknown[] } {
  const parts = ['EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = s.id)'];
  const params: unknown[] = [];
  if (query.filters.includes('folded')) parts.push('(SELECT count(*) FROM story_members m WHERE m.story_id = s.id) > 1');
  if (query.filters.includes('close-calls')) {
    parts.push(`EXISTS (${MEMBER_DECISIONS} AND d.action = 'joined' AND d.score >= ? AND d.score <= ?)`);
    params.push(query.threshold - query.margin, query.threshold + query.margin);
  }
  if (query.filters.includes('overridden')) {
    parts.push(`(s.canonical_reason LIKE ? OR EXISTS (${MEMBER_DECISIONS} AND d.action = 'overridden'))`);
    params.push(`${PINNED_REASON_PREFIX}%`);
  }
  if (query.source !== undefined) {
    parts.push(`EXISTS (${MEMBER_ARTICLES} AND a.source_id = ?)`);
    params.push(query.source);
  }
  if (query.language !== undefined) {
    parts.push(`EXISTS (${MEMBER_TITLES} AND t.language = ?)`);
    params.push(query.language);
  }
  const words = (query.q ?? '').split(/\s+/).filter((w) => w.length > 0);
  if (words.length > 0) {
    parts.push(`EXISTS (${MEMBER_TITLES}${words.map(() => " AND lower(t.title) LIKE ? ESCAPE '\\'").join('')})`);
    params.push(...words.map(likeWord));
  }
  return { where: parts.join(' AND '), params };
}

/** Renumbers `?` placeholders as PostgreSQL's `$1`, `$2`… (the condition holds no `?` inside strings). */
export function pgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

import type { Article } from '../model/article.js';

/** How the canonical version of a story is chosen. */
export interface CanonicalPolicy {
  policy: 'earliest-complete' | 'longest' | 'earliest';
  /** A version with at least this share of the longest version's text counts as complete. */
  completeRatio: number;
}

export interface CanonicalChoice {
  articleId: string;
  reason: string;
}

const byEarliest = (a: Article, b: Article): number =>
  a.firstSeen.localeCompare(b.firstSeen) || (a.published ?? '~').localeCompare(b.published ?? '~') || a.id.localeCompare(b.id);

/**
 * Chooses the canonical version of a story. The default policy (DESIGN.md): never an excerpt over
 * full text; among the most complete versions, the operator's higher-ranked source, then the
 * earliest first-seen, then the earliest published, then the lowest id (so the choice is stable).
 */
export function chooseCanonical(members: readonly Article[], policy: CanonicalPolicy, pinnedId?: string): CanonicalChoice {
  if (members.length === 0) throw new Error('canonical: a story without members has no canonical version');
  const pinned = pinnedId ? members.find((m) => m.id === pinnedId) : undefined;
  if (pinned) return { articleId: pinned.id, reason: 'pinned by an override' };

  const full = members.filter((m) => !m.truncated);
  const pool = full.length > 0 ? full : [...members];
  const excerptNote = full.length > 0 && full.length < members.length ? '; excerpts passed over' : '';

  if (policy.policy === 'earliest') {
    const chosen = [...pool].sort(byEarliest)[0] as Article;
    return { articleId: chosen.id, reason: `earliest first-seen version${excerptNote}` };
  }
  const longest = Math.max(...pool.map((m) => m.text.length));
  if (policy.policy === 'longest') {
    const chosen = [...pool].sort((a, b) => b.text.length - a.text.length || byEarliest(a, b))[0] as Article;
    return { articleId: chosen.id, reason: `longest text (${chosen.text.length} characters)${excerptNote}` };
  }
  const complete = pool.filter((m) => m.text.length >= policy.completeRatio * longest);
  const chosen = [...complete].sort((a, b) => b.sourceRank - a.sourceRank || byEarliest(a, b))[0] as Article;
  const rankNote = complete.some((m) => m.sourceRank !== chosen.sourceRank) ? `, source rank ${chosen.sourceRank}` : '';
  return {
    articleId: chosen.id,
    reason: `earliest first-seen of the ${complete.length} most complete version(s) (≥ ${Math.round(policy.completeRatio * 100)}% of the longest text)${rankNote}${excerptNote}`,
  };
}

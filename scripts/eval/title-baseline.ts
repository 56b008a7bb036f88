import stringSimilarity from 'string-similarity';
import type { EvalItem } from './eval-item.js';

/** Dice similarity a title must reach to join a cluster in the naive baseline (best F1 of the sweep 0.15–0.6 on UCI dev: 0.469). */
export const BASELINE_TITLE_THRESHOLD = 0.25;

/**
 * Clusters greedily on titles alone: each item joins the cluster whose first title is most similar
 * (string-similarity Dice on bigrams) if that reaches the threshold, else starts a cluster.
 */
export function greedyTitleBaseline(items: readonly EvalItem[], threshold = BASELINE_TITLE_THRESHOLD): string[] {
  const heads: { title: string; label: string }[] = [];
  return items.map((item, i) => {
    const title = item.title.toLowerCase();
    let best = -1;
    let bestScore = threshold;
    for (let h = 0; h < heads.length; h++) {
      const score = stringSimilarity.compareTwoStrings(title, (heads[h] as { title: string }).title);
      if (score >= bestScore) {
        bestScore = score;
        best = h;
      }
    }
    if (best >= 0) return (heads[best] as { label: string }).label;
    const label = `baseline-${i}`;
    heads.push({ title, label });
    return label;
  });
}

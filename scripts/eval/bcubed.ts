/** B-cubed precision, recall and F1 of a predicted clustering against gold labels (Bagga & Baldwin 1998). */
export interface BCubed {
  precision: number;
  recall: number;
  f1: number;
}

/** Scores predicted cluster labels against gold labels item by item, averaging over items. */
export function bcubed(gold: readonly string[], predicted: readonly string[]): BCubed {
  if (gold.length !== predicted.length) throw new Error(`bcubed: ${gold.length} gold labels vs ${predicted.length} predicted`);
  const n = gold.length;
  if (n === 0) return { precision: 1, recall: 1, f1: 1 };
  const pair = new Map<string, number>();
  const goldSize = new Map<string, number>();
  const predSize = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const g = gold[i] as string;
    const p = predicted[i] as string;
    const key = `${g}\u0000${p}`;
    pair.set(key, (pair.get(key) ?? 0) + 1);
    goldSize.set(g, (goldSize.get(g) ?? 0) + 1);
    predSize.set(p, (predSize.get(p) ?? 0) + 1);
  }
  let precision = 0;
  let recall = 0;
  for (let i = 0; i < n; i++) {
    const g = gold[i] as string;
    const p = predicted[i] as string;
    const both = pair.get(`${g}\u0000${p}`) as number;
    precision += both / (predSize.get(p) as number);
    recall += both / (goldSize.get(g) as number);
  }
  precision /= n;
  recall /= n;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

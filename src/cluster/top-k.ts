/**
 * The first `k` of items[0, count) in `order` (a strict total order: no two items compare equal), in that order, among
 * those `accept` takes. An insertion into a list of at most k: the candidate lists of clustering are short and only
 * their head is wanted, so nothing is sorted whole. With k = count it sorts.
 */
export function topK<T>(items: readonly T[], count: number, k: number, order: (x: T, y: T) => number, accept?: (item: T) => boolean): T[] {
  const top: T[] = [];
  if (k <= 0) return top;
  for (let i = 0; i < count; i++) {
    const item = items[i] as T;
    if (accept !== undefined && !accept(item)) continue;
    if (top.length === k && order(top[k - 1] as T, item) <= 0) continue;
    let j = Math.min(top.length, k - 1);
    while (j > 0 && order(top[j - 1] as T, item) > 0) {
      top[j] = top[j - 1] as T;
      j--;
    }
    top[j] = item;
  }
  return top;
}

import { forEachKeyCount, keyCount, keyCountSize, type KeyCounts } from './key-counts.js';

/** What a whole-story comparison reads of a story: its key counts over the alive members. */
export interface StoryProfile {
  /** Counts of title tokens and names (disjoint hash spaces) over the alive members. */
  keyCounts: KeyCounts;
  alive: number;
}

/**
 * Computes the norm of a story's profile, which a later storyCosine of the same story can reuse: each key weighs its
 * rarity times the share of members that use it, so a word every version repeats counts fully and a word one version
 * of ten uses counts a tenth.
 */
export function storyNorm(p: StoryProfile, idf: (key: number) => number): number {
  let sum = 0;
  forEachKeyCount(p.keyCounts, (key, count) => {
    const w = idf(key) * (count / p.alive);
    sum += w * w;
  });
  return Math.sqrt(sum);
}

/**
 * Computes the cosine of two stories' rarity-weighted title-word and name profiles, 0..1: how far their members agree
 * as wholes, whatever any single pair of members says. `aNorm` is a's norm when already known.
 */
export function storyCosine(a: StoryProfile, b: StoryProfile, idf: (key: number) => number, aNorm = storyNorm(a, idf)): number {
  if (a.alive === 0 || b.alive === 0 || aNorm === 0) return 0;
  const [small, large] = keyCountSize(a.keyCounts) <= keyCountSize(b.keyCounts) ? [a, b] : [b, a];
  let dot = 0;
  forEachKeyCount(small.keyCounts, (key, count) => {
    const other = keyCount(large.keyCounts, key);
    if (other === 0) return;
    const w = idf(key);
    dot += w * w * (count / small.alive) * (other / large.alive);
  });
  if (dot === 0) return 0;
  const bNorm = storyNorm(b, idf);
  return bNorm > 0 ? Math.min(1, dot / (aNorm * bNorm)) : 0;
}

/** Follows story merges to each story's final id; the batch and bench callers relabel earlier decisions with it. */
export class StoryRedirects {
  private readonly into = new Map<string, string>();

  /** Records that `from` was merged into `into`. */
  record(from: string, into: string): void {
    if (from !== into) this.into.set(from, into);
  }

  /** Returns the story a story id ended in (itself when it was never merged). */
  resolve(id: string): string {
    let final = id;
    for (let next = this.into.get(final); next !== undefined; next = this.into.get(final)) final = next;
    // Path compression: a chain is walked once.
    for (let at = id; at !== final; ) {
      const next = this.into.get(at) as string;
      this.into.set(at, final);
      at = next;
    }
    return final;
  }
}

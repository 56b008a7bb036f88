/** Accumulates gold/predicted pairs and returns B-cubed precision and recall of the planted groups. */
export class PlantedScores {
  private readonly pairs = new Map<number, number>();
  private readonly gold = new Map<number, number>();
  private readonly pred = new Map<number, number>();
  private readonly items: number[] = [];

  /** Records one article's planted group and predicted story (both small non-negative integers). */
  add(gold: number, pred: number): void {
    const key = gold * 4_194_304 + pred;
    this.pairs.set(key, (this.pairs.get(key) ?? 0) + 1);
    this.gold.set(gold, (this.gold.get(gold) ?? 0) + 1);
    this.pred.set(pred, (this.pred.get(pred) ?? 0) + 1);
    this.items.push(key);
  }

  /** Computes B-cubed precision and recall over every recorded article. */
  result(): { precision: number; recall: number } {
    let p = 0;
    let r = 0;
    for (const key of this.items) {
      const both = this.pairs.get(key) as number;
      const gold = Math.floor(key / 4_194_304);
      const pred = key - gold * 4_194_304;
      p += both / (this.pred.get(pred) as number);
      r += both / (this.gold.get(gold) as number);
    }
    const n = Math.max(1, this.items.length);
    return { precision: p / n, recall: r / n };
  }
}

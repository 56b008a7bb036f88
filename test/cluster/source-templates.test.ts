import { describe, expect, it } from 'vitest';
import { SourceTemplates, TEMPLATE_MIN_ITEMS } from '../../src/cluster/source-templates.js';

const MIN_SHARE = 0.3;

/** The counts as a reader would take them: each source's items in the window, and which keys a share of them carry. */
class Model {
  readonly items = new Map<number, Map<number, Int32Array>>();

  distinctive(source: number, keys: Int32Array): number[] {
    const items = [...(this.items.get(source)?.values() ?? [])];
    if (items.length < TEMPLATE_MIN_ITEMS) return [...keys];
    const minCount = Math.max(TEMPLATE_MIN_ITEMS, Math.ceil(MIN_SHARE * items.length));
    return [...keys].filter((key) => items.filter((item) => item.includes(key)).length < minCount);
  }
}

/** A deterministic generator of small integers. */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return ((x >>> 8) % n + n) % n;
  };
}

/** Distinct keys of one item: some of its source's template (when it has one), the rest its own. */
function itemKeys(next: (n: number) => number, template: readonly number[], item: number): Int32Array {
  const keys = new Set<number>();
  for (const key of template) if (next(10) < 7) keys.add(key);
  for (let k = 0; k < 12; k++) keys.add(Math.imul(item * 31 + k, 0x9e3779b1) | 0);
  // A few keys that recur across items by chance.
  keys.add(next(50));
  return Int32Array.from(keys);
}

describe('SourceTemplates', () => {
  it('drops exactly the keys a share of the source\'s items carry, through sketches and exact counts alike', () => {
    const model = new Model();
    const templates = new SourceTemplates(MIN_SHARE, (source, visit) => {
      for (const keys of model.items.get(source)?.values() ?? []) visit(keys, 0, keys.length);
    });
    const next = random(7);
    // Source 1 has a template in most of its items, source 2 none, source 3 a template that comes in late; 4 is small.
    const templatesOf = new Map<number, number[]>([[1, [1001, 1002, 1003]], [2, []], [3, []], [4, [4001]]]);
    const ranges = new Int32Array(2);
    let item = 0;
    for (let step = 0; step < 3000; step++) {
      const source = 1 + next(4);
      if (step === 1500) templatesOf.set(3, [3001, 3002]);
      const held = model.items.get(source) ?? new Map<number, Int32Array>();
      const limit = source === 4 ? 6 : 400;
      if (held.size >= limit || (held.size > 0 && next(5) === 0)) {
        // An item leaves the window: the oldest of the source.
        const [oldest, keys] = held.entries().next().value as [number, Int32Array];
        ranges[1] = keys.length;
        templates.removeItem(source, keys, ranges);
        held.delete(oldest);
        continue;
      }
      const keys = itemKeys(next, templatesOf.get(source) as number[], item);
      expect([...templates.distinctive(source, keys)], `step ${step}`).toEqual(model.distinctive(source, keys));
      ranges[1] = keys.length;
      templates.addItem(source, keys, ranges);
      held.set(item++, keys);
      model.items.set(source, held);
    }
  });
});

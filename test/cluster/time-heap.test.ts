import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeHeap } from '../../src/cluster/time-heap.js';

describe('TimeHeap', () => {
  it('gives back slots oldest first, equal times in arrival order, under pushes and pops in any mix', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined, freq: 4 }), { maxLength: 3000 }), (ops) => {
        const heap = new TimeHeap();
        const model: { slot: number; time: number; seq: number }[] = [];
        let seq = 0;
        for (const op of ops) {
          if (op === undefined) {
            model.sort((x, y) => x.time - y.time || x.seq - y.seq);
            expect(heap.pop()).toBe(model.shift()?.slot ?? -1);
          } else {
            const entry = { slot: seq % 97, time: op, seq: seq++ };
            heap.push(entry.slot, entry.time, entry.seq);
            model.push(entry);
          }
          expect(heap.length).toBe(model.length);
        }
      }),
      { numRuns: 100 },
    );
  });
});

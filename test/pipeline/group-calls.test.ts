import { describe, expect, it } from 'vitest';
import { groupCalls } from '../../src/pipeline/group-calls.js';

describe('groupCalls', () => {
  it('puts the items added in one turn in one group, the ones added during its call in the next, and answers each', async () => {
    const groups: number[][] = [];
    let release: () => void = () => undefined;
    const call = groupCalls(async (items: number[]) => {
      groups.push(items);
      if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items.map((n) => n * 10);
    });
    const first = [call(1), call(2), call(3)];
    await new Promise((resolve) => setImmediate(resolve));
    // The first group's call is pending: these wait for it, then go together.
    const second = [call(4), call(5)];
    release();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('with waitMs, gathers the items that come within that time of the first into one group', async () => {
    const groups: string[][] = [];
    const call = groupCalls(async (items: string[]) => {
      groups.push(items);
      return items.map((s) => s.toUpperCase());
    }, { waitMs: 30 });
    const early = call('a');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const within = call('b');
    expect(await Promise.all([early, within])).toEqual(['A', 'B']);
    // The window closed with the first group's call: a later item starts a group of its own.
    expect(await call('c')).toBe('C');
    expect(groups).toEqual([['a', 'b'], ['c']]);
  });

  it('rejects every item of a group whose call throws, and goes on with the next group', async () => {
    let calls = 0;
    const call = groupCalls(async (items: string[]) => {
      calls += 1;
      if (calls === 1) throw new Error('disk full');
      return items.map((s) => s.toUpperCase());
    });
    const failed = [call('a'), call('b')];
    await expect(Promise.all(failed)).rejects.toThrow('disk full');
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      { status: 'rejected', reason: expect.any(Error) },
      { status: 'rejected', reason: expect.any(Error) },
    ]);
    expect(await call('c')).toBe('C');
  });
});

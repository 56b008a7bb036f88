import { describe, expect, it } from 'vitest';
import { CandidatePostings } from '../../src/cluster/candidate-postings.js';

/** The story (group) of each entry slot. */
const storyOf = new Map<number, number>();
const groupOf = (slot: number): number => storyOf.get(slot) ?? -1;
const entry = (slot: number, story: number): number => {
  storyOf.set(slot, story);
  return slot;
};

describe('CandidatePostings', () => {
  it('compacts a long list to the newest entry per story', () => {
    const postings = new CandidatePostings(3, groupOf, 1000);
    for (let i = 0; i < 6; i++) postings.add(7, entry(i, i % 2), 0);
    expect(postings.get(7)?.sort()).toEqual([4, 5]);
  });

  it('skips a key shared by more stories than the cap until the window has moved on', () => {
    const postings = new CandidatePostings(3, groupOf, 1000);
    for (let i = 0; i < 4; i++) postings.add(7, entry(10 + i, 10 + i), 0);
    expect(postings.get(7)).toBeUndefined();
    expect(postings.lookup(7)).toBe(-1);
    postings.add(7, entry(20, 20), 500);
    expect(postings.get(7)).toBeUndefined();
    postings.add(7, entry(21, 21), 1001);
    expect(postings.get(7)).toEqual([21]);
  });

  it('removes entries and drops empty lists', () => {
    const postings = new CandidatePostings(3, groupOf, 1000);
    const a = entry(1, 1);
    postings.add(1, a, 0);
    postings.remove(1, a);
    expect(postings.get(1)).toBeUndefined();
    postings.remove(1, a);
  });

  it('keeps a lone entry as its slot and goes back to one when a pair loses a member', () => {
    const postings = new CandidatePostings(3, groupOf, 1000);
    const a = entry(1, 1);
    const b = entry(2, 2);
    postings.add(5, a, 0);
    expect(postings.lookup(5)).toBe(a);
    postings.add(5, b, 0);
    expect(postings.lookup(5)).toBeLessThan(-1);
    expect(postings.get(5)?.sort()).toEqual([1, 2]);
    postings.remove(5, a);
    expect(postings.lookup(5)).toBe(b);
    expect(postings.get(5)).toEqual([2]);
    postings.remove(5, a);
    expect(postings.get(5)).toEqual([2]);
    postings.remove(5, b);
    expect(postings.lookup(5)).toBe(-1);
  });

  it('behaves as lists of entries per key under any adds and removes', () => {
    const postings = new CandidatePostings(100, groupOf, 1000);
    const model = new Map<number, number[]>();
    let x = 7;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      const key = (x >>> 8) % 50;
      const slot = entry((x >>> 16) % 40, (x >>> 16) % 40);
      const list = model.get(key) ?? [];
      if ((x & 3) !== 0 && list.length < 60) {
        postings.add(key, slot, 0);
        list.push(slot);
      } else {
        postings.remove(key, slot);
        const at = list.indexOf(slot);
        if (at >= 0) list.splice(at, 1);
      }
      if (list.length > 0) model.set(key, list);
      else model.delete(key);
    }
    for (let key = 0; key < 50; key++) expect(postings.get(key)?.sort((p, q) => p - q), `key ${key}`).toEqual(model.get(key)?.sort((p, q) => p - q));
  });
  it('keeps every list, in order, when fitted to what it holds, and goes on adding and removing after', () => {
    const postings = new CandidatePostings(1000, groupOf, 1000);
    // Enough nodes to grow the node array past its first size, most of them then removed.
    for (let key = 0; key < 600; key++) for (let s = 0; s < 5; s++) postings.add(key, entry(1000 * s + key, 1000 * s + key), 0);
    for (let key = 0; key < 600; key++) if (key % 3 !== 0) for (let s = 0; s < 5; s++) postings.remove(key, 1000 * s + key);
    postings.add(9999, entry(1, 1), 0);
    const before = [...Array(600).keys(), 9999].map((key) => postings.get(key));
    postings.fit();
    expect([...Array(600).keys(), 9999].map((key) => postings.get(key))).toEqual(before);
    expect(postings.get(3)).toEqual([4003, 3003, 2003, 1003, 3]);
    postings.remove(3, 2003);
    postings.add(3, entry(5003, 5003), 0);
    postings.add(4, entry(5004, 5004), 0);
    expect(postings.get(3)).toEqual([5003, 4003, 3003, 1003, 3]);
    expect(postings.get(4)).toEqual([5004]);
    for (let key = 1000; key < 2000; key++) for (let s = 0; s < 3; s++) postings.add(key, entry(10_000 * s + key, 10_000 * s + key), 0);
    expect(postings.get(1999)).toEqual([21999, 11999, 1999]);
    expect(postings.get(3)).toEqual([5003, 4003, 3003, 1003, 3]);
  });
});

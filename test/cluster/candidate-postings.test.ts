import { describe, expect, it } from 'vitest';
import { CandidatePostings } from '../../src/cluster/candidate-postings.js';

interface Entry {
  id: number;
  story: string;
}

describe('CandidatePostings', () => {
  it('compacts a long list to the newest entry per story', () => {
    const postings = new CandidatePostings<Entry>(3, (e) => e.story, 1000);
    for (let i = 0; i < 6; i++) postings.add(7, { id: i, story: i % 2 === 0 ? 'a' : 'b' }, 0);
    expect(postings.get(7)?.map((e) => e.id)).toEqual([4, 5]);
  });

  it('skips a key shared by more stories than the cap until the window has moved on', () => {
    const postings = new CandidatePostings<Entry>(3, (e) => e.story, 1000);
    for (let i = 0; i < 4; i++) postings.add(7, { id: i, story: `s${i}` }, 0);
    expect(postings.get(7)).toBeUndefined();
    postings.add(7, { id: 10, story: 'late' }, 500);
    expect(postings.get(7)).toBeUndefined();
    postings.add(7, { id: 11, story: 'later' }, 1001);
    expect(postings.get(7)?.map((e) => e.id)).toEqual([11]);
  });

  it('removes entries and drops empty lists', () => {
    const postings = new CandidatePostings<Entry>(3, (e) => e.story, 1000);
    const a = { id: 1, story: 'a' };
    postings.add(1, a, 0);
    postings.remove(1, a);
    expect(postings.get(1)).toBeUndefined();
    postings.remove(1, a);
  });

  it('keeps a lone entry without an array and goes back to one when a pair loses a member', () => {
    const postings = new CandidatePostings<Entry>(3, (e) => e.story, 1000);
    const a = { id: 1, story: 'a' };
    const b = { id: 2, story: 'b' };
    postings.add(5, a, 0);
    expect(postings.lookup(5)).toBe(a);
    postings.add(5, b, 0);
    expect(postings.get(5)?.map((e) => e.id)).toEqual([1, 2]);
    postings.remove(5, a);
    expect(postings.lookup(5)).toBe(b);
    expect(postings.get(5)?.map((e) => e.id)).toEqual([2]);
    postings.remove(5, a);
    expect(postings.get(5)?.map((e) => e.id)).toEqual([2]);
    postings.remove(5, b);
    expect(postings.lookup(5)).toBeUndefined();
  });
});

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
});

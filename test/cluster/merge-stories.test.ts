import { describe, expect, it } from 'vitest';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../../src/cluster/create-story-index.js';
import { StoryRedirects } from '../../src/cluster/merge-stories.js';
import type { Article } from '../../src/model/article.js';
import type { Decision, StoryIndex } from '../../src/model/story.js';
import { articleFromFile, fixture, makeArticle } from './make-article.js';
import { BACKGROUND_HEADLINES } from './background-headlines.js';

/** Headlines of one game launch; the third says it in other words, so its join falls short of a strict threshold. */
const LAUNCH = ['Titanfall launch: Xbox One servers strained', 'Titanfall launch strains Xbox One servers', "Xbox One gets Titanfall, its first big launch"];

/** Two events that share one common name, and nothing else. */
const BUDGET = ['Obama signs budget bill into law', 'Obama signs budget deal, averting shutdown'];
const POPE = ['Obama meets Pope Francis at the Vatican', 'Pope Francis and Obama discuss poverty'];

/** Joins must score 0.7 here: each fragment of the launch story then falls under the threshold on its own. */
const STRICT_JOIN: Partial<ClusterOptions> = { threshold: 0.7 };

function headlines(titles: readonly string[], from = 0): Article[] {
  const start = Date.parse('2025-03-01T00:00:00Z');
  return titles.map((title, i) => makeArticle({ id: `h${from + i}`, sourceId: `outlet-${from + i}`, title, published: new Date(start + (from + i) * 600_000).toISOString() }));
}

function newIndex(options: Partial<ClusterOptions> = {}): StoryIndex {
  let next = 0;
  return createStoryIndex({ ...DEFAULT_CLUSTER_OPTIONS, ...options }, () => `story-${next++}`);
}

/** Assigns the articles in order and returns each article's final story (merges followed) and the decisions. */
function clusterAll(index: StoryIndex, articles: readonly Article[]): { finalStory: Map<string, string>; decisions: Decision[] } {
  const redirects = new StoryRedirects();
  const decisions = articles.map((a) => index.assign(a));
  for (const d of decisions) for (const m of d.merges ?? []) redirects.record(m.from, m.into);
  return { finalStory: new Map(decisions.map((d) => [d.articleId, redirects.resolve(d.storyId)])), decisions };
}

describe('story merging: fragments of one event come back together', () => {
  const articles = headlines([...BACKGROUND_HEADLINES, ...LAUNCH]);
  const launchIds = articles.slice(BACKGROUND_HEADLINES.length).map((a) => a.id);

  it('merges a fragment whose join fell under the threshold into the older story, which keeps its id', () => {
    // Control: without merging, the third headline falls under the join threshold and starts a story of its own.
    const apart = clusterAll(newIndex({ ...STRICT_JOIN, mergeThreshold: 2 }), articles);
    expect(new Set(launchIds.map((id) => apart.finalStory.get(id))).size).toBe(2);
    const apartThird = apart.decisions.at(-1) as Decision;
    expect(apartThird.action).toBe('new-story');
    expect(apartThird.runnerUp?.score).toBeLessThan(0.7);

    const { finalStory, decisions } = clusterAll(newIndex(STRICT_JOIN), articles);
    const older = finalStory.get(launchIds[0] as string);
    expect(launchIds.map((id) => finalStory.get(id))).toEqual([older, older, older]);
    const third = decisions.at(-1) as Decision;
    expect(third).toMatchObject({ action: 'merged', storyId: older });
    expect(third.merges).toEqual([expect.objectContaining({ from: apartThird.storyId, into: older })]);
    expect(third.evidence.storySimilarity).toBeGreaterThanOrEqual(DEFAULT_CLUSTER_OPTIONS.mergeThreshold);
    // The background stories are untouched.
    expect(new Set(articles.map((a) => finalStory.get(a.id))).size).toBe(BACKGROUND_HEADLINES.length + 1);
  });

  it('merges two remembered fragments when a new version joins one of them, the older keeping its id', () => {
    const index = newIndex(STRICT_JOIN);
    for (const a of headlines(BACKGROUND_HEADLINES)) index.assign(a);
    const [first, second, third] = headlines(LAUNCH, BACKGROUND_HEADLINES.length);
    index.remember(first as Article, 'fragment-older');
    index.remember(second as Article, 'fragment-older');
    index.remember(third as Article, 'fragment-younger');
    const again = makeArticle({ ...(third as Article), id: 'h-again', sourceId: 'outlet-again', title: "Titanfall is the Xbox One's first big launch", published: '2025-03-01T03:00:00Z' });
    const d = index.assign(again);
    expect(d.storyId).toBe('fragment-older');
    expect(d.merges?.map((m) => [m.from, m.into])).toEqual([['fragment-younger', 'fragment-older']]);
  });

  it('never merges a story an operator split out, in either direction', () => {
    const index = newIndex(STRICT_JOIN);
    for (const a of headlines(BACKGROUND_HEADLINES)) index.assign(a);
    const [first, second, third] = headlines(LAUNCH, BACKGROUND_HEADLINES.length);
    index.remember(first as Article, 'kept');
    index.remember(second as Article, 'kept');
    index.keepApart('kept');
    const d = index.assign(third as Article);
    expect(d.storyId).not.toBe('kept');
    expect(d.merges).toBeUndefined();
    expect(d.runnerUp?.storyId).toBe('kept');
  });
});

describe('story merging: different stories stay apart', () => {
  it('does not merge two stories that share one common name', () => {
    const articles = headlines([...BACKGROUND_HEADLINES, ...BUDGET, ...POPE]);
    const { finalStory, decisions } = clusterAll(newIndex(), articles);
    const budget = articles.slice(BACKGROUND_HEADLINES.length, BACKGROUND_HEADLINES.length + 2).map((a) => finalStory.get(a.id));
    const pope = articles.slice(BACKGROUND_HEADLINES.length + 2).map((a) => finalStory.get(a.id));
    expect(budget[0]).toBe(budget[1]);
    expect(pope[0]).toBe(pope[1]);
    expect(pope[0]).not.toBe(budget[0]);
    // The budget story was a candidate of the pope story, close enough to be compared as a whole, and still kept apart.
    const firstPope = decisions[BACKGROUND_HEADLINES.length + 2] as Decision;
    expect(firstPope.runnerUp?.storyId).toBe(budget[0]);
    expect(firstPope.runnerUp?.score).toBeGreaterThanOrEqual(DEFAULT_CLUSTER_OPTIONS.mergeCandidateFloor);
    expect(decisions.flatMap((d) => d.merges ?? [])).toEqual([]);
  });

  it('never merges stories of full texts by their profiles: another event at the same place stays apart', () => {
    // With any profile agreement at all enough to merge, the bodies and their contradicting counts still decide.
    const index = newIndex({ mergeThreshold: 0.01 });
    const quake = articleFromFile(fixture('unrelated-quake-turkey.txt'), { sourceId: 'wire' });
    const other = articleFromFile(fixture('quake-turkey-other-event.txt'));
    index.remember(quake, 'first-quake');
    const d = index.assign(other);
    expect(d.storyId).not.toBe('first-quake');
    expect(d.merges).toBeUndefined();
    expect(d.runnerUp?.storyId).toBe('first-quake');
  });
});

describe('StoryRedirects', () => {
  it('follows a chain of merges to the final story, and leaves unmerged ids alone', () => {
    const r = new StoryRedirects();
    r.record('c', 'b');
    r.record('b', 'a');
    r.record('x', 'x');
    expect(['c', 'b', 'a', 'x', 'y'].map((id) => r.resolve(id))).toEqual(['a', 'a', 'a', 'x', 'y']);
    expect(r.resolve('c')).toBe('a');
  });
});

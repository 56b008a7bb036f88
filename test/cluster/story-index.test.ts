import { describe, expect, it } from 'vitest';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../../src/cluster/create-story-index.js';
import type { Article } from '../../src/model/article.js';
import type { Decision } from '../../src/model/story.js';
import { articleFromFile, fixture, makeArticle } from './make-article.js';

function newIndex(options: Partial<ClusterOptions> = {}) {
  let next = 0;
  return createStoryIndex({ ...DEFAULT_CLUSTER_OPTIONS, ...options }, () => `story-${next++}`);
}

function assignAll(articles: Article[], options: Partial<ClusterOptions> = {}): Decision[] {
  const index = newIndex(options);
  return articles.map((a) => index.assign(a));
}

const quake = (): Article => articleFromFile(fixture('unrelated-quake-turkey.txt'), { sourceId: 'wire' });
const ecb = (): Article => articleFromFile(fixture('unrelated-ecb-holds-rates.txt'), { sourceId: 'wire' });

describe('createStoryIndex: joining versions of one story', () => {
  it('joins a truncated RSS excerpt to its full article', () => {
    const full = quake();
    const words = full.text.split(/\s+/);
    const excerpt = makeArticle({
      id: 'excerpt',
      sourceId: 'aggregator',
      title: 'Quake in Balikesir injures 12',
      text: `${words.slice(0, 45).join(' ')} …`,
      truncated: true,
      published: '2025-02-20T15:00:00Z',
    });
    const [first, second] = assignAll([full, excerpt]);
    expect(second?.action).toBe('joined');
    expect(second?.storyId).toBe(first?.storyId);
    expect(second?.evidence.containment).toBeGreaterThan(0.8);
  });

  it('joins the same story told by another outlet under a different headline', () => {
    const rewrite = articleFromFile(fixture('ecb-rewrite-other-outlet.txt'), { sourceId: 'other-outlet' });
    const [first, second] = assignAll([ecb(), rewrite]);
    expect(second?.action).toBe('joined');
    expect(second?.storyId).toBe(first?.storyId);
    expect(second?.evidence.sharedEntities).toContain('lagarde');
  });
});

describe('createStoryIndex: keeping different stories apart', () => {
  it('does not merge two events of one celebrity week that share the same people', () => {
    const album = articleFromFile(fixture('swift-album-announcement.txt'));
    const game = articleFromFile(fixture('swift-chiefs-game.txt'));
    const [first, second] = assignAll([album, game]);
    expect(second?.action).toBe('new-story');
    expect(second?.storyId).not.toBe(first?.storyId);
    // They were compared (same names), and the evidence says so.
    expect(second?.runnerUp?.storyId).toBe(first?.storyId);
    expect(second?.evidence.sharedEntities).toEqual(expect.arrayContaining(['swift', 'kelce']));
  });

  it('keeps two reports apart when their counts contradict, though their wording is alike', () => {
    const other = articleFromFile(fixture('quake-turkey-other-event.txt'));
    const [first, second] = assignAll([quake(), other]);
    expect(second?.storyId).not.toBe(first?.storyId);
    expect(second?.evidence.conflictingNumbers?.length ?? 0).toBeGreaterThan(0);
    // Control: with the same counts the wording alone would have folded them, so the numbers made the difference.
    const sameNumbers = articleFromFile(fixture('quake-turkey-other-event.txt'), { id: 'same-numbers' });
    sameNumbers.title = sameNumbers.title.replace('6.1', '5.8').replace('29', '12');
    sameNumbers.text = sameNumbers.text.replace(/6\.1/g, '5.8').replace('29 people', '12 people').replace('8 kilometres', '11 kilometres').replace('60 aftershocks', '40 aftershocks').replace('4.6', '4.1').replace('9:14', '7:53');
    const [a, b] = assignAll([quake(), sameNumbers]);
    expect(b?.storyId).toBe(a?.storyId);
  });

  it('keeps an unrelated story apart and still reports the closest candidate as runner-up evidence', () => {
    // One day for all three, so every earlier story is inside the window and could be a candidate; three outlets, so
    // none is held apart as another post of the same source.
    const sameDay = { published: '2025-03-06T12:00:00Z' };
    // The rate decision also names two cities of the earthquake report (a weekday is no name key).
    const rates = ecb();
    const articles = [quake(), { ...rates, text: `${rates.text} Shares in Istanbul and Izmir followed European markets higher.` }, articleFromFile(fixture('unrelated-baldwin-rust-case-dismissed.txt'))].map((a, i) => ({ ...a, ...sameDay, sourceId: `outlet-${i}` }));
    const index = newIndex();
    const [first, second, third] = articles.map((a) => index.assign(a));
    expect(index.size()).toBe(3);
    expect(new Set([first?.storyId, second?.storyId, third?.storyId]).size).toBe(3);
    for (const d of [first, second, third]) {
      expect(d?.action).toBe('new-story');
      expect(d?.score).toBe(0);
    }
    // The first article met an empty index: nothing was scored and there is no runner-up.
    expect(first?.evidence.candidates).toBe(0);
    expect(first?.runnerUp).toBeUndefined();
    // The rate decision shares two city names with the earthquake report: that one story was scored and
    // rejected, and it is named as the runner-up.
    expect(second?.evidence.candidates).toBe(1);
    expect(second?.runnerUp?.storyId).toBe(first?.storyId);
    expect(second?.runnerUp?.score).toBeLessThan(DEFAULT_CLUSTER_OPTIONS.threshold);
    // The court case shares too little with either to be worth scoring.
    expect(third?.evidence.candidates).toBe(0);
    expect(third?.runnerUp).toBeUndefined();
  });
});

describe('createStoryIndex: exact duplicates', () => {
  const base = (): Article => quake();

  it('folds the same canonical URL', () => {
    const a = makeArticle({ ...base(), id: 'a', url: 'https://example.org/quake' });
    const b = makeArticle({ id: 'b', title: 'Completely different words here', text: 'Nothing in common at all with the other one.', url: 'https://example.org/quake', published: '2025-02-20T13:00:00Z' });
    const [first, second] = assignAll([a, b]);
    expect(second).toMatchObject({ action: 'exact-duplicate', storyId: first?.storyId, score: 1, evidence: { exact: 'url' } });
  });

  it('folds the same GUID from the same source, but not from another source', () => {
    const a = makeArticle({ ...base(), id: 'a', guid: 'item-1', sourceId: 's1' });
    const b = makeArticle({ id: 'b', title: 'Updated headline', text: 'Unrelated body text.', guid: 'item-1', sourceId: 's1', published: '2025-02-20T13:00:00Z' });
    const c = makeArticle({ id: 'c', title: 'Other feed', text: 'Another unrelated body.', guid: 'item-1', sourceId: 's2', published: '2025-02-20T13:00:00Z' });
    const [first, second, third] = assignAll([a, b, c]);
    expect(second).toMatchObject({ action: 'exact-duplicate', storyId: first?.storyId, evidence: { exact: 'guid' } });
    expect(third?.action).not.toBe('exact-duplicate');
  });

  it('folds the same content hash of a non-trivial text, and ignores it for tiny texts', () => {
    const a = makeArticle({ ...base(), id: 'a', sourceId: 's1' });
    const b = makeArticle({ ...base(), id: 'b', sourceId: 's2', title: 'Another title' });
    const [first, second] = assignAll([a, b]);
    expect(second).toMatchObject({ action: 'exact-duplicate', storyId: first?.storyId, evidence: { exact: 'content-hash' } });
    const tiny1 = makeArticle({ id: 't1', title: 'Weather today', text: 'Sunny.' });
    const tiny2 = makeArticle({ id: 't2', title: 'Stock market closes', text: 'Sunny.' });
    const [, t2] = assignAll([tiny1, tiny2]);
    expect(t2?.action).toBe('new-story');
  });
});

describe('createStoryIndex: window and memory', () => {
  it('evicts articles older than the window relative to the newest time seen', () => {
    const index = newIndex({ windowHours: 24 });
    const old = quake();
    index.assign(old);
    expect(index.size()).toBe(1);
    const later = makeArticle({ ...quake(), id: 'later', url: 'https://example.org/x', published: '2025-02-22T12:00:00Z', contentHash: 'other' });
    const decision = index.assign(later);
    // The old version left the window, so the same text 2 days later starts a new story.
    expect(index.size()).toBe(1);
    expect(decision.action).toBe('new-story');
  });

  it('keeps a story open while versions keep arriving: its window runs from its newest member', () => {
    const version = (id: string, sourceId: string, hours: number): Article => {
      const a = quake();
      // Another outlet's copy: its own link, headline and paragraph order, so neither an exact duplicate nor one post.
      return makeArticle({ ...a, id, sourceId, url: `https://${sourceId}.example/quake`, title: `${a.title} (${sourceId})`, text: a.text.split('\n\n').reverse().join('\n\n'), contentHash: id, published: new Date(Date.parse('2025-02-20T12:00:00Z') + hours * 3_600_000).toISOString() });
    };
    // Three versions 20 hours apart in a 24-hour window: the third comes 40 hours after the first, which has left.
    const kept = assignAll([version('v1', 'wire', 0), version('v2', 'outlet-b', 20), version('v3', 'outlet-c', 40)], { windowHours: 24 });
    expect(kept.map((d) => d.action)).toEqual(['new-story', 'joined', 'joined']);
    expect(new Set(kept.map((d) => d.storyId)).size).toBe(1);
    // Control: without the version in between, the story closed 24 hours after its only member.
    const closed = assignAll([version('v1', 'wire', 0), version('v3', 'outlet-c', 40)], { windowHours: 24 });
    expect(closed.map((d) => d.action)).toEqual(['new-story', 'new-story']);
  });

  it('joins a later run to a story remembered from an earlier run within the window', () => {
    const index = newIndex();
    index.remember(quake(), 'story-from-earlier-run');
    const excerpt = makeArticle({ id: 'next-run', sourceId: 'agg', title: 'Balikesir earthquake', text: quake().text.split(/\s+/).slice(0, 60).join(' '), truncated: true, published: '2025-02-21T08:00:00Z' });
    const d = index.assign(excerpt);
    expect(d).toMatchObject({ action: 'joined', storyId: 'story-from-earlier-run' });
    expect(index.size()).toBe(2);
  });

  it('rejects options whose bands and rows do not cover the signature slots', () => {
    expect(() => newIndex({ bands: 10, rows: 4 })).toThrow(/bands × rows/);
  });
});

describe('createStoryIndex: decisions carry evidence and the runner-up', () => {
  it('gives a joined decision its score parts and the second-best story', () => {
    const album = articleFromFile(fixture('swift-album-announcement.txt'));
    const game = articleFromFile(fixture('swift-chiefs-game.txt'));
    const albumRewrite = articleFromFile(fixture('swift-album-announcement.txt'), { id: 'album-2', sourceId: 'other', title: 'The Life of a Showgirl: Swift unveils new album on New Heights', contentHash: 'x' });
    albumRewrite.text = albumRewrite.text.split('\n\n').reverse().join('\n\n');
    const [first, , third] = assignAll([album, game, albumRewrite]);
    expect(third?.action).toBe('joined');
    expect(third?.storyId).toBe(first?.storyId);
    expect(third?.score).toBeGreaterThanOrEqual(DEFAULT_CLUSTER_OPTIONS.threshold);
    expect(third?.evidence.resemblance).toBeGreaterThan(0.5);
    expect(third?.evidence.titleSimilarity).toBeGreaterThan(0);
    expect(third?.evidence.hoursApart).toBe(0);
    expect(third?.runnerUp).toBeDefined();
    expect(third?.runnerUp?.score).toBeLessThan(third?.score ?? 0);
  });
});

describe('createStoryIndex without shared evidence (`feedfold cluster`)', () => {
  it('decides every article as with it, and lists no names or numbers', () => {
    const files = ['unrelated-ecb-holds-rates.txt', 'ecb-rewrite-other-outlet.txt', 'unrelated-quake-turkey.txt', 'quake-turkey-other-event.txt', 'swift-album-announcement.txt', 'swift-chiefs-game.txt', 'unrelated-baldwin-rust-case-dismissed.txt'];
    const articles = files.flatMap((name, i) => {
      const full = articleFromFile(fixture(name), { sourceId: `outlet-${i}` });
      // An excerpt of each from an aggregator, so that some articles join and some stay apart.
      const excerpt = makeArticle({ id: `excerpt-${i}`, sourceId: 'aggregator', title: full.title, text: `${full.text.split(/\s+/).slice(0, 40).join(' ')} …`, truncated: true, ...(full.published !== undefined ? { published: full.published } : {}) });
      return [full, excerpt];
    });
    let next = 0;
    const bare = createStoryIndex(DEFAULT_CLUSTER_OPTIONS, () => `story-${next++}`, { evidence: false });
    const withEvidence = assignAll(articles);
    const without = articles.map((a) => bare.assign(a));
    const outcome = (d: Decision) => ({ storyId: d.storyId, action: d.action, score: d.score, merges: d.merges?.map((m) => [m.from, m.into, m.score]) });
    expect(without.map(outcome)).toEqual(withEvidence.map(outcome));
    expect(withEvidence.some((d) => d.action === 'joined' && (d.evidence.sharedEntities ?? []).length > 0)).toBe(true);
    for (const d of without) {
      expect(d.evidence.sharedEntities).toBeUndefined();
      expect(d.evidence.sharedNumbers).toBeUndefined();
    }
  });
});

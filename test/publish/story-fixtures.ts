import type { Article } from '../../src/model/article.js';
import type { FeedMeta, RunSummary } from '../../src/model/run.js';
import type { Decision, StoryView } from '../../src/model/story.js';

/** Builds an Article with sensible defaults; tests override what they exercise. */
export function makeArticle(overrides: Partial<Article> & Pick<Article, 'id' | 'title'>): Article {
  return {
    sourceId: 'wire',
    sourceTitle: 'Wire Service',
    sourceLink: 'https://wire.example/',
    sourceLocation: 'https://wire.example/feed.xml',
    sourceRank: 0,
    titleDerived: false,
    firstSeen: '2025-03-01T08:00:00Z',
    language: 'en',
    html: '<p>Body.</p>',
    text: 'Body.',
    truncated: false,
    contentHash: `hash-${overrides.id}`,
    categories: [],
    ...overrides,
  };
}

/** The merged feed's metadata used across publish tests. */
export const META: FeedMeta = {
  id: 'tag:feedfold.example,2025:merged',
  title: 'feedfold — merged news',
  subtitle: 'One entry per story',
  selfUrl: 'http://127.0.0.1:8080/feed.atom',
  homeUrl: 'http://127.0.0.1:8080/report',
  author: { name: 'feedfold operator', email: 'ops@feedfold.example' },
  generator: { name: 'feedfold', version: '0.1.0', uri: 'https://feedfold.example/' },
  updated: '2025-03-02T12:00:00Z',
};

const canonicalEn = makeArticle({
  id: 'wire:rates',
  sourceId: 'wire',
  sourceTitle: 'Wire Service',
  url: 'https://wire.example/rates?id=1&src=feed',
  title: 'Central bank raises rates to 4.5% — "Fish & Chips" <index> jumps',
  author: 'Ann Writer',
  firstSeen: '2025-03-01T08:00:00Z',
  html: '<p>The bank raised its key rate to <b>4.5%</b> on Monday.</p><script>alert("x")</script><p onclick="steal()">Markets &amp; bonds rallied.</p>',
  text: 'The bank raised its key rate to 4.5% on Monday. Markets & bonds rallied.',
  categories: ['Economy', 'Banks & Rates'],
});
const otherDe = makeArticle({
  id: 'zeitung:zinsen',
  sourceId: 'zeitung',
  sourceTitle: 'Die Zeitung',
  sourceLink: 'https://zeitung.example/',
  sourceLocation: 'https://zeitung.example/rss',
  url: 'https://zeitung.example/zinsen-4-5',
  title: 'Notenbank erhöht Leitzins auf 4,5 %',
  language: 'de',
  firstSeen: '2025-03-01T09:30:00Z',
});
const otherNoUrl = makeArticle({
  id: 'local:rates.txt',
  sourceId: 'clippings',
  sourceTitle: 'Local <Clippings> & Notes',
  sourceLink: undefined,
  sourceLocation: '/srv/clippings',
  url: undefined,
  title: 'Rates up again',
  firstSeen: '2025-03-01T10:00:00Z',
});

const decisions: Record<string, Decision> = {
  'wire:rates': { articleId: 'wire:rates', storyId: 'urn:uuid:5f0c6a52-0000-4000-8000-000000000001', action: 'new-story', score: 0, evidence: { candidates: 0 } },
  'zeitung:zinsen': {
    articleId: 'zeitung:zinsen',
    storyId: 'urn:uuid:5f0c6a52-0000-4000-8000-000000000001',
    action: 'joined',
    score: 0.71,
    evidence: { resemblance: 0.12, containment: 0.2, titleSimilarity: 0.31, sharedEntities: ['Notenbank', 'Leitzins'], sharedNumbers: ['4.5'], conflictingNumbers: ['<7>'], hoursApart: 1.5, candidates: 3 },
    runnerUp: { storyId: 'urn:uuid:other', score: 0.22 },
  },
  'local:rates.txt': {
    articleId: 'local:rates.txt',
    storyId: 'urn:uuid:5f0c6a52-0000-4000-8000-000000000001',
    action: 'exact-duplicate',
    score: 1,
    evidence: { exact: 'content-hash' },
  },
};

/** A story with an English canonical, a German version and a version without URL. */
export const THREE_VERSION_STORY: StoryView = {
  id: 'urn:uuid:5f0c6a52-0000-4000-8000-000000000001',
  published: '2025-03-01T08:00:00Z',
  updated: '2025-03-01T10:00:00.000Z',
  canonical: canonicalEn,
  others: [otherDe, otherNoUrl],
  canonicalReason: 'earliest first-seen among full-text versions',
  decisions,
};

/** A story with only one version. */
export const SINGLE_STORY: StoryView = {
  id: 'tag:feedfold.example,2025:story/single',
  published: '2025-03-02T07:00:00Z',
  updated: '2025-03-02T12:00:00Z',
  canonical: makeArticle({
    id: 'blog:post-1',
    sourceId: 'blog',
    sourceTitle: 'A Blog',
    sourceLink: 'https://blog.example/',
    sourceLocation: 'https://blog.example/atom.xml',
    url: 'https://blog.example/posts/1',
    title: 'A single post',
    firstSeen: '2025-03-02T07:00:00Z',
    categories: ['Notes'],
  }),
  others: [],
  canonicalReason: 'only version',
  decisions: { 'blog:post-1': { articleId: 'blog:post-1', storyId: 'tag:feedfold.example,2025:story/single', action: 'new-story', score: 0, evidence: {} } },
};

/** A story whose canonical came from a local directory and has no URL. */
export const NO_URL_STORY: StoryView = {
  id: 'tag:feedfold.example,2025:story/no-url',
  published: '2025-02-28T06:00:00Z',
  updated: '2025-02-28T06:00:00Z',
  canonical: makeArticle({
    id: 'seeds:a.txt',
    sourceId: 'seeds',
    sourceTitle: 'Seeds',
    sourceLink: undefined,
    sourceLocation: '/work/main/seeds',
    url: undefined,
    html: '',
    text: 'Plain text only, from a file.',
    title: 'Derived title from a file',
    firstSeen: '2025-02-28T06:00:00Z',
  }),
  others: [],
  canonicalReason: 'only version',
  decisions: {},
};

/** The three fixture stories, newest first. */
export const STORIES: StoryView[] = [SINGLE_STORY, THREE_VERSION_STORY, NO_URL_STORY];

/** Two runs for the report header. */
export const RUNS: RunSummary[] = [
  { runId: 2, startedAt: '2025-03-02T12:00:00Z', durationMs: 1840, sourcesOk: 3, sourcesFailed: 1, sourcesSkipped: 0, articlesNew: 4, storiesNew: 1, storiesUpdated: 1, feedChanged: true },
  { runId: 1, startedAt: '2025-03-01T12:00:00Z', durationMs: 2210, sourcesOk: 4, sourcesFailed: 0, sourcesSkipped: 0, articlesNew: 3, storiesNew: 2, storiesUpdated: 0, feedChanged: true },
];

/**
 * Review app benchmark (issue 14, acceptance 3): the first page of the review app served from a
 * store holding 5,000 stories of two versions each (10,000 articles with 2 KB texts, a join and a
 * runner-up per story), over a real loopback server. Prints the median of several loads of the
 * first page, how many stories it rendered (one page, never more), and the same for the JSON API,
 * the close-calls filter and a title search.
 *
 *   npm run bench:review            (or: npx tsx bench/review.ts [stories])
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reviewOptions } from '../src/cli/serve-command.js';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/log/create-logger.js';
import type { Article } from '../src/model/article.js';
import type { Decision } from '../src/model/story.js';
import { storyIdFor } from '../src/pipeline/story-ids.js';
import { startServer } from '../src/serve/create-server.js';
import { openStore } from '../src/store/open-store.js';
import type { StoryRow } from '../src/store/store.js';

const STORIES = Number(process.argv[2] ?? 5000);
const LOADS = 9;
const SOURCES = 20;
const T0 = Date.parse('2025-03-01T00:00:00Z');
const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** Words of story `n`: its own, so no two stories look alike. */
const words = (n: number, count: number): string => Array.from({ length: count }, (_, w) => `w${n}x${w % 97}`).join(' ');

function article(story: number, version: number): Article {
  const source = `src${(story + version * 7) % SOURCES}`;
  const at = new Date(T0 + story * 60_000 + version * 5_000).toISOString();
  const text = words(story, 300);
  return {
    id: `${source}:s${story}v${version}`,
    sourceId: source,
    sourceTitle: `Source ${source}`,
    sourceLocation: `https://${source}.example/feed.xml`,
    sourceRank: 0,
    url: `https://${source}.example/news/${story}-${version}`,
    title: `Story ${story} headline number ${story % 100} from ${source}`,
    titleDerived: false,
    published: at,
    firstSeen: at,
    language: story % 5 === 0 ? 'de' : 'en',
    html: `<p>${text}</p>`,
    text,
    truncated: false,
    contentHash: `hash-${story}-${version}`,
    categories: [],
  };
}

/** Fills the store: every story a founding version and one that joined it, with a runner-up. */
async function fill(configFile: string): Promise<void> {
  const config = loadConfig(configFile);
  const store = await openStore(config);
  try {
    await store.unitOfWork(async () => {
      await store.sources.upsertSources(Array.from({ length: SOURCES }, (_, i) => ({ spec: { id: `src${i}`, kind: 'feed-url' as const, location: `https://src${i}.example/feed.xml`, rank: 0 }, origin: 'config' as const })));
      const runId = await store.runs.startRun(new Date(T0 + STORIES * 60_000).toISOString());
      const articles: Article[] = [];
      const decisions: Decision[] = [];
      const rows: StoryRow[] = [];
      for (let n = 0; n < STORIES; n++) {
        const [first, second] = [article(n, 0), article(n, 1)];
        const id = storyIdFor(first.id);
        articles.push(first, second);
        decisions.push({ articleId: first.id, storyId: id, action: 'new-story', score: 0, evidence: { candidates: 0 } });
        const score = 0.2 + ((n * 37) % 70) / 100;
        const runnerUp = n > 0 ? { runnerUp: { storyId: storyIdFor(article(n - 1, 0).id), score: score / 3 } } : {};
        decisions.push({ articleId: second.id, storyId: id, action: 'joined', score, evidence: { resemblance: score, titleSimilarity: 0.5, sharedEntities: ['Name'] }, ...runnerUp });
        rows.push({ id, canonicalId: first.id, canonicalReason: 'earliest first-seen version', published: first.firstSeen, updated: second.firstSeen, lastSeen: second.firstSeen });
      }
      await store.articles.insertArticles(articles, () => false);
      await store.decisions.recordDecisions(runId, decisions, new Date(T0).toISOString());
      await store.stories.upsertStories(rows);
      await store.runs.finishRun({ runId, startedAt: new Date(T0).toISOString(), durationMs: 0, sourcesOk: SOURCES, sourcesFailed: 0, sourcesSkipped: 0, articlesNew: articles.length, storiesNew: STORIES, storiesUpdated: 0, feedChanged: false, outcomes: {}, joins: STORIES, feedEntries: 0, indexArticles: 0 });
    });
  } finally {
    await store.close();
  }
}

/** Loads a URL LOADS times after one warm-up; returns the median milliseconds and the last body. */
async function median(url: string): Promise<{ ms: number; body: string }> {
  let body = '';
  const times: number[] = [];
  for (let i = 0; i <= LOADS; i++) {
    const start = performance.now();
    const res = await fetch(url);
    body = await res.text();
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}: ${body.slice(0, 200)}`);
    if (i > 0) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round((times[Math.floor(times.length / 2)] as number) * 10) / 10, body };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-bench-review-'));
try {
  const configFile = path.join(dir, 'feedfold.yaml');
  writeFileSync(configFile, 'out: out\nlog:\n  level: silent\n');
  const filled = performance.now();
  await fill(configFile);
  const fillMs = Math.round(performance.now() - filled);
  const config = loadConfig(configFile);
  const review = reviewOptions(config, createLogger({ level: 'silent' }));
  const server = await startServer({ host: '127.0.0.1', port: 0, outDir: config.outDir, maxAgeSeconds: 60, review });
  try {
    const first = await median(`${server.url}/review`);
    const rendered = first.body.split('<article class="story"').length - 1;
    const api = await median(`${server.url}/api/stories`);
    const close = await median(`${server.url}/api/stories?filter=close-calls`);
    const search = await median(`${server.url}/api/stories?q=${encodeURIComponent('headline number 42')}`);
    const lastPage = await median(`${server.url}/review?page=${Math.ceil(STORIES / config.review.pageSize)}`);
    out(
      `bench-review: stories=${STORIES} first_page_ms=${first.ms} stories_rendered=${rendered} page_bytes=${Buffer.byteLength(first.body)} last_page_ms=${lastPage.ms} api_first_page_ms=${api.ms} close_calls_ms=${close.ms} search_ms=${search.ms} loads=${LOADS} fill_ms=${fillMs}`,
    );
  } finally {
    await server.close();
    await review.service.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

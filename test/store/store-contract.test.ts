import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
import type { Article } from '../../src/model/article.js';
import type { Decision } from '../../src/model/story.js';
import { applyEdits } from '../../src/pipeline/apply-edits.js';
import { applyOverrides } from '../../src/pipeline/apply-overrides.js';
import { storyIdFor } from '../../src/pipeline/story-ids.js';
import { assignArticles, refreshStories, type TouchedStories } from '../../src/pipeline/update-stories.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ReviewQuery } from '../../src/store/review-query.js';
import type { Store } from '../../src/store/store.js';
import { BACKGROUND_HEADLINES } from '../cluster/background-headlines.js';
import { makeArticle as headline } from '../cluster/make-article.js';
import { createTestDatabase, postgresMissing } from '../helpers/postgres.js';
import { makeArticle } from '../publish/story-fixtures.js';

/**
 * One contract, two backends: every case runs against SQLite (a temporary file) and PostgreSQL
 * (a database of its own on 127.0.0.1:5432, dropped after). The PostgreSQL half skips, saying
 * why, when no server answers.
 */

interface Backend {
  name: string;
  skip?: string;
  open(): Promise<{ store: Store; done: () => Promise<void> }>;
}

const pgMissing = await postgresMissing();
if (pgMissing) console.warn(`store contract: PostgreSQL cases skipped: ${pgMissing}`);

const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-contract-'));
      const store = SqliteStore.open(path.join(dir, 'feedfold.db'));
      return { store, done: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    ...(pgMissing ? { skip: pgMissing } : {}),
    async open() {
      const db = await createTestDatabase();
      const store = await PostgresStore.open(db.url);
      return { store, done: () => db.drop() };
    },
  },
];

const T0 = '2025-03-05T12:00:00.000Z';
const at = (hours: number): string => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
const spec = (id: string) => ({ spec: { id, kind: 'feed-url' as const, location: `https://${id}.example/feed.xml`, rank: 0 }, origin: 'config' as const });
const decision = (articleId: string, storyId: string, action: Decision['action'] = 'joined'): Decision => ({ articleId, storyId, action, score: 0.8125, evidence: { resemblance: 0.8, note: 'ü → ö' } });

const a1 = makeArticle({ id: 'wire:a1', title: 'Bridge opens', firstSeen: at(0), published: at(-1), sourceHash: 'h1', url: 'https://wire.example/bridge' });
const a2 = makeArticle({ id: 'wire:a2', title: 'Bridge opens to traffic', firstSeen: at(1) });
const b1 = makeArticle({ id: 'metro:b1', sourceId: 'metro', title: 'Bakery wins a prize « été »', firstSeen: at(-2), sourceHash: 'h3', categories: ['food', 'awards'] });
// Ids that sort differently by byte and by a language's collation.
const upper = makeArticle({ id: 'wire:B', title: 'Upper', firstSeen: at(2) });
const lower = makeArticle({ id: 'wire:a', title: 'Lower', firstSeen: at(2) });

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip !== undefined)(`store contract: ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`, () => {
    let store: Store;
    let done: () => Promise<void>;
    let runId: number;

    beforeEach(async () => {
      ({ store, done } = await backend.open());
      await store.unitOfWork(async () => {
        await store.sources.upsertSources([spec('wire'), spec('metro')]);
        runId = await store.runs.startRun(T0);
        await store.articles.insertArticles([a1, a2, b1, upper, lower], (a) => a.id !== 'wire:a');
      });
    });
    afterEach(async () => {
      await store.close();
      await done();
    });

    it('keeps sources with their fetch state, feed info and newest item date', async () => {
      await store.sources.upsertSources([{ spec: { ...spec('wire').spec, title: 'Wire' }, origin: 'config' }, spec('opml1'), { ...spec('opml2'), origin: 'opml' }]);
      await store.sources.saveSourceState({ sourceId: 'wire', url: 'https://wire.example/moved.xml', etag: '"e1"', errorCount: 2, lastError: 'fetch: http 503', lastErrorKind: 'fetch.http-server-error', lastStatus: 503, nextFetchAt: at(3), lastSuccessAt: at(-5), retired: false });
      await store.sources.saveFeedInfo('wire', 'Wire Service', undefined);
      await store.sources.noteSourceDates([['wire', at(1)], ['wire', at(4)], ['metro', at(2)]]);
      await store.sources.noteSourceDates([['wire', at(3)]]);
      const wire = await store.sources.getSource('wire');
      expect(wire).toEqual({
        spec: { id: 'wire', kind: 'feed-url', location: 'https://wire.example/feed.xml', rank: 0, title: 'Wire' },
        origin: 'config',
        state: { sourceId: 'wire', url: 'https://wire.example/moved.xml', etag: '"e1"', lastModified: undefined, errorCount: 2, lastError: 'fetch: http 503', lastErrorKind: 'fetch.http-server-error', lastStatus: 503, nextFetchAt: at(3), lastSuccessAt: at(-5), retired: false },
        feedTitle: 'Wire Service',
        feedLink: undefined,
      });
      expect((await store.sources.listSources()).map((s) => s.spec.id)).toEqual(['metro', 'opml1', 'opml2', 'wire']);
      expect((await store.sources.listSources('opml')).map((s) => s.spec.id)).toEqual(['opml2']);
      expect(Object.fromEntries(await store.sources.sourcesUpdated(['wire', 'metro', 'opml1']))).toEqual({ wire: at(4), metro: at(2) });
      expect(await store.sources.getSource('none')).toBeUndefined();
    });

    it('answers list lookups of articles with the stored ones only, exactly as inserted', async () => {
      const ids = ['wire:a1', 'wire:zz', 'metro:b1', 'wire:a2'];
      expect([...(await store.articles.storedArticleIds(ids))].sort()).toEqual(['metro:b1', 'wire:a1', 'wire:a2']);
      expect(Object.fromEntries(await store.articles.storedSourceHashes(ids))).toEqual({ 'wire:a1': { sourceHash: 'h1' }, 'wire:a2': {}, 'metro:b1': { sourceHash: 'h3' } });
      const read = await store.articles.getArticles(ids);
      expect(Object.fromEntries(read)).toEqual({ 'wire:a1': a1, 'wire:a2': a2, 'metro:b1': b1 });
      expect(await store.articles.findArticlesByUrl('https://wire.example/bridge')).toEqual([a1]);
      expect((await store.articles.storedArticleIds([])).size).toBe(0);
      expect(await store.articles.countArticles()).toBe(5);
      // Pending, oldest first, ties by id compared byte by byte ('B' < 'a').
      expect(await store.articles.pendingArticleIds()).toEqual(['metro:b1', 'wire:a1', 'wire:a2', 'wire:B']);
      const edited = { ...a2, title: 'Bridge opens to all traffic', sourceHash: 'h2' };
      await store.articles.updateArticle(edited);
      expect((await store.articles.getArticles([a2.id])).get(a2.id)).toEqual(edited);
    });

    it('records decisions in order: memberships follow the last, the articles stop pending', async () => {
      await store.unitOfWork(() =>
        store.decisions.recordDecisions(runId, [decision('wire:a1', 'bridge', 'new-story'), decision('wire:a2', 'bakery'), { ...decision('wire:a2', 'bridge'), action: 'overridden' }, decision('metro:b1', 'bakery', 'new-story')], T0),
      );
      expect(Object.fromEntries(await store.stories.storiesOf(['wire:a1', 'wire:a2', 'metro:b1', 'wire:B']))).toEqual({ 'wire:a1': 'bridge', 'wire:a2': 'bridge', 'metro:b1': 'bakery' });
      const latest = await store.decisions.latestDecisions(['wire:a2', 'wire:a1', 'wire:B']);
      expect(latest.get('wire:a2')).toEqual({ ...decision('wire:a2', 'bridge'), action: 'overridden' });
      expect(latest.get('wire:a1')).toEqual(decision('wire:a1', 'bridge', 'new-story'));
      expect(latest.has('wire:B')).toBe(false);
      expect(await store.articles.pendingArticleIds()).toEqual(['wire:B']);
      const snap = await store.snapshot();
      expect(snap.decisions.map((d) => `${d.articleId}>${d.storyId}`)).toEqual(['wire:a1>bridge', 'wire:a2>bakery', 'wire:a2>bridge', 'metro:b1>bakery']);
      expect(snap.articles.find((a) => a.id === 'wire:a')?.pending).toBe(false);
    });

    it('finds a story by its article\'s edited title, in its new language, and no longer by the old title', async () => {
      await store.decisions.recordDecisions(runId, [decision('wire:a1', 'bridge', 'new-story'), decision('metro:b1', 'bakery', 'new-story')], T0);
      const row = (id: string, canonicalId: string) => ({ id, canonicalId, canonicalReason: 'earliest', published: at(-3), updated: at(1), lastSeen: T0 });
      await store.stories.upsertStories([row('bridge', 'wire:a1'), row('bakery', 'metro:b1')]);
      const page = async (q: Partial<ReviewQuery>): Promise<string[]> => (await store.stories.reviewPage({ filters: [], threshold: 0.25, margin: 0.05, limit: 10, offset: 0, ...q })).rows.map((r) => r.id);
      expect(await page({ q: 'bridge opens' })).toEqual(['bridge']);
      await store.articles.updateArticle({ ...a1, title: 'Pont ouvert à la circulation', language: 'fr' });
      expect(await page({ q: 'bridge opens' })).toEqual([]);
      expect(await page({ q: 'pont ouvert' })).toEqual(['bridge']);
      expect(await page({ language: 'fr' })).toEqual(['bridge']);
    });

    it('pages stories for the review app by filter and title search, and keeps corrections with their audit fields', async () => {
      await store.decisions.recordDecisions(
        runId,
        [
          decision('wire:a1', 'bridge', 'new-story'),
          { ...decision('wire:a2', 'bridge'), score: 0.27 },
          decision('metro:b1', 'bakery', 'new-story'),
          { ...decision('wire:B', 'ties', 'overridden'), evidence: { note: 'split', override: 'split wire:B' } },
          decision('wire:a', 'ties'),
        ],
        T0,
      );
      const row = (id: string, canonicalId: string, updated: string, reason = 'earliest') => ({ id, canonicalId, canonicalReason: reason, published: at(-3), updated, lastSeen: T0 });
      await store.stories.upsertStories([row('bridge', 'wire:a1', at(1)), row('bakery', 'metro:b1', at(-1), 'pinned by an override'), row('ties', 'wire:B', at(5))]);
      const page = async (q: Partial<ReviewQuery>): Promise<string[]> => (await store.stories.reviewPage({ filters: [], threshold: 0.25, margin: 0.05, limit: 10, offset: 0, ...q })).rows.map((r) => r.id);
      expect(await page({})).toEqual(['ties', 'bridge', 'bakery']);
      expect(await store.stories.reviewPage({ filters: [], threshold: 0.25, margin: 0.05, limit: 1, offset: 1 })).toMatchObject({ rows: [{ id: 'bridge' }], total: 3 });
      expect(await page({ filters: ['folded'] })).toEqual(['ties', 'bridge']);
      expect(await page({ filters: ['close-calls'] })).toEqual(['bridge']);
      expect(await page({ filters: ['overridden'] })).toEqual(['ties', 'bakery']);
      expect(await page({ source: 'metro' })).toEqual(['bakery']);
      expect(await page({ q: 'BRIDGE traffic' })).toEqual(['bridge']);
      expect(await page({ q: '« été' })).toEqual(['bakery']);
      expect(await page({ q: '100%_' })).toEqual([]);
      expect(await page({ language: 'en', filters: ['folded', 'close-calls'] })).toEqual(['bridge']);
      expect(await store.stories.storiesWithReason('pinned by')).toEqual(['bakery']);
      expect((await store.decisions.overridePlacements()).map((d) => d.articleId)).toEqual(['wire:B']);

      const first = await store.overrides.addOverride({ action: 'split', article: 'wire:a2' }, 'ann', at(1));
      const second = await store.overrides.addOverride({ action: 'merge', stories: ['bridge', 'bakery'] }, 'bob', at(2));
      expect(await store.overrides.undoOverride(first, 'cy', at(3))).toEqual({ id: first, correction: { action: 'split', article: 'wire:a2' }, createdBy: 'ann', createdAt: at(1), undoneAt: at(3), undoneBy: 'cy' });
      // Undone once: a second undo keeps the first's time and name.
      expect((await store.overrides.undoOverride(first, 'dan', at(4)))?.undoneBy).toBe('cy');
      expect(await store.overrides.undoOverride(999, 'dan', at(4))).toBeUndefined();
      expect((await store.overrides.activeOverrides()).map((o) => o.correction)).toEqual([{ action: 'merge', stories: ['bridge', 'bakery'] }]);
      expect((await store.overrides.listOverrides(10)).map((o) => o.id)).toEqual([second, first]);
    });

    it('keeps stories and lists their members, earliest first-seen first, taking loaded articles as they are', async () => {
      await store.decisions.recordDecisions(runId, [decision('wire:a2', 'bridge'), decision('wire:a1', 'bridge'), decision('wire:B', 'ties'), decision('wire:a', 'ties'), decision('metro:b1', 'bakery')], T0);
      const row = (id: string, canonicalId: string, updated: string) => ({ id, canonicalId, canonicalReason: 'earliest', published: at(-3), updated, lastSeen: T0 });
      await store.stories.upsertStories([row('bridge', 'wire:a1', at(1)), row('bakery', 'metro:b1', at(-1)), row('ties', 'wire:B', at(5)), row('empty', 'wire:zz', at(6))]);
      await store.stories.upsertStories([row('bridge', 'wire:a2', at(2))]);
      expect((await store.stories.getStories(['bridge', 'none'])).get('bridge')).toEqual(row('bridge', 'wire:a2', at(2)));
      expect([...(await store.stories.storedStoryIds(['bakery', 'none']))]).toEqual(['bakery']);
      const members = await store.stories.membersOf(['bridge', 'ties', 'none'], new Map([[a2.id, a2]]));
      expect(members.get('bridge')?.map((a) => a.id)).toEqual(['wire:a1', 'wire:a2']);
      expect(members.get('bridge')?.[1]).toBe(a2);
      expect(members.get('ties')?.map((a) => a.id)).toEqual(['wire:B', 'wire:a']);
      expect(members.has('none')).toBe(false);
      // Newest updated first, ties by id; a story without members is not listed.
      expect((await store.stories.recentStories(at(0), 10)).map((s) => s.id)).toEqual(['ties', 'bridge']);
      expect((await store.stories.recentStories(at(-10), 2)).map((s) => s.id)).toEqual(['ties', 'bridge']);
      expect((await store.stories.recentStories(at(-10), 10)).map((s) => s.id)).toEqual(['ties', 'bridge', 'bakery']);
      await store.stories.deleteStories(['bakery', 'none']);
      expect((await store.snapshot()).stories.map((s) => s.id)).toEqual(['bridge', 'empty', 'ties']);
    });

    it('commits a unit of work whole, or nothing of it when it throws', async () => {
      await expect(
        store.unitOfWork(async () => {
          await store.decisions.recordDecisions(runId, [decision('wire:a1', 'bridge')], T0);
          await store.stories.upsertStories([{ id: 'bridge', canonicalId: 'wire:a1', canonicalReason: 'r', published: T0, updated: T0, lastSeen: T0 }]);
          throw new Error('killed mid-batch');
        }),
      ).rejects.toThrow('killed mid-batch');
      let snap = await store.snapshot();
      expect(snap.decisions).toEqual([]);
      expect(snap.members).toEqual([]);
      expect(snap.stories).toEqual([]);
      expect(snap.articles.filter((a) => a.pending).length).toBe(4);
      await store.unitOfWork(() => store.decisions.recordDecisions(runId, [decision('wire:a1', 'bridge')], T0));
      snap = await store.snapshot();
      expect(snap.members).toEqual([{ articleId: 'wire:a1', storyId: 'bridge' }]);
    });

    it("moves the articles' generation on when told, within a unit of work's commit", async () => {
      const start = await store.articles.generation();
      await expect(
        store.unitOfWork(async () => {
          await store.articles.bumpGeneration();
          throw new Error('killed');
        }),
      ).rejects.toThrow('killed');
      expect(await store.articles.generation()).toBe(start);
      await store.unitOfWork(() => store.articles.bumpGeneration());
      expect(await store.articles.generation()).toBe(start + 1);
    });

    it('commits a unit that need not reach the disk at once the same way, whole or not at all', async () => {
      await expect(
        store.unitOfWork(async () => {
          await store.decisions.recordDecisions(runId, [decision('wire:a1', 'bridge')], T0);
          throw new Error('killed mid-source');
        }, { durable: false }),
      ).rejects.toThrow('killed mid-source');
      expect((await store.snapshot()).members).toEqual([]);
      await store.unitOfWork(() => store.decisions.recordDecisions(runId, [decision('wire:a1', 'bridge')], T0), { durable: false });
      // A durable unit after it works as before.
      await store.unitOfWork(() => store.decisions.recordDecisions(runId, [decision('wire:a2', 'bridge')], T0));
      expect((await store.snapshot()).members).toEqual([
        { articleId: 'wire:a1', storyId: 'bridge' },
        { articleId: 'wire:a2', storyId: 'bridge' },
      ]);
    });

    it('records runs, and re-dates what a clock ahead wrote', async () => {
      const second = await store.runs.startRun(at(10));
      expect(second).toBeGreaterThan(runId);
      const summary = { runId: second, startedAt: at(10), durationMs: 5, sourcesOk: 2, sourcesFailed: 0, sourcesSkipped: 0, articlesNew: 5, storiesNew: 1, storiesUpdated: 0, feedChanged: true };
      await store.runs.finishRun(summary);
      expect(await store.runs.recentRuns(5)).toEqual([summary]);
      expect(await store.runs.firstRunStartedAt()).toBe(T0);
      expect(await store.runs.lastRunStartedAt()).toBe(at(10));
      await store.decisions.recordDecisions(runId, [decision('wire:B', 'ties')], T0);
      await store.stories.upsertStories([{ id: 'ties', canonicalId: 'wire:B', canonicalReason: 'r', published: at(2), updated: at(2), lastSeen: at(2) }]);
      await store.sources.noteSourceDates([['wire', at(2)]]);
      const redated = await store.runs.redateAfter(at(1.5), at(1));
      expect(redated).toEqual({ articles: 2, stories: 1 });
      expect((await store.articles.getArticles(['wire:B'])).get('wire:B')?.firstSeen).toBe(at(1));
      expect((await store.stories.getStories(['ties'])).get('ties')).toMatchObject({ published: at(1), updated: at(1), lastSeen: at(1) });
      expect((await store.sources.sourcesUpdated(['wire'])).get('wire')).toBe(at(1));
    });

    it('prunes old stories with their members and decisions, keeps what is kept, and leaves tombstones a feed listing the item renews', async () => {
      const late = makeArticle({ id: 'metro:late', sourceId: 'metro', title: 'Late version', firstSeen: at(4) });
      const waiting = makeArticle({ id: 'metro:p', sourceId: 'metro', title: 'Still pending', firstSeen: at(-5) });
      await store.articles.insertArticles([late, waiting], (a) => a.id === 'metro:p');
      const second = await store.runs.startRun(at(1));
      const idle = await store.runs.startRun(at(1.5));
      const recent = await store.runs.startRun(at(5));
      await store.decisions.recordDecisions(runId, [decision('wire:a1', 'bridge', 'new-story'), decision('metro:b1', 'bakery', 'new-story'), decision('wire:B', 'ties', 'new-story'), decision('metro:late', 'late', 'new-story')], T0);
      await store.decisions.recordDecisions(second, [decision('wire:a2', 'bridge')], at(1));
      const row = (id: string, updated: string) => ({ id, canonicalId: 'x', canonicalReason: 'earliest', published: at(-3), updated, lastSeen: updated });
      await store.stories.upsertStories([row('bridge', at(1)), row('bakery', at(-1)), row('ties', at(2)), row('empty', at(0)), row('late', at(0)), row('fresh', at(9))]);
      const plan = { now: at(6), before: at(3), keepStories: ['ties'], keepArticles: ['wire:a2'], runsBefore: at(2), tombstonesBefore: at(0), limit: 100 };

      const before = store.statementCount();
      // At most one story (the oldest) and one article of no story per pruning.
      const pruned = await store.unitOfWork(() => store.retention.prune({ ...plan, limit: 1 }));
      const used = store.statementCount() - before;
      // bakery (old, all members old), then empty (no members) and the back-catalogue article wire:a go; ties is kept by name,
      // bridge by its article wire:a2, late by a member first seen after the cutoff, fresh by its date; the pending article stays.
      expect(pruned).toEqual({ articles: [{ id: 'metro:b1' }, { id: 'wire:a' }], stories: 1, decisions: 1, runs: 1, tombstones: 0 });
      expect(await store.unitOfWork(() => store.retention.prune(plan))).toEqual({ articles: [], stories: 1, decisions: 0, runs: 0, tombstones: 0 });
      const snap = await store.snapshot();
      expect(snap.articles.map((a) => a.id)).toEqual(['metro:late', 'metro:p', 'wire:B', 'wire:a1', 'wire:a2']);
      expect(snap.stories.map((s) => s.id)).toEqual(['bridge', 'fresh', 'late', 'ties']);
      expect(snap.members.map((m) => m.articleId)).toEqual(['metro:late', 'wire:B', 'wire:a1', 'wire:a2']);
      expect(snap.decisions.map((d) => d.articleId)).toEqual(['wire:a1', 'wire:B', 'metro:late', 'wire:a2']);
      // The idle run goes; the first run, a run a kept decision names and a recent run stay.
      expect(snap.runs.map((r) => r.id)).toEqual([runId, second, recent]);
      expect(idle).toBeGreaterThan(second);

      // Tombstones: a pruned article is known by its source hash, and listing it keeps its tombstone.
      expect(await store.retention.countPruned()).toBe(2);
      expect(Object.fromEntries(await store.retention.listedPruned(['metro:b1', 'wire:a1', 'wire:zz'], at(10)))).toEqual({ 'metro:b1': { sourceHash: 'h3' } });
      await store.retention.holdPruned(['wire'], at(20));
      const again = await store.unitOfWork(() => store.retention.prune({ ...plan, now: at(21), tombstonesBefore: at(15) }));
      // Nothing more is old; metro:b1 was last listed at 10, wire:a held at 20.
      expect(again).toEqual({ articles: [], stories: 0, decisions: 0, runs: 0, tombstones: 1 });
      expect(Object.fromEntries(await store.retention.listedPruned(['metro:b1', 'wire:a'], at(22)))).toEqual({ 'wire:a': {} });
      // A fixed number of statements, whatever was pruned.
      const nothing = store.statementCount();
      await store.unitOfWork(() => store.retention.prune({ ...plan, now: at(23) }));
      expect(store.statementCount() - nothing).toBe(used);
      expect((await store.retention.compact(1)).mode).toBe('none');
    });

    it('hands a lock to one holder at a time, renewed and released by it only', async () => {
      const me = { pid: 100, host: 'a', acquiredAt: T0, expiresAt: at(1) };
      const other = { pid: 200, host: 'b', acquiredAt: T0, expiresAt: at(2) };
      expect(await store.locks.acquireLock('run', me, () => false)).toEqual({ ok: true });
      expect(await store.locks.acquireLock('run', other, () => false)).toEqual({ ok: false, holder: me });
      expect(await store.locks.renewLock('run', 100, 'a', at(3))).toBe(true);
      expect(await store.locks.renewLock('run', 200, 'b', at(3))).toBe(false);
      await store.locks.releaseLock('run', 200, 'b');
      expect(await store.locks.lockHolder('run')).toEqual({ ...me, expiresAt: at(3) });
      expect(await store.locks.acquireLock('run', other, () => true)).toEqual({ ok: true, replaced: { ...me, expiresAt: at(3) } });
      expect(await store.locks.clearLock('run')).toEqual(other);
      expect(await store.locks.lockHolder('run')).toBeUndefined();
    });

    it('leases due sources to one worker at a time, until the lease lapses', async () => {
      await store.sources.upsertSources([spec('alpha'), spec('beta'), spec('gamma')]);
      await store.sources.saveSourceState({ sourceId: 'gamma', url: 'https://gamma.example/feed.xml', errorCount: 1, nextFetchAt: at(5), retired: false });
      await store.sources.saveSourceState({ sourceId: 'metro', url: 'https://metro.example/feed.xml', errorCount: 9, retired: true });
      const wall = '2030-01-01T00:00:00.000Z';
      const later = '2030-01-01T00:02:00.000Z';
      expect(await store.sources.countClaimable(T0, wall)).toBe(3);
      const [first, second] = await Promise.all([store.sources.claimDueSources('w1', T0, wall, later, 2), store.sources.claimDueSources('w2', T0, wall, later, 2)]);
      const ids = [...(first ?? []), ...(second ?? [])].map((r) => r.spec.id);
      // Due: alpha, beta, wire (gamma waits for its back-off, metro is retired); each leased once.
      expect([...ids].sort()).toEqual(['alpha', 'beta', 'wire']);
      expect(await store.sources.claimDueSources('w3', T0, wall, later, 10)).toEqual([]);
      expect(await store.sources.countClaimable(T0, wall)).toBe(0);
      expect(await store.sources.countClaimable(at(6), later)).toBe(4);
      // Past the leases, and past gamma's back-off, they are due again.
      const again = await store.sources.claimDueSources('w3', at(6), later, '2030-01-01T00:04:00.000Z', 10);
      expect(again.map((r) => r.spec.id)).toEqual(['alpha', 'beta', 'gamma', 'wire']);
    });

    /** The statements one clustering batch of `articles` takes, as the run commits it, with a fresh index. */
    const batchStatements = async (articles: Article[], threshold?: number): Promise<number> => {
      const logger = pino({ level: 'silent' });
      await store.articles.insertArticles(articles, () => true);
      const index = createStoryIndex({ ...DEFAULT_CLUSTER_OPTIONS, ...(threshold !== undefined ? { threshold } : {}) }, (a) => storyIdFor(a.id));
      const ctx = { runId, now: T0, logger };
      const before = store.statementCount();
      await store.unitOfWork(async () => {
        const touched: TouchedStories = new Map();
        await applyEdits(store, [], touched, ctx);
        await assignArticles(store, index, articles, ctx, touched);
        const { pins } = await applyOverrides(store, { split: [], merge: [], pin: [] }, touched, ctx);
        await refreshStories(store, touched, pins, { policy: 'earliest-complete', completeRatio: 0.8 }, T0);
      });
      return store.statementCount() - before;
    };

    it('runs a cluster batch with a number of statements that does not grow with its size', async () => {
      const batchOf = async (size: number, offset: number): Promise<number> => {
        const articles: Article[] = Array.from({ length: size }, (_, i) => {
          const n = offset + i;
          // Words of their own per article: every one starts a story, none merges.
          const words = Array.from({ length: 40 }, (_, w) => `w${n}x${w}`).join(' ');
          return makeArticle({ id: `wire:n${n}`, title: `Item ${n} q${n}z`, text: words, html: `<p>${words}</p>`, firstSeen: T0 });
        });
        const used = await batchStatements(articles);
        expect((await store.stories.storiesOf(articles.map((a) => a.id))).size).toBe(size);
        return used;
      };
      const small = await batchOf(5, 0);
      const large = await batchOf(60, 100);
      expect(small).toBeGreaterThan(0);
      expect(large).toBe(small);
    });

    it('applies the story merges of a cluster batch with a number of statements that does not grow with their count', async () => {
      // Three headlines of one launch; under a strict join threshold the third starts a story of its own, which then
      // merges into the first (test/cluster/merge-stories.test.ts). Each copy has words of its own: one merge each.
      const LAUNCH = ['Titanfall launch: Xbox One servers strained', 'Titanfall launch strains Xbox One servers', 'Xbox One gets Titanfall, its first big launch'];
      const batchOf = async (copies: number, offset: number): Promise<number> => {
        const titles = [...BACKGROUND_HEADLINES, ...Array.from({ length: copies }, (_, k) => LAUNCH.map((t) => t.replace(/[A-Za-z]+/g, (w) => `${w}${'bcdfgh'[k]}`))).flat()];
        // Headlines only, ten minutes apart, each from an outlet of its own.
        const articles = titles.map((title, i) => headline({ id: `wire:m${offset + i}`, sourceId: 'wire', publisher: `outlet-${i}`, title, published: new Date(Date.parse(T0) + i * 600_000).toISOString() }));
        const used = await batchStatements(articles, 0.7);
        const latest = await store.decisions.latestDecisions(articles.map((a) => a.id));
        // The third headline of each copy was moved by its merge; its first two and the background were not.
        expect([...latest.values()].filter((d) => d.action === 'merged').map((d) => d.articleId)).toEqual(
          Array.from({ length: copies }, (_, k) => `wire:m${offset + BACKGROUND_HEADLINES.length + 3 * k + 2}`),
        );
        return used;
      };
      const one = await batchOf(1, 0);
      const five = await batchOf(5, 100);
      expect(five).toBe(one);
    });
  });
}

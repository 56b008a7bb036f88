import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { applyEdits, applyWorkerEdits } from '../../src/pipeline/apply-edits.js';
import type { TouchedStories } from '../../src/pipeline/update-stories.js';
import { getArticle } from '../../src/store/lookups.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeArticle } from '../publish/story-fixtures.js';

const NOW = '2025-03-05T18:00:00.000Z';

async function setup(stored: ReturnType<typeof makeArticle>[], canonicalId: string) {
  const store = SqliteStore.open(':memory:');
  const records: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => records.push(JSON.parse(line) as Record<string, unknown>) });
  await store.articles.insertArticles(stored);
  await store.decisions.recordDecisions(1, stored.map((a) => ({ articleId: a.id, storyId: 'story-1', action: 'joined' as const, score: 1, evidence: {} })), NOW);
  await store.stories.upsertStories([{ id: 'story-1', canonicalId, canonicalReason: 'r', published: '2025-03-03T08:00:00.000Z', updated: '2025-03-03T08:00:00.000Z', lastSeen: NOW }]);
  return { store, records, logger };
}

describe('applyEdits', () => {
  const canonical = makeArticle({ id: 'wire:a', title: 'Ferry suspended', published: '2025-03-03T08:00:00.000Z', sourceHash: 'h1' });
  const other = makeArticle({ id: 'post:b', title: 'Ferry halted', published: '2025-03-03T09:00:00.000Z', sourceHash: 'h2' });

  it('follows a re-sent item whose hash changed: stored article replaced, edit logged, story touched significantly when it is the canonical', async () => {
    const { store, records, logger } = await setup([canonical, other], canonical.id);
    const touched: TouchedStories = new Map();
    const edited = { ...canonical, title: 'Ferry suspended after fire', sourceHash: 'h1b', firstSeen: NOW };
    expect(await applyEdits(store, [edited], touched, { now: NOW, logger })).toBe(1);
    expect(await getArticle(store, canonical.id)).toMatchObject({ title: 'Ferry suspended after fire', firstSeen: canonical.firstSeen, published: canonical.published });
    expect(touched.get('story-1')).toEqual({ isNew: false, memberChange: false, changedAt: NOW, editedAt: NOW });
    expect(records.filter((r) => r.msg === 'article edited')).toEqual([expect.objectContaining({ story: 'story-1', oldTitle: 'Ferry suspended', newTitle: 'Ferry suspended after fire' })]);
    await store.close();
  });

  it('touches a story only quietly when a non-canonical version changes its text but not its title', async () => {
    const { store, logger } = await setup([canonical, other], canonical.id);
    const touched: TouchedStories = new Map();
    await applyEdits(store, [{ ...other, text: 'More words.', sourceHash: 'h2b' }], touched, { now: NOW, logger });
    expect(touched.get('story-1')).toEqual({ isNew: false, memberChange: false, editedAt: NOW });
    await store.close();
  });

  it('ignores an unchanged re-send, and only records the hash of an article stored before hashes unless its title changed', async () => {
    const legacy = { ...canonical, sourceHash: undefined };
    const { store, records, logger } = await setup([legacy, other], canonical.id);
    const touched: TouchedStories = new Map();
    expect(await applyEdits(store, [other, { ...canonical, text: 'Cleaned differently.' }], touched, { now: NOW, logger })).toBe(0);
    expect(touched.size).toBe(0);
    expect((await store.articles.storedSourceHashes([canonical.id])).get(canonical.id)).toEqual({ sourceHash: 'h1' });
    expect((await getArticle(store, canonical.id))?.text).toBe(canonical.text);
    expect(records.filter((r) => r.msg === 'article edited')).toEqual([]);
    await store.close();
  });

  it("keeps an operator's pinned canonical when a worker applies an edit and refreshes the story", async () => {
    const policy = { policy: 'earliest-complete' as const, completeRatio: 0.8 };
    const edit = { ...canonical, title: 'Ferry suspended after fire', sourceHash: 'h1b', firstSeen: NOW };
    // Without a pin the refresh picks the canonical by policy: the edited wire version.
    const free = await setup([canonical, other], other.id);
    expect(await applyWorkerEdits(free.store, [edit], { overrides: { merge: [], split: [], pin: [] }, policy, now: NOW, logger: free.logger })).toBe(1);
    expect((await free.store.stories.getStories(['story-1'])).get('story-1')?.canonicalId).toBe(canonical.id);
    await free.store.close();
    // With the pin the other version stays canonical.
    const pinned = await setup([canonical, other], other.id);
    expect(await applyWorkerEdits(pinned.store, [edit], { overrides: { merge: [], split: [], pin: [{ story: 'story-1', canonical: other.id }] }, policy, now: NOW, logger: pinned.logger })).toBe(1);
    expect((await pinned.store.stories.getStories(['story-1'])).get('story-1')).toMatchObject({ canonicalId: other.id, canonicalReason: expect.stringMatching(/pinned/) });
    await pinned.store.close();
  });
});

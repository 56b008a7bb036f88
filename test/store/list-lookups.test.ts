import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/model/story.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import { makeArticle } from '../publish/story-fixtures.js';

/**
 * The store's lookups for a list (one query for many ids) answer what the one-id lookups answer,
 * statements are prepared once per connection, and new stores use 8 KiB pages.
 */

const a1 = makeArticle({ id: 'wire:a1', title: 'Bridge opens', firstSeen: '2025-03-05T12:00:00.000Z', sourceHash: 'h1' });
const a2 = makeArticle({ id: 'wire:a2', title: 'Bridge opens to traffic', firstSeen: '2025-03-05T13:00:00.000Z' });
const b1 = makeArticle({ id: 'metro:b1', title: 'Bakery wins a prize', firstSeen: '2025-03-05T11:00:00.000Z', sourceHash: 'h3' });

const decision = (articleId: string, storyId: string): Decision => ({ articleId, storyId, action: 'joined', score: 0.8, evidence: { resemblance: 0.8 } });

describe('store lookups for a list', () => {
  let dir = '';
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-lists-'));
    store = Store.open(path.join(dir, 'feedfold.db'));
    const runId = store.startRun('2025-03-05T13:00:00.000Z');
    store.transaction(() => {
      for (const a of [a1, a2, b1]) store.insertArticle(a);
      store.recordDecisions(runId, [decision('wire:a1', 'bridge'), decision('wire:a2', 'bridge'), decision('metro:b1', 'bakery')], '2025-03-05T13:00:00.000Z');
      store.upsertStory({ id: 'bridge', canonicalId: 'wire:a1', canonicalReason: 'first', published: a1.firstSeen, updated: a2.firstSeen, lastSeen: a2.firstSeen });
    });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells which ids are stored articles, with their source hashes', () => {
    const ids = ['wire:a1', 'wire:zz', 'metro:b1', 'wire:a2'];
    expect([...store.storedArticleIds(ids)].sort()).toEqual(['metro:b1', 'wire:a1', 'wire:a2']);
    const hashes = store.storedSourceHashes(ids);
    expect(Object.fromEntries(hashes)).toEqual({ 'wire:a1': { sourceHash: 'h1' }, 'wire:a2': {}, 'metro:b1': { sourceHash: 'h3' } });
    for (const id of ids) expect(hashes.get(id)).toEqual(store.storedSourceHash(id));
    expect(store.storedArticleIds([]).size).toBe(0);
  });

  it('reads articles and stories by id, the stored ones only', () => {
    expect(Object.fromEntries(store.getArticles(['metro:b1', 'wire:zz']))).toEqual({ 'metro:b1': store.getArticle('metro:b1') });
    expect(Object.fromEntries(store.getStories(['bridge', 'bakery']))).toEqual({ bridge: store.getStory('bridge') });
    expect([...store.storedStoryIds(['bakery', 'bridge', 'none'])]).toEqual(['bridge']);
  });

  it('lists members of several stories as members() does, taking loaded articles as they are', () => {
    const members = store.membersOf(['bridge', 'bakery', 'empty']);
    expect(members.get('bridge')).toEqual(store.members('bridge'));
    expect(members.get('bakery')).toEqual(store.members('bakery'));
    expect(members.has('empty')).toBe(false);
    const loaded = new Map([[a2.id, a2]]);
    const bridge = store.membersOf(['bridge'], loaded).get('bridge') ?? [];
    expect(bridge.map((a) => a.id)).toEqual(['wire:a1', 'wire:a2']);
    expect(bridge[1]).toBe(a2);
  });

  it('records decisions in order and moves each article to the story its decision names', () => {
    const runId = store.startRun('2025-03-05T14:00:00.000Z');
    store.recordDecisions(runId, [decision('wire:a2', 'bakery'), { ...decision('wire:a2', 'bridge'), action: 'overridden' }], '2025-03-05T14:00:00.000Z');
    expect(store.storyOf('wire:a2')).toBe('bridge');
    expect(store.latestDecision('wire:a2')).toMatchObject({ storyId: 'bridge', action: 'overridden' });
    const row = store.db.prepare('SELECT decision_id FROM story_members WHERE article_id = ?').get('wire:a2') as { decision_id: number };
    expect(row.decision_id).toBe((store.db.prepare('SELECT max(id) AS id FROM decisions').get() as { id: number }).id);
  });

  it('prepares each statement once per connection, not on every call', () => {
    const db = store.db;
    const prepare = db.prepare.bind(db);
    const prepared: string[] = [];
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const runId = store.startRun('2025-03-05T15:00:00.000Z');
    for (let i = 0; i < 3; i++) {
      const a = makeArticle({ id: `wire:n${i}`, title: `New ${i}`, firstSeen: '2025-03-05T15:00:00.000Z' });
      store.transaction(() => {
        store.insertArticle(a);
        store.recordDecisions(runId, [decision(a.id, `story-${i}`)], '2025-03-05T15:00:00.000Z');
        store.upsertStory({ id: `story-${i}`, canonicalId: a.id, canonicalReason: 'only', published: a.firstSeen, updated: a.firstSeen, lastSeen: a.firstSeen });
        store.saveFeedInfo('wire', 'Wire', undefined);
      });
      store.membersOf([`story-${i}`]);
      store.storedArticleIds([a.id]);
    }
    expect(prepared.length).toBeGreaterThan(0);
    expect(new Set(prepared).size).toBe(prepared.length);
  });
});

describe('store pages', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes new stores with 8 KiB pages and leaves an existing store its own', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-pages-'));
    const fresh = Store.open(path.join(dir, 'new.db'));
    expect(fresh.db.pragma('page_size', { simple: true })).toBe(8192);
    fresh.close();

    const oldFile = path.join(dir, 'old.db');
    const db = new Database(oldFile);
    db.pragma('page_size = 4096');
    db.exec(MIGRATIONS[0] as string);
    db.pragma('user_version = 1');
    db.close();
    const old = Store.open(oldFile);
    expect(old.db.pragma('page_size', { simple: true })).toBe(4096);
    old.close();
  });
});

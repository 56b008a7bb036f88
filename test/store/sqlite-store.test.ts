import { executionAsyncId } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { SqliteArticles } from '../../src/store/sqlite/articles.js';
import { SqliteConnection } from '../../src/store/sqlite/connection.js';
import { SqliteDecisions } from '../../src/store/sqlite/decisions.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeArticle } from '../publish/story-fixtures.js';

/** SQLite specifics: statements are prepared once per connection, and new stores use 8 KiB pages. */

describe('SQLite connection', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prepares each statement once per connection, not on every call', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-lists-'));
    const file = path.join(dir, 'feedfold.db');
    SqliteStore.open(file).close();
    const db = new Database(file);
    const prepare = db.prepare.bind(db);
    const prepared: string[] = [];
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const connection = new SqliteConnection(db, file);
    const articles = new SqliteArticles(connection);
    const decisions = new SqliteDecisions(connection);
    for (let i = 0; i < 3; i++) {
      await articles.insertArticles([makeArticle({ id: `wire:n${i}`, title: `New ${i}` })]);
      await decisions.recordDecisions(1, [{ articleId: `wire:n${i}`, storyId: `story-${i}`, action: 'new-story', score: 0, evidence: {} }], '2025-03-05T15:00:00.000Z');
      await decisions.latestDecisions([`wire:n${i}`]);
    }
    db.close();
    expect(prepared.length).toBeGreaterThan(0);
    expect(new Set(prepared).size).toBe(prepared.length);
  });
});

describe('store pages', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes new stores with 8 KiB pages and leaves an existing store its own', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-pages-'));
    const pageSize = (file: string): unknown => {
      const db = new Database(file, { readonly: true });
      try {
        return db.pragma('page_size', { simple: true });
      } finally {
        db.close();
      }
    };
    await SqliteStore.open(path.join(dir, 'new.db')).close();
    expect(pageSize(path.join(dir, 'new.db'))).toBe(8192);

    const oldFile = path.join(dir, 'old.db');
    const db = new Database(oldFile);
    db.pragma('page_size = 4096');
    db.exec(MIGRATIONS[0] as string);
    db.pragma('user_version = 1');
    db.close();
    await SqliteStore.open(oldFile).close();
    expect(pageSize(oldFile)).toBe(4096);
  });
});

describe('store compaction after pruning', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Fills a store with old articles in old stories, prunes them all and compacts; returns what compacting did. */
  async function fillPruneCompact(store: SqliteStore, offset: number): Promise<{ mode: string; bytesBefore: number; bytesAfter: number }> {
    const old = '2025-01-01T00:00:00.000Z';
    const articles = Array.from({ length: 300 }, (_, i) => makeArticle({ id: `wire:n${offset + i}`, title: `Old ${i}`, text: 'x'.repeat(4000), html: `<p>${'x'.repeat(4000)}</p>`, firstSeen: old }));
    await store.unitOfWork(async () => {
      await store.articles.insertArticles(articles, () => true);
      const runId = await store.runs.startRun(old);
      await store.decisions.recordDecisions(runId, articles.map((a) => ({ articleId: a.id, storyId: `s-${a.id}`, action: 'new-story' as const, score: 0, evidence: {} })), old);
      await store.stories.upsertStories(articles.map((a) => ({ id: `s-${a.id}`, canonicalId: a.id, canonicalReason: 'r', published: old, updated: old, lastSeen: old })));
    });
    const now = '2025-06-01T00:00:00.000Z';
    const pruned = await store.unitOfWork(() => store.retention.prune({ now, before: now, keepStories: [], keepArticles: [], runsBefore: old, tombstonesBefore: old, limit: 1000 }));
    expect(pruned.articles).toHaveLength(300);
    return store.retention.compact(0.25);
  }

  it('gives free pages back incrementally, after rebuilding once a store made before auto_vacuum was set', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-compact-'));
    // A store from before: no auto_vacuum.
    const oldFile = path.join(dir, 'old.db');
    const db = new Database(oldFile);
    db.pragma('journal_mode = WAL');
    for (const sql of MIGRATIONS) db.exec(sql);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
    db.close();
    const store = SqliteStore.open(oldFile);
    try {
      const first = await fillPruneCompact(store, 0);
      expect(first.mode).toBe('full');
      expect(first.bytesAfter).toBeLessThan(first.bytesBefore / 2);
      const second = await fillPruneCompact(store, 1000);
      expect(second.mode).toBe('incremental');
      expect(second.bytesAfter).toBeLessThan(second.bytesBefore / 2);
      // Nothing left to give back: not worthwhile.
      expect((await store.retention.compact(0.25)).mode).toBe('none');
    } finally {
      await store.close();
    }
  });
});

describe('units of work and promises', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Node.js gives promise callbacks async ids of their own only while an async hook is on; an AsyncLocalStorage keeps
  // one on from its first run() until disable(). A run makes thousands of promises while no unit is open (requests,
  // replies, the parse workers' messages): they are made without the store's hook.
  const promisesTracked = async (): Promise<boolean> => {
    const outer = executionAsyncId();
    return Promise.resolve().then(() => executionAsyncId() !== outer);
  };

  it('tracks promises while a unit of work is open, and not after it', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-unit-'));
    expect(await promisesTracked(), 'no async hook is on before the store is used').toBe(false);
    const store = SqliteStore.open(path.join(dir, 'feedfold.db'));
    try {
      expect(await store.unitOfWork(() => promisesTracked())).toBe(true);
      expect(await promisesTracked()).toBe(false);
      // A unit that throws closes as well, and one nested in another joins it (it runs at once: no deadlock).
      await expect(
        store.unitOfWork(async () => {
          await store.unitOfWork(async () => undefined);
          throw new Error('killed');
        }),
      ).rejects.toThrow('killed');
      expect(await promisesTracked()).toBe(false);
    } finally {
      await store.close();
    }
  });
});

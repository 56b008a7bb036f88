import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { getStory, sourceUpdated } from '../../src/store/lookups.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeArticle } from '../publish/story-fixtures.js';

describe('store migrations', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('re-dates stories stored by run time from their articles and records each source\'s newest item date', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-migrate-'));
    const file = path.join(dir, 'feedfold.db');
    // A store at schema version 1, as the first releases wrote it: stories dated by the runs.
    const db = new Database(file);
    db.exec(MIGRATIONS[0] as string);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO sources (id, kind, location) VALUES ('wire', 'feed-url', 'https://wire.example/feed')").run();
    const articles = [
      makeArticle({ id: 'wire:a', title: 'A', published: '2016-05-01T10:00:00.000Z', firstSeen: '2025-03-05T12:00:00Z' }),
      makeArticle({ id: 'wire:b', title: 'B', published: '2016-05-02T10:00:00.000Z', updated: '2016-05-03T09:30:00.000Z', firstSeen: '2025-03-05T18:00:00Z' }),
      makeArticle({ id: 'wire:c', title: 'C', firstSeen: '2025-03-05T12:00:00Z' }),
    ];
    const insert = db.prepare('INSERT INTO articles (id, source_id, content_hash, first_seen, published, data) VALUES (?, ?, ?, ?, ?, ?)');
    for (const a of articles) insert.run(a.id, a.sourceId, a.contentHash, a.firstSeen, a.published ?? null, JSON.stringify(a));
    const story = db.prepare("INSERT INTO stories (id, canonical_id, canonical_reason, published, updated, last_seen) VALUES (?, ?, 'r', ?, ?, ?)");
    story.run('s1', 'wire:a', '2025-03-05T12:00:00Z', '2025-03-05T18:00:00Z', '2025-03-05T18:00:00Z');
    story.run('s2', 'wire:c', '2025-03-05T12:00:00Z', '2025-03-05T12:00:00Z', '2025-03-05T12:00:00Z');
    const member = db.prepare('INSERT INTO story_members (article_id, story_id) VALUES (?, ?)');
    member.run('wire:a', 's1');
    member.run('wire:b', 's1');
    member.run('wire:c', 's2');
    db.close();

    const store = SqliteStore.open(file);
    try {
      const check = new Database(file, { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      check.close();
      expect(await getStory(store, 's1')).toMatchObject({ published: '2016-05-01T10:00:00.000Z', updated: '2016-05-03T09:30:00.000Z' });
      // Undated: first-seen stands in for the article's date.
      expect(await getStory(store, 's2')).toMatchObject({ published: '2025-03-05T12:00:00.000Z', updated: '2025-03-05T12:00:00.000Z' });
      expect(await sourceUpdated(store, 'wire')).toBe('2025-03-05T12:00:00.000Z');
      // Rows from before source hashes: stored, hash unknown.
      const hashes = await store.articles.storedSourceHashes(['wire:a', 'wire:zzz']);
      expect(hashes.get('wire:a')).toEqual({});
      expect(hashes.has('wire:zzz')).toBe(false);
      await store.sources.noteSourceDates([['wire', '2025-03-04T00:00:00Z']]);
      expect(await sourceUpdated(store, 'wire')).toBe('2025-03-05T12:00:00.000Z');
      await store.sources.noteSourceDates([['wire', '2025-03-06T00:00:00.000Z']]);
      expect(await sourceUpdated(store, 'wire')).toBe('2025-03-06T00:00:00.000Z');
    } finally {
      await store.close();
    }
  });

  it('splits a fetch error stored as "kind: message" into its kind and message', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-migrate-'));
    const file = path.join(dir, 'feedfold.db');
    // A store from before error kinds had their own column.
    const db = new Database(file);
    // Found by what it adds: later migrations are appended after it.
    const kinds = MIGRATIONS.findIndex((sql) => sql.includes('ADD COLUMN last_error_kind'));
    for (const sql of MIGRATIONS.slice(0, kinds)) db.exec(sql);
    db.pragma(`user_version = ${kinds}`);
    const insert = db.prepare("INSERT INTO sources (id, kind, location, error_count, last_error) VALUES (?, 'feed-url', 'https://x.example/feed', 1, ?)");
    insert.run('gone', 'http-not-found: fetch: http 404 for https://x.example/feed');
    insert.run('bad', 'parse: not a feed: JSON without a JSON Feed version');
    db.close();

    const store = SqliteStore.open(file);
    try {
      expect((await store.sources.getSource('gone'))?.state).toMatchObject({ lastErrorKind: 'fetch.http-not-found', lastError: 'fetch: http 404 for https://x.example/feed' });
      const bad = (await store.sources.getSource('bad'))?.state;
      expect(bad).toMatchObject({ lastError: 'parse: not a feed: JSON without a JSON Feed version' });
      expect(bad?.lastErrorKind).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('keeps pending the articles flagged pending, and no other, when the flag becomes a list', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-migrate-'));
    const file = path.join(dir, 'feedfold.db');
    // A store from before the list: pending flagged in each article's row.
    const db = new Database(file);
    const list = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE pending_articles'));
    for (const sql of MIGRATIONS.slice(0, list)) db.exec(sql);
    db.pragma(`user_version = ${list}`);
    const insert = db.prepare('INSERT INTO articles (id, source_id, content_hash, first_seen, data, pending) VALUES (?, ?, ?, ?, ?, ?)');
    const articles = [
      makeArticle({ id: 'wire:late', title: 'Late', firstSeen: '2025-03-05T18:00:00.000Z' }),
      makeArticle({ id: 'wire:done', title: 'Done', firstSeen: '2025-03-05T10:00:00.000Z' }),
      makeArticle({ id: 'wire:early', title: 'Early', firstSeen: '2025-03-05T12:00:00.000Z' }),
    ];
    for (const a of articles) insert.run(a.id, a.sourceId, a.contentHash, a.firstSeen, JSON.stringify(a), a.id === 'wire:done' ? 0 : 1);
    db.close();

    const store = SqliteStore.open(file);
    try {
      expect(await store.articles.pendingArticleIds()).toEqual(['wire:early', 'wire:late']);
      expect((await store.snapshot()).articles.map((a) => [a.id, a.pending])).toEqual([
        ['wire:done', false],
        ['wire:early', true],
        ['wire:late', true],
      ]);
    } finally {
      await store.close();
    }
  });
});

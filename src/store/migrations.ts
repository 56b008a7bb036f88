import type Database from 'better-sqlite3';

/**
 * Where `feedfold doctor --fix` moves rows it cannot read (invalid JSON, broken references): the
 * table and key they came from, why, and the whole row as JSON, so nothing is lost for good.
 * Created here and by the doctor itself, which may run on a store too damaged to migrate.
 */
export const QUARANTINE_TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    reason TEXT NOT NULL,
    row_json TEXT NOT NULL
  );`;

/** Schema migrations, applied in order; the index + 1 is the schema version (PRAGMA user_version). */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    title TEXT,
    origin TEXT NOT NULL DEFAULT 'config',
    url TEXT,
    etag TEXT,
    last_modified TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_status INTEGER,
    next_fetch_at TEXT,
    last_success_at TEXT,
    retired INTEGER NOT NULL DEFAULT 0,
    feed_title TEXT,
    feed_link TEXT
  );
  CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    url TEXT,
    guid TEXT,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    published TEXT,
    data TEXT NOT NULL
  );
  CREATE INDEX articles_first_seen ON articles(first_seen);
  CREATE INDEX articles_url ON articles(url);
  CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    canonical_id TEXT NOT NULL,
    canonical_reason TEXT NOT NULL,
    published TEXT NOT NULL,
    updated TEXT NOT NULL,
    last_seen TEXT NOT NULL
  );
  CREATE INDEX stories_updated ON stories(updated);
  CREATE TABLE story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    story_id TEXT NOT NULL,
    decision_id INTEGER
  );
  CREATE INDEX story_members_story ON story_members(story_id);
  CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    story_id TEXT NOT NULL,
    action TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    runner_up TEXT,
    at TEXT NOT NULL
  );
  CREATE INDEX decisions_article ON decisions(article_id);
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0,
    summary TEXT
  );
  CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at TEXT NOT NULL
  );
  `,
  // Edits: the source hash of each article (see Article.sourceHash; unknown for older rows).
  // Dates from the articles (RFC 4287 §4.2.15): each source's newest item date, for atom:source's
  // updated (§4.2.11); stories re-dated from their members, published the earliest member date
  // and updated the latest, where earlier versions dated them by the runs that saw them.
  `
  ALTER TABLE articles ADD COLUMN source_hash TEXT;
  ALTER TABLE sources ADD COLUMN newest_item_at TEXT;
  UPDATE sources SET newest_item_at = (
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(max(julianday(coalesce(a.published, a.first_seen)), coalesce(julianday(json_extract(a.data, '$.updated')), 0))))
    FROM articles a WHERE a.source_id = sources.id
  );
  UPDATE stories SET published = (
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', min(julianday(coalesce(a.published, a.first_seen))))
    FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = stories.id
  ) WHERE EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = stories.id);
  UPDATE stories SET updated = (
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(julianday(stories.published), max(max(julianday(coalesce(a.published, a.first_seen)), coalesce(julianday(json_extract(a.data, '$.updated')), 0)))))
    FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = stories.id
  ) WHERE EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = stories.id);
  `,
  // The run lock becomes a lease: the holder renews expires_at (wall clock) while it runs, and a
  // lock whose lease has lapsed is taken over whatever host holds it. Rows from before have none.
  `
  ALTER TABLE locks ADD COLUMN expires_at TEXT;
  ${QUARANTINE_TABLE_SQL}
  `,
  // Units of work: a source's new articles are committed as soon as it is read, pending until a
  // clustering batch assigns them (and commits that), so a run killed in between loses nothing.
  `
  ALTER TABLE articles ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX articles_pending ON articles(first_seen, id) WHERE pending = 1;
  `,
  // Workers: a source is leased to the worker reading it until lease_until (wall clock).
  `
  ALTER TABLE sources ADD COLUMN lease_owner TEXT;
  ALTER TABLE sources ADD COLUMN lease_until TEXT;
  `,
  // Closed error kinds: a source's last failure keeps its stable key (\`fetch.timeout\`) apart from its
  // message; fetch errors stored before as "kind: fetch: message" are split.
  `
  ALTER TABLE sources ADD COLUMN last_error_kind TEXT;
  UPDATE sources SET last_error_kind = 'fetch.' || substr(last_error, 1, instr(last_error, ': ') - 1), last_error = substr(last_error, instr(last_error, ': ') + 2)
    WHERE instr(last_error, ': fetch: ') > 0 AND instr(last_error, ': fetch: ') = instr(last_error, ': ');
  `,
  // Retention: a pruned article leaves a tombstone, so a feed still listing the item does not bring
  // it back as new; listed_at is when its source last listed it (or was not read), and a tombstone
  // not listed for \`retention.tombstoneDays\` goes. Runs are pruned by age unless a decision names them.
  `
  CREATE TABLE pruned_articles (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    source_hash TEXT,
    pruned_at TEXT NOT NULL,
    listed_at TEXT NOT NULL
  );
  CREATE INDEX pruned_articles_source ON pruned_articles(source_id);
  CREATE INDEX pruned_articles_listed ON pruned_articles(listed_at);
  CREATE INDEX decisions_run ON decisions(run_id);
  `,
  // Review: corrections made through the API, with who made and undid them (the audit list); the
  // current placements made by overrides are found through their latest decisions. Each article's
  // title and language are kept apart from its JSON (by triggers; by the store since), so a title search reads
  // short rows rather than every article's text; a row whose JSON is damaged gets empty ones (the
  // doctor deals with it), never a failed write.
  `
  CREATE TABLE overrides (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT
  );
  CREATE INDEX decisions_overridden ON decisions(id) WHERE action = 'overridden';
  CREATE TABLE article_titles (
    article_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    language TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO article_titles SELECT id,
      iif(json_valid(data), coalesce(json_extract(data, '$.title'), ''), ''), iif(json_valid(data), coalesce(json_extract(data, '$.language'), ''), '')
    FROM articles;
  CREATE TRIGGER articles_title_insert AFTER INSERT ON articles BEGIN
    INSERT OR REPLACE INTO article_titles VALUES (new.id,
      iif(json_valid(new.data), coalesce(json_extract(new.data, '$.title'), ''), ''), iif(json_valid(new.data), coalesce(json_extract(new.data, '$.language'), ''), ''));
  END;
  CREATE TRIGGER articles_title_update AFTER UPDATE OF data ON articles BEGIN
    INSERT OR REPLACE INTO article_titles VALUES (new.id,
      iif(json_valid(new.data), coalesce(json_extract(new.data, '$.title'), ''), ''), iif(json_valid(new.data), coalesce(json_extract(new.data, '$.language'), ''), ''));
  END;
  CREATE TRIGGER articles_title_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_titles WHERE article_id = old.id;
  END;
  `,
  // A counter of the changes to stored articles made outside clustering (edits, re-dating): a
  // process that keeps its story index between runs reads the window again when it moved.
  `
  CREATE TABLE article_generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
  INSERT INTO article_generation (id, value) VALUES (1, 0);
  `,
  // The store writes each article's title and language itself, beside the article it writes (see SqliteArticles):
  // the triggers read them back out of the JSON just written, which cost about as much as the rest of the insert (25 µs
  // of an article's 50), and made every insert keep a statement journal. A deleted article's row still goes with it by
  // trigger.
  `
  DROP TRIGGER articles_title_insert;
  DROP TRIGGER articles_title_update;
  `,
  // The pending articles are listed in a short table of their ids rather than flagged in their rows: a clustering batch
  // that cleared the flag rewrote each assigned article's row, and with it the page it shares with one or two others
  // (their JSON holds the HTML and the text), spread over the whole table since a batch assigns in publication order. A
  // first run of 1,000 feeds made 67,000 page writes (pwrite, to the log and checkpointed into the store), 22,000 without
  // those rewrites. A deleted article (quarantined by the doctor) leaves the list by trigger.
  `
  CREATE TABLE pending_articles (id TEXT PRIMARY KEY) WITHOUT ROWID;
  INSERT INTO pending_articles SELECT id FROM articles WHERE pending = 1;
  DROP INDEX articles_pending;
  ALTER TABLE articles DROP COLUMN pending;
  CREATE TRIGGER articles_pending_delete AFTER DELETE ON articles BEGIN
    DELETE FROM pending_articles WHERE id = old.id;
  END;
  `,
];

/** Brings the database schema up to the latest version, one transaction per migration. */
export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return MIGRATIONS.length;
}

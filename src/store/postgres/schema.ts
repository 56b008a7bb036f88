import { FeedfoldError } from '../../model/errors.js';
import type { PgConnection } from './connection.js';

/**
 * The PostgreSQL schema, one migration per entry; the index + 1 is the version recorded in
 * schema_migrations. Ids are compared byte by byte (COLLATE "C"), as SQLite does, so every
 * ORDER BY gives the same order on both backends.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sources (
    id text COLLATE "C" PRIMARY KEY,
    kind text NOT NULL,
    location text NOT NULL,
    title text,
    origin text NOT NULL DEFAULT 'config',
    url text,
    etag text,
    last_modified text,
    error_count integer NOT NULL DEFAULT 0,
    last_error text,
    last_status integer,
    next_fetch_at timestamptz,
    last_success_at timestamptz,
    retired boolean NOT NULL DEFAULT false,
    feed_title text,
    feed_link text,
    newest_item_at timestamptz
  );
  CREATE TABLE articles (
    id text COLLATE "C" PRIMARY KEY,
    source_id text COLLATE "C" NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    url text,
    guid text,
    content_hash text NOT NULL,
    source_hash text,
    first_seen timestamptz NOT NULL,
    published timestamptz,
    data jsonb NOT NULL,
    pending boolean NOT NULL DEFAULT false
  );
  CREATE INDEX articles_first_seen ON articles (first_seen, id);
  CREATE INDEX articles_url ON articles (url);
  CREATE INDEX articles_pending ON articles (first_seen, id) WHERE pending;
  CREATE TABLE stories (
    id text COLLATE "C" PRIMARY KEY,
    canonical_id text COLLATE "C" NOT NULL,
    canonical_reason text NOT NULL,
    published timestamptz NOT NULL,
    updated timestamptz NOT NULL,
    last_seen timestamptz NOT NULL
  );
  CREATE INDEX stories_updated ON stories (updated DESC, id);
  CREATE TABLE runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at timestamptz NOT NULL,
    finished boolean NOT NULL DEFAULT false,
    summary jsonb
  );
  CREATE TABLE decisions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id bigint NOT NULL REFERENCES runs(id),
    article_id text COLLATE "C" NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    story_id text COLLATE "C" NOT NULL,
    action text NOT NULL,
    score double precision NOT NULL,
    evidence jsonb NOT NULL,
    runner_up jsonb,
    at timestamptz NOT NULL
  );
  CREATE INDEX decisions_article ON decisions (article_id, id);
  CREATE TABLE story_members (
    article_id text COLLATE "C" PRIMARY KEY REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    story_id text COLLATE "C" NOT NULL,
    decision_id bigint REFERENCES decisions(id) DEFERRABLE INITIALLY DEFERRED
  );
  CREATE INDEX story_members_story ON story_members (story_id);
  CREATE TABLE locks (
    name text PRIMARY KEY,
    pid integer NOT NULL,
    host text NOT NULL,
    acquired_at timestamptz NOT NULL,
    expires_at timestamptz
  );
  `,
  // Workers: a source is leased to the worker reading it until lease_until (wall clock).
  `
  ALTER TABLE sources ADD COLUMN lease_owner text, ADD COLUMN lease_until timestamptz;
  CREATE INDEX sources_due ON sources (next_fetch_at NULLS FIRST, id) WHERE NOT retired;
  `,
  // Closed error kinds: a source's last failure keeps its stable key (\`fetch.timeout\`) apart from its
  // message; fetch errors stored before as "kind: fetch: message" are split.
  `
  ALTER TABLE sources ADD COLUMN last_error_kind text;
  UPDATE sources SET last_error_kind = 'fetch.' || split_part(last_error, ': ', 1), last_error = substr(last_error, position(': ' in last_error) + 2)
    WHERE position(': fetch: ' in last_error) > 0 AND position(': fetch: ' in last_error) = position(': ' in last_error);
  `,
  // Retention: a pruned article leaves a tombstone, so a feed still listing the item does not bring
  // it back as new; listed_at is when its source last listed it (or was not read), and a tombstone
  // not listed for \`retention.tombstoneDays\` goes. Runs are pruned by age unless a decision names them.
  `
  CREATE TABLE pruned_articles (
    id text COLLATE "C" PRIMARY KEY,
    source_id text COLLATE "C" NOT NULL,
    source_hash text,
    pruned_at timestamptz NOT NULL,
    listed_at timestamptz NOT NULL
  );
  CREATE INDEX pruned_articles_source ON pruned_articles (source_id);
  CREATE INDEX pruned_articles_listed ON pruned_articles (listed_at);
  CREATE INDEX decisions_run ON decisions (run_id);
  `,
  // Review: corrections made through the API, with who made and undid them (the audit list); the
  // current placements made by overrides are found through their latest decisions. Each article's
  // title and language are kept apart from its JSON (kept by a trigger), so a title search reads
  // short rows rather than every article's text.
  `
  CREATE TABLE overrides (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action text NOT NULL,
    payload jsonb NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    undone_at timestamptz,
    undone_by text
  );
  CREATE INDEX decisions_overridden ON decisions (id) WHERE action = 'overridden';
  CREATE TABLE article_titles (
    article_id text COLLATE "C" PRIMARY KEY,
    title text NOT NULL,
    language text NOT NULL
  );
  INSERT INTO article_titles SELECT id, coalesce(data->>'title', ''), coalesce(data->>'language', '') FROM articles;
  CREATE FUNCTION feedfold_article_title() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      DELETE FROM article_titles WHERE article_id = OLD.id;
    ELSE
      INSERT INTO article_titles VALUES (NEW.id, coalesce(NEW.data->>'title', ''), coalesce(NEW.data->>'language', ''))
        ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, language = excluded.language;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER articles_title AFTER INSERT OR UPDATE OF data OR DELETE ON articles FOR EACH ROW EXECUTE FUNCTION feedfold_article_title();
  `,
  // A counter of the changes to stored articles made outside clustering (edits, re-dating): a
  // process that keeps its story index between runs reads the window again when it moved.
  `
  CREATE TABLE article_generation (id integer PRIMARY KEY CHECK (id = 1), value bigint NOT NULL);
  INSERT INTO article_generation (id, value) VALUES (1, 0);
  `,
];

/** Key of the advisory lock that keeps two processes from migrating at once. */
const MIGRATION_LOCK_KEY = 0x66656564; // "feed"

/** Returns the schema version recorded in the database (0 for an empty one). */
export async function schemaVersion(c: PgConnection): Promise<number> {
  const [exists] = await c.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists?.t) return 0;
  const [row] = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return row?.v ?? 0;
}

/** Refuses a schema newer than this code knows (its data would be misread). */
export function checkPgVersion(version: number, location: string): void {
  if (version > PG_MIGRATIONS.length) {
    throw new FeedfoldError('store', 'newer', `${location} was created by a newer feedfold (schema version ${version}; this one knows up to ${PG_MIGRATIONS.length}): upgrade feedfold`);
  }
}

/** Brings the schema up to the latest version in one transaction, under an advisory lock (two processes starting at once). */
export async function migratePg(c: PgConnection, location: string): Promise<void> {
  await c.transaction(async () => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const current = await schemaVersion(c);
    checkPgVersion(current, location);
    for (let version = current; version < PG_MIGRATIONS.length; version++) {
      await c.query(PG_MIGRATIONS[version] as string);
      await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    }
  });
}

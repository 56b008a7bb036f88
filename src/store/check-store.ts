import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { FeedfoldError } from '../model/errors.js';
import type { LockHolder } from '../model/run.js';
import { MIGRATIONS, QUARANTINE_TABLE_SQL } from './migrations.js';
import { checkDatabaseFile, checkSchemaVersion, openDatabaseReadOnly } from './open-database.js';

/** The JSON columns of the schema: each must hold a JSON object (or NULL where it may). */
const JSON_COLUMNS: readonly { table: string; key: string; column: string }[] = [
  { table: 'articles', key: 'id', column: 'data' },
  { table: 'decisions', key: 'id', column: 'evidence' },
  { table: 'decisions', key: 'id', column: 'runner_up' },
  { table: 'runs', key: 'id', column: 'summary' },
];

/** One row that cannot be read, and what --fix does with it. */
interface BadRow {
  table: string;
  rowid: number;
  key: string;
  reason: string;
}

/** What `feedfold doctor` found, and did. */
export interface StoreCheck {
  /** Lines for the operator, in order: `ok: …`, `problem: …`, `fixed: …`, `note: …`. */
  lines: string[];
  /** Problems still there after the check (and the fix, if asked for). */
  remaining: number;
}

/** Where doctor --fix leaves a story whose canonical version it removed. */
const DOCTOR_REASON = 'chosen by feedfold doctor after the canonical version was quarantined; the configured policy applies when the story next changes';

function describeKey(key: string, value: unknown): string {
  return `${key} ${JSON.stringify(value)}`;
}

/** Lists the rows whose JSON column does not hold a JSON object, with the parser's complaint. */
function badJsonRows(db: Database.Database): BadRow[] {
  const bad: BadRow[] = [];
  for (const { table, key, column } of JSON_COLUMNS) {
    const rows = db
      .prepare(
        `SELECT rowid AS rid, ${key} AS k, ${column} AS v FROM ${table}
         WHERE ${column} IS NOT NULL AND (CASE WHEN json_valid(${column}) THEN json_type(${column}) END) IS NOT 'object' ORDER BY rowid`,
      )
      .all() as { rid: number; k: unknown; v: unknown }[];
    for (const r of rows) {
      let why = 'is not a JSON object';
      try {
        JSON.parse(String(r.v));
      } catch (err) {
        why = `is not valid JSON (${(err as Error).message})`;
      }
      bad.push({ table, rowid: r.rid, key: describeKey(key, r.k), reason: `column ${column} ${why}` });
    }
  }
  return bad;
}

/** Lists rows whose declared reference (story_members → articles) points at nothing. */
function danglingRows(db: Database.Database): BadRow[] {
  const rows = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  return rows.map((r) => {
    const member = r.table === 'story_members' ? (db.prepare('SELECT article_id FROM story_members WHERE rowid = ?').pluck().get(r.rowid) as string | undefined) : undefined;
    return {
      table: r.table,
      rowid: r.rowid,
      key: member !== undefined ? describeKey('article_id', member) : `rowid ${r.rowid}`,
      reason: `refers to a row missing from ${r.parent}`,
    };
  });
}

/** Lists stories with versions whose canonical version is not one of them. */
function storiesWithoutCanonical(db: Database.Database): string[] {
  return db
    .prepare(
      `SELECT s.id FROM stories s
       WHERE EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = s.id)
         AND NOT EXISTS (SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = s.id AND m.article_id = s.canonical_id)
       ORDER BY s.id`,
    )
    .pluck()
    .all() as string[];
}

/** Moves one row into the quarantine table (whole, as JSON) and removes it; returns the stories it belonged to. */
function quarantine(db: Database.Database, row: BadRow, at: string): string[] {
  const whole = db.prepare(`SELECT * FROM ${row.table} WHERE rowid = ?`).get(row.rowid) as Record<string, unknown> | undefined;
  if (!whole) return [];
  db.prepare('INSERT INTO quarantine (at, table_name, row_key, reason, row_json) VALUES (?, ?, ?, ?, ?)').run(at, row.table, row.key, row.reason, JSON.stringify(whole));
  const stories: string[] = [];
  if (row.table === 'articles') {
    const story = db.prepare('SELECT story_id FROM story_members WHERE article_id = ?').pluck().get(whole.id) as string | undefined;
    if (story !== undefined) stories.push(story);
    db.prepare('DELETE FROM story_members WHERE article_id = ?').run(whole.id);
  } else if (row.table === 'story_members') {
    stories.push(String(whole.story_id));
  } else if (row.table === 'decisions') {
    // The member keeps its place; explain shows its previous decision, or none.
    db.prepare('UPDATE story_members SET decision_id = NULL WHERE decision_id = ?').run(whole.id);
  }
  db.prepare(`DELETE FROM ${row.table} WHERE rowid = ?`).run(row.rowid);
  return stories;
}

/** Repairs a story that lost versions: deleted when none is left, else given a canonical version among them. */
function repairStory(db: Database.Database, storyId: string): string | undefined {
  const members = db
    .prepare('SELECT m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.first_seen, a.id')
    .pluck()
    .all(storyId) as string[];
  const story = db.prepare('SELECT canonical_id FROM stories WHERE id = ?').get(storyId) as { canonical_id: string } | undefined;
  if (!story) return undefined;
  if (members.length === 0) {
    db.prepare('DELETE FROM stories WHERE id = ?').run(storyId);
    return `story ${storyId} had no version left and was removed (its entry leaves the feed at the next run)`;
  }
  if (members.includes(story.canonical_id)) return undefined;
  db.prepare('UPDATE stories SET canonical_id = ?, canonical_reason = ? WHERE id = ?').run(members[0], DOCTOR_REASON, storyId);
  return `story ${storyId} lost its canonical version; ${members[0]} stands in until the story next changes`;
}

/** Checks the parts that need a readable feedfold schema; with `fix`, quarantines what it can. */
function checkRows(db: Database.Database, fix: { at: string } | undefined, lines: string[]): number {
  let remaining = 0;
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (integrity.length === 1 && integrity[0] === 'ok') lines.push('ok: SQLite integrity check');
  else {
    remaining++;
    for (const message of integrity.slice(0, 20)) lines.push(`problem: integrity check: ${message}`);
    lines.push(
      'problem: the file itself is damaged, which --fix cannot mend: restore it from a backup, or recover what SQLite can read with the sqlite3 shell (`sqlite3 feedfold.db .recover | sqlite3 recovered.db`) and run `feedfold doctor` on the copy',
    );
  }
  const bad = [...badJsonRows(db), ...danglingRows(db)];
  const noCanonical = storiesWithoutCanonical(db);
  if (bad.length === 0 && noCanonical.length === 0) {
    lines.push('ok: every JSON column parses; every reference resolves');
    return remaining;
  }
  for (const row of bad) lines.push(`problem: table ${row.table}, row ${row.key}: ${row.reason}`);
  for (const id of noCanonical) lines.push(`problem: table stories, row id ${JSON.stringify(id)}: its canonical version is not one of its versions`);
  if (!fix) return remaining + bad.length + noCanonical.length;
  db.transaction(() => {
    db.exec(QUARANTINE_TABLE_SQL);
    const touched = new Set<string>(noCanonical);
    for (const row of bad) {
      for (const story of quarantine(db, row, fix.at)) touched.add(story);
      lines.push(`fixed: moved table ${row.table}, row ${row.key} to the quarantine table`);
    }
    for (const story of [...touched].sort()) {
      const what = repairStory(db, story);
      if (what) lines.push(`fixed: ${what}`);
    }
  }).immediate();
  return remaining;
}

function lockLine(db: Database.Database): { line: string; live: boolean } | undefined {
  const hasLease = (db.prepare("SELECT count(*) FROM pragma_table_info('locks') WHERE name = 'expires_at'").pluck().get() as number) > 0;
  const row = db.prepare(`SELECT pid, host, acquired_at, ${hasLease ? 'expires_at' : 'NULL AS expires_at'} FROM locks WHERE name = 'run'`).get() as
    | { pid: number; host: string; acquired_at: string; expires_at: string | null }
    | undefined;
  if (!row) return undefined;
  const h: LockHolder = { pid: row.pid, host: row.host, acquiredAt: row.acquired_at, ...(row.expires_at ? { expiresAt: row.expires_at } : {}) };
  const live = h.expiresAt !== undefined && Date.parse(h.expiresAt) > Date.now();
  return { line: `note: the run lock is held by pid ${h.pid} on ${h.host} since ${h.acquiredAt}${h.expiresAt ? `, lease until ${h.expiresAt}` : ''}${live ? '' : ' (lapsed: the next run takes it over)'}`, live };
}

/**
 * Checks a store file the way `feedfold doctor` reports it: the file is SQLite and feedfold's, its
 * schema version is known, PRAGMA integrity_check passes, every JSON column parses and every
 * reference resolves. With `fix`, rows that cannot be read are moved to the quarantine table
 * (whole, as JSON) and the stories they belonged to repaired; nothing else is changed.
 */
export function checkStoreFile(file: string, fix?: { at: string }): StoreCheck {
  const lines: string[] = [];
  if (!existsSync(file)) return { lines: [`ok: no store at ${file} yet; the first run creates it`], remaining: 0 };
  let db: Database.Database | undefined;
  let cleanup: (() => void) | undefined;
  try {
    checkDatabaseFile(file);
    if (fix) {
      db = new Database(file, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
    } else {
      ({ db, cleanup } = openDatabaseReadOnly(file));
    }
    const version = checkSchemaVersion(db, file);
    lines.push(`ok: ${file} is a feedfold store, schema version ${version}${version < MIGRATIONS.length ? ` (the next run upgrades it to ${MIGRATIONS.length})` : ''}`);
    if (version === 0) return { lines, remaining: 0 };
    const lock = lockLine(db);
    if (lock) lines.push(lock.line);
    if (fix && lock?.live) {
      lines.push('problem: a run holds the lock: run `feedfold doctor --fix` once it has finished (or `feedfold unlock` if it is gone)');
      return { lines, remaining: 1 };
    }
    return { lines, remaining: checkRows(db, fix, lines) };
  } catch (err) {
    const message = err instanceof FeedfoldError ? err.message.replace(/^store: /, '') : `cannot read ${file}: ${(err as Error).message}`;
    lines.push(`problem: ${message}`);
    return { lines, remaining: lines.filter((l) => l.startsWith('problem:')).length };
  } finally {
    db?.close();
    cleanup?.();
  }
}

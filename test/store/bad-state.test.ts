import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseAtomFeed } from 'feedsmith';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { feedfold } from '../cli/cli-harness.js';
import { runCliAsync } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';

/**
 * Bad state, clear errors: a damaged row names its database, table, row and column and points at
 * `feedfold doctor`, which lists the damage and with --fix quarantines it; an empty, foreign or
 * newer database file is refused with its path named (exit 1), never silently started afresh.
 * Real SQLite files, the real CLI.
 */

const NOW = '2025-03-05T12:00:00.000Z';
const LATER = '2025-03-05T18:00:00.000Z';
const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');

let project: TempProject;
afterEach(() => project?.cleanup());

function seedsProject(): TempProject {
  const p = tempProject();
  p.writeConfig({ sources: [{ id: 'seeds', dir: p.copySeeds() }] });
  return p;
}

const dbFile = (p: TempProject): string => path.join(p.outDir, 'feedfold.db');

/** Runs a statement on the store file directly, the way a hand edit or a damaged disk would. */
function tamper(p: TempProject, fn: (db: Database.Database) => void): void {
  const db = new Database(dbFile(p));
  try {
    fn(db);
  } finally {
    db.close();
  }
}

function entries(p: TempProject) {
  return parseAtomFeed(readFileSync(p.feedFile, 'utf8')).entries ?? [];
}

describe('a row that does not parse', () => {
  it('fails the run naming database, table, row and column; doctor lists it, --fix quarantines it, and runs go on with the same entry', async () => {
    project = seedsProject();
    expect((await feedfold(['run', '--config', project.configFile, '--now', NOW, '--quiet'])).code).toBe(0);
    const [entry] = entries(project);
    let canonical = '';
    tamper(project, (db) => {
      canonical = db.prepare('SELECT canonical_id FROM stories').pluck().get() as string;
      db.prepare('UPDATE articles SET data = ? WHERE id = ?').run('{"id": "half a row', canonical);
    });

    const failed = await runCliAsync(['run', '--config', project.configFile, '--now', LATER, '--quiet']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`feedfold: store: ${dbFile(project)}: table articles, row id ${JSON.stringify(canonical)}: column data is not valid JSON (`);
    expect(failed.stderr).toContain('`feedfold doctor --fix` moves them to the quarantine table');
    expect(failed.stderr).not.toMatch(/\n\s+at /);

    const check = await feedfold(['doctor', '--config', project.configFile]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('ok: SQLite integrity check');
    expect(check.stdout).toContain(`problem: table articles, row id ${JSON.stringify(canonical)}: column data is not valid JSON`);
    expect(check.stdout).toContain('1 problem(s); `feedfold doctor --fix`');

    const fix = await feedfold(['doctor', '--fix', '--config', project.configFile, '--now', LATER]);
    expect(fix.code, fix.stdout).toBe(0);
    expect(fix.stdout).toContain(`fixed: moved table articles, row id ${JSON.stringify(canonical)} to the quarantine table`);
    expect(fix.stdout).toContain(`fixed: story ${entry!.id} lost its canonical version`);
    tamper(project, (db) => {
      const kept = db.prepare('SELECT table_name, row_key, reason, row_json FROM quarantine').all() as { table_name: string; row_key: string; reason: string; row_json: string }[];
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatchObject({ table_name: 'articles', row_key: `id ${JSON.stringify(canonical)}` });
      // The damaged text is kept as it was, for whoever wants to mend it by hand.
      expect(JSON.parse(kept[0]!.row_json)).toMatchObject({ id: canonical, data: '{"id": "half a row' });
    });

    const ran = await feedfold(['run', '--config', project.configFile, '--now', LATER, '--quiet']);
    expect(ran.code, ran.stderr).toBe(0);
    const after = entries(project);
    expect(after.map((e) => e.id)).toEqual([entry!.id]);
    expect((await feedfold(['doctor', '--config', project.configFile])).stdout).toContain('the store is healthy');
  });

  it('doctor finds nothing wrong in the store of ordinary runs, and lists and mends a membership whose article is gone', async () => {
    project = tempProject();
    project.writeConfig({
      sources: [
        { id: 'seeds', dir: project.copySeeds() },
        { id: 'wire', file: path.join(FEEDS, 'wire-rss20.xml') },
        { id: 'metro', file: path.join(FEEDS, 'metro-atom.xml') },
        { id: 'coast', file: path.join(FEEDS, 'coast-jsonfeed.json') },
      ],
    });
    for (const now of [NOW, LATER]) expect((await feedfold(['run', '--config', project.configFile, '--now', now, '--quiet'])).code).toBe(0);
    const healthy = await feedfold(['doctor', '--config', project.configFile]);
    expect(healthy.stdout).toMatch(/schema version \d+\nok: SQLite integrity check\nok: every JSON column parses; every reference resolves\nthe store is healthy\n$/);
    expect(healthy.code).toBe(0);

    tamper(project, (db) => {
      db.pragma('foreign_keys = OFF');
      db.prepare("INSERT INTO story_members (article_id, story_id) VALUES ('wire:vanished', (SELECT id FROM stories LIMIT 1))").run();
    });
    const check = await feedfold(['doctor', '--config', project.configFile]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('problem: table story_members, row article_id "wire:vanished": refers to a row missing from articles');
    const fix = await feedfold(['doctor', '--fix', '--config', project.configFile]);
    expect(fix.code, fix.stdout).toBe(0);
    expect(fix.stdout).toContain('fixed: moved table story_members, row article_id "wire:vanished" to the quarantine table');
    expect((await feedfold(['doctor', '--config', project.configFile])).code).toBe(0);
  });
});

describe('a database file that is not a usable feedfold store', () => {
  it('refuses a zero-byte file for every command, names the path, and leaves it as it is', async () => {
    project = seedsProject();
    mkdirSync(project.outDir, { recursive: true });
    writeFileSync(dbFile(project), '');
    const run = await runCliAsync(['run', '--config', project.configFile, '--now', NOW]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`feedfold: store: ${dbFile(project)} is empty (0 bytes), so it holds no feedfold state`);
    expect(run.stderr).toContain('Restore it from a backup, or delete it to start afresh');
    expect(statSync(dbFile(project)).size).toBe(0);
    expect(existsSync(project.feedFile)).toBe(false);

    for (const command of [['sources'], ['explain', 'x'], ['unlock']]) {
      const result = await feedfold([...command, '--config', project.configFile]);
      expect(result.code, command.join(' ')).toBe(1);
      expect(result.stderr).toContain(`${dbFile(project)} is empty (0 bytes)`);
    }
    const doctor = await feedfold(['doctor', '--config', project.configFile]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`problem: ${dbFile(project)} is empty (0 bytes)`);
    expect(statSync(dbFile(project)).size).toBe(0);
  });

  it('creates a missing database, as always', async () => {
    project = seedsProject();
    expect(existsSync(dbFile(project))).toBe(false);
    expect((await feedfold(['run', '--config', project.configFile, '--now', NOW, '--quiet'])).code).toBe(0);
    expect(entries(project)).toHaveLength(1);
  });

  it('refuses a SQLite file of another program and a file that is not SQLite at all, untouched', async () => {
    project = seedsProject();
    mkdirSync(project.outDir, { recursive: true });
    const other = new Database(dbFile(project));
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    other.close();
    const before = readFileSync(dbFile(project));
    const run = await feedfold(['run', '--config', project.configFile, '--now', NOW]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`store: ${dbFile(project)} is not a feedfold database (it has the tables notes and no feedfold schema version)`);
    expect(readFileSync(dbFile(project)).equals(before)).toBe(true);

    writeFileSync(dbFile(project), 'these are my notes, not a database\n');
    const text = await feedfold(['sources', '--config', project.configFile]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`store: ${dbFile(project)} is not a SQLite database`);
  });

  it('refuses a database of a newer feedfold (user_version past what this one knows)', async () => {
    project = seedsProject();
    expect((await feedfold(['run', '--config', project.configFile, '--now', NOW, '--quiet'])).code).toBe(0);
    tamper(project, (db) => db.pragma('user_version = 99'));
    const message = `${dbFile(project)} was created by a newer feedfold (schema version 99; this one knows up to ${MIGRATIONS.length}): upgrade feedfold`;
    const run = await runCliAsync(['run', '--config', project.configFile, '--now', LATER]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`feedfold: store: ${message}`);
    const sources = await feedfold(['sources', '--config', project.configFile]);
    expect(sources.code).toBe(1);
    expect(sources.stderr).toContain(message);
    const doctor = await feedfold(['doctor', '--config', project.configFile]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`problem: ${message}`);
    tamper(project, (db) => expect(db.pragma('user_version', { simple: true })).toBe(99));
  });
});

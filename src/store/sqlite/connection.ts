import type Database from 'better-sqlite3';
import type { Article } from '../../model/article.js';
import { parseJsonColumn } from '../json-column.js';

/**
 * One better-sqlite3 connection shared by the entity stores: statements prepared once per SQL
 * text, every execution counted, JSON columns parsed with the row named on failure.
 */
export class SqliteConnection {
  /** SQL statements executed on this connection. */
  statements = 0;
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    /** The database file, named in every error about a stored row. */
    readonly file: string,
  ) {}

  private stmt(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  /** Runs a query and returns its rows. */
  all<T>(sql: string, ...params: unknown[]): T[] {
    this.statements++;
    return this.stmt(sql).all(...params) as T[];
  }

  /** Runs a query and returns its first row. */
  get<T>(sql: string, ...params: unknown[]): T | undefined {
    this.statements++;
    return this.stmt(sql).get(...params) as T | undefined;
  }

  /** Runs a write; returns the rows changed and the last inserted rowid. */
  run(sql: string, ...params: unknown[]): Database.RunResult {
    this.statements++;
    return this.stmt(sql).run(...params);
  }

  /** Runs `fn` in one immediate transaction, or inside the one already open. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  json<T>(text: string, table: string, key: string, column: string): T {
    return parseJsonColumn<T>(text, { file: this.file, table, key, column });
  }

  article(data: string, id: string): Article {
    return this.json<Article>(data, 'articles', `id ${JSON.stringify(id)}`, 'data');
  }
}

/** Passes a list to SQLite as one JSON parameter, read back with json_each. */
export const jsonList = (values: readonly unknown[]): string => JSON.stringify(values);

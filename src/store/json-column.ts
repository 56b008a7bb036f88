import { FeedfoldError } from '../model/errors.js';

/** Where a stored JSON value came from: enough for an operator to find the row. */
export interface RowRef {
  /** The database file. */
  file: string;
  table: string;
  /** The row's key column and value, e.g. `id "wire:a1"`. */
  key: string;
  column: string;
}

/** The sentence that tells the operator the way out of a damaged row. */
export const DOCTOR_HINT = '`feedfold doctor` lists the damaged rows and `feedfold doctor --fix` moves them to the quarantine table';

/**
 * Parses a JSON column of one row; a value that does not parse (edited by hand, a damaged file)
 * fails with the database, table, row and column named, and the way out.
 */
export function parseJsonColumn<T>(text: string, ref: RowRef): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new FeedfoldError(
      'store',
      'corrupt-row',
      `${ref.file}: table ${ref.table}, row ${ref.key}: column ${ref.column} is not valid JSON (${(err as Error).message}); ${DOCTOR_HINT}`,
      { cause: err },
    );
  }
}

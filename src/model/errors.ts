import { FETCH_ERROR_KINDS } from './fetch.js';
import { PARSE_ERROR_KINDS } from './parse-report.js';

/**
 * Every stage and its closed set of error kinds. `stage.kind` (`fetch.timeout`, `parse.malformed`)
 * is the stable key logs, `feedfold sources`, the store and status.json name a failure by.
 */
export const ERROR_KINDS = {
  config: ['invalid', 'invalid-yaml', 'unreadable'],
  sources: ['file-not-found', 'dir-not-found', 'too-large', 'unknown-source', 'unreadable'],
  fetch: [...FETCH_ERROR_KINDS, 'invalid-time', 'invalid-options'],
  parse: PARSE_ERROR_KINDS,
  normalize: ['too-deep', 'invalid-item', 'empty-item', 'duplicate-item'],
  cluster: ['invalid-input', 'invalid-options'],
  publish: ['invalid-date', 'atom-generate', 'write-failed'],
  store: ['open', 'empty', 'not-sqlite', 'newer', 'not-feedfold', 'corrupt-row', 'write-failed'],
  serve: ['invalid-config', 'listen-failed'],
  schedule: ['busy', 'invalid-cron'],
  review: ['unresolved', 'no-store', 'no-run'],
} as const satisfies Record<string, readonly string[]>;

/** The stage a failure happened in; part of every FeedfoldError message. */
export type Stage = keyof typeof ERROR_KINDS;

/** The kinds of failure one stage (or, for a union, any of them) records. */
export type ErrorKind<S extends Stage = Stage> = S extends Stage ? (typeof ERROR_KINDS)[S][number] : never;

/** A failure's stable key: its stage and kind, `fetch.http-not-found`. */
export type ErrorKey = { [S in Stage]: `${S}.${ErrorKind<S>}` }[Stage];

/** How a source's read failed: the stable key of its FeedfoldError, or 'internal' for an unexpected exception (a bug). */
export type FailureKind = ErrorKey | 'internal';

/** Returns `kind` when it is one of `stage`'s kinds, else undefined (for kinds read back from data). */
export function kindOf<S extends Stage>(stage: S, kind: string): ErrorKind<S> | undefined {
  return (ERROR_KINDS[stage] as readonly string[]).includes(kind) ? (kind as ErrorKind<S>) : undefined;
}

/** Returns `key` when it names a stage and one of its kinds (`parse.malformed`), else undefined. */
export function errorKey(key: string): ErrorKey | undefined {
  const dot = key.indexOf('.');
  const stage = key.slice(0, dot);
  if (dot < 0 || !Object.hasOwn(ERROR_KINDS, stage)) return undefined;
  return kindOf(stage as Stage, key.slice(dot + 1)) === undefined ? undefined : (key as ErrorKey);
}

/**
 * One error type for every recorded failure: a closed `kind` per stage (a kind of another stage is
 * a type error) and a message that names the stage (`fetch: http 404 for https://…`). Callers log
 * it and carry on with the next source.
 */
export class FeedfoldError<S extends Stage = Stage> extends Error {
  readonly stage: S;
  readonly kind: ErrorKind<S>;

  constructor(stage: S, kind: NoInfer<ErrorKind<S>>, message: string, options?: { cause?: unknown }) {
    super(`${stage}: ${message}`, options);
    this.name = 'FeedfoldError';
    this.stage = stage;
    this.kind = kind;
  }

  /** The stable key of this failure, `stage.kind`. */
  get key(): ErrorKey {
    return `${this.stage}.${this.kind}` as ErrorKey;
  }
}

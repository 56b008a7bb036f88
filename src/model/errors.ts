/** The stage a failure happened in; part of every FeedfoldError message. */
export type Stage = 'config' | 'sources' | 'fetch' | 'parse' | 'normalize' | 'cluster' | 'publish' | 'store' | 'serve' | 'schedule';

/**
 * One error type for every recorded failure: a closed `kind` per stage and a message that names
 * the stage (`fetch: http 404 for https://…`). Callers log it and carry on with the next source.
 */
export class FeedfoldError extends Error {
  readonly stage: Stage;
  readonly kind: string;

  constructor(stage: Stage, kind: string, message: string, options?: { cause?: unknown }) {
    super(`${stage}: ${message}`, options);
    this.name = 'FeedfoldError';
    this.stage = stage;
    this.kind = kind;
  }
}

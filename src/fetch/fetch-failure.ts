import type { FetchErrorKind } from '../model/fetch.js';

/** Internal failure carrying its stable kind; fetchFeed turns it into an 'error' outcome and never lets it escape. */
export class FetchFailure extends Error {
  readonly kind: FetchErrorKind;

  constructor(kind: FetchErrorKind, message: string) {
    super(message);
    this.name = 'FetchFailure';
    this.kind = kind;
  }
}

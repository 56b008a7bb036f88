import type { RawFeed } from './raw-entry.js';

/**
 * Closed set of reasons the parse stage rejects a document (FeedfoldError kind). 'too-deep': elements
 * nested past the nesting limit; 'timeout': the body took longer than its CPU budget; 'crashed': the
 * worker reading it stopped; 'internal': an
 * unexpected exception while reading it.
 */
export const PARSE_ERROR_KINDS = ['empty', 'not-a-feed', 'malformed', 'too-large', 'too-deep', 'timeout', 'crashed', 'internal'] as const;

/** One of PARSE_ERROR_KINDS. */
export type ParseErrorKind = (typeof PARSE_ERROR_KINDS)[number];

/**
 * What parsing one feed document produced, beyond the RawFeed: the encoding used, whether the
 * document had to be repaired (feedparser's "bozo"), and how many entries the cap dropped.
 */
export interface ParseReport {
  feed: RawFeed;
  /** Encoding label acted on, lower case ('utf-8', 'iso-8859-1', 'shift_jis'…). */
  encoding: string;
  /** Format version when known ('rss20', 'rss10', 'atom10', 'atom03', 'json11'…). */
  version?: string;
  /** True when the document was well-formed and read without repairs. */
  wellFormed: boolean;
  /** Why it was not well-formed or needed leniency, e.g. 'unclosed-element', 'undefined-entity-or-bare-ampersand'. */
  problems: string[];
  /** Entries present in the document. */
  entriesTotal: number;
  /** Entries dropped by the entry cap (the first `maxEntries` are kept); 0 when none. */
  entriesDropped: number;
}

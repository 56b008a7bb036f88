/** A validated, normalized article: what clustering, canonical choice and publishing work with. */
export interface Article {
  /** Stable per source: GUID, else canonical link, else a hash of title and body. */
  id: string;
  sourceId: string;
  sourceTitle: string;
  /** The source's home page, when known. */
  sourceLink?: string;
  /** Where the source is read from: feed URL, file path or directory. */
  sourceLocation: string;
  /**
   * Who published the article when its source is no single publisher: the files of an article folder are pieces
   * gathered from anywhere, each its own. Absent for feeds, whose items share their feed's publisher.
   */
  publisher?: string;
  /** Operator's ranking of the source; higher is preferred as canonical. */
  sourceRank: number;
  guid?: string;
  /** Canonical URL: tracking parameters and fragment removed. */
  url?: string;
  title: string;
  titleDerived: boolean;
  /** ISO 8601 UTC, the source's own date; a date in the future was clamped to the run's time when the article entered. */
  published?: string;
  updated?: string;
  /** ISO 8601 UTC: when feedfold first saw this article (the injected `now` of that run). */
  firstSeen: string;
  author?: string;
  /** ISO 639-1 code, or 'und' when undetermined. */
  language: string;
  /**
   * HTML of the best content the source gave (full content, else summary), as its text was read
   * from it: no scripts, styles, embeds or page furniture, addresses absolute, cut to the stored
   * size limit. Not sanitized: it goes through the one sanitizer policy when it is published.
   */
  html: string;
  /** Clean text for comparison and display: no markup, no boilerplate. */
  text: string;
  /** True when only an excerpt is known (RSS description cut short). */
  truncated: boolean;
  /** Hash of the normalized text, for exact-duplicate detection. */
  contentHash: string;
  /**
   * Hash of the title and text as the source sent them (before boilerplate removal, which depends
   * on the source's other items): a re-sent item is an edit exactly when this changes.
   */
  sourceHash?: string;
  categories: string[];
}
